// A TCP proxy in front of FerretDB that lets one write command per document
// (per collection, for a write that may touch several) through at a time,
// across all client connections. FerretDB 1.24 applies an update as read,
// change in memory, write back, with nothing held in between
// (FerretDB/FerretDB#3040), so two concurrent writes to one document lose one
// of them. Serializing the writes that may touch one document restores
// MongoDB's single-document atomicity (write-queue.ts); reads, handshakes and
// cursors pass straight through and never wait.
import * as net from 'node:net';
import { MAX_UPDATE_STATEMENTS } from './limits';
import { WriteQueue, type ReleaseSlot, type WriteClaim } from './write-queue';
import {
  commandNamespace,
  commandDocuments,
  confinedDocument,
  MessageFramer,
  parseMessage,
  readHeader,
  replyMessage,
  updateStatementCount,
  type MessageInfo,
} from './wire';

/**
 * Commands that change data or schema. `findandmodify` is the lower-case
 * alias MongoDB also accepts. Writes sent as OP_QUERY are not looked at:
 * drivers of the last decade use OP_MSG, and FerretDB answers OP_QUERY only
 * for the handshake.
 */
export const WRITE_COMMANDS: ReadonlySet<string> = new Set([
  'insert',
  'update',
  'delete',
  'findAndModify',
  'findandmodify',
  'createIndexes',
  'dropIndexes',
  'create',
  'drop',
  'dropDatabase',
  'renameCollection',
  'collMod',
  'bulkWrite',
]);

/** Writes that touch documents of the one collection they name; the others (index and collection commands) get FerretDB to themselves. */
const DOCUMENT_WRITES: ReadonlySet<string> = new Set(['insert', 'update', 'delete', 'findAndModify', 'findandmodify']);

/**
 * The connection's own chatter (handshake, monitoring heartbeats, session
 * clean-up): not counted in `commands`, which counts what the application
 * asks of the database. The driver's first handshake comes as OP_QUERY and
 * has no command name here at all.
 */
export const HOUSEKEEPING_COMMANDS: ReadonlySet<string> = new Set([
  'hello',
  'isMaster',
  'ismaster',
  'ping',
  'buildInfo',
  'buildinfo',
  'endSessions',
  'saslStart',
  'saslContinue',
  'getParameter',
  'getFreeMonitoringStatus',
]);

export function isWriteCommand(info: MessageInfo): boolean {
  return info.commandName !== undefined && WRITE_COMMANDS.has(info.commandName);
}

export interface ProxyOptions {
  upstreamHost: string;
  upstreamPort: number;
  listenHost?: string;
  /** 0 (the default) picks a free port; read it from the result. */
  listenPort?: number;
  /**
   * How long a forwarded write may hold its turn without an answer. After it,
   * both sides of that connection are closed (the client sees a network
   * error) and the turn goes to the next write: a command FerretDB never
   * answers must not stop every write to its collection for good.
   */
  writeTimeoutMs?: number;
  /**
   * An `update` command with more statements is answered with an error and
   * never reaches FerretDB, where it would wedge every command (limits.ts).
   */
  maxUpdateStatements?: number;
}

export interface ProxyStats {
  /** Open client connections. */
  clients: number;
  /** Write commands sent on to FerretDB. */
  writesForwarded: number;
  /** Messages sent on without queueing: reads, handshakes, cursors. */
  passedThrough: number;
  /** Writes (and holdWrites calls) waiting for their turn. */
  writesWaiting: number;
  /** Whether a write (or a holdWrites caller) is under way now. */
  slotHeld: boolean;
  /** Writes given up on after writeTimeoutMs without an answer. */
  writeTimeouts: number;
  /** Update commands answered with an error for carrying more than maxUpdateStatements. */
  updatesRefused: number;
  /** Per write command (`insert`, `update`, `findAndModify`…): how many, and where their time went. */
  writes: Record<string, WriteTimes>;
  /**
   * Every command sent by name, reads (`find`, `getMore`, `aggregate`…) and
   * writes alike: the database round trips the clients made. Handshakes and
   * heartbeats (HOUSEKEEPING_COMMANDS) are left out.
   */
  commands: Record<string, number>;
}

export interface WriteTimes {
  count: number;
  /** Milliseconds spent waiting for a turn in the write queue, summed. */
  queuedMs: number;
  /** Milliseconds from forwarding to FerretDB's reply, summed. */
  runningMs: number;
}

export interface WriteSerializingProxy {
  readonly port: number;
  /** A snapshot, taken on each read of the property. */
  readonly stats: ProxyStats;
  /**
   * Waits for the writes under way and queued before it, then holds every
   * write back until the function it resolves with is called. Meanwhile no
   * write reaches FerretDB; reads still do. Meant for tests and maintenance.
   */
  holdWrites(): Promise<ReleaseSlot>;
  /** Stops listening and closes every connection, in-flight writes included. */
  close(): Promise<void>;
}

export type { ReleaseSlot } from './write-queue';

const DEFAULT_WRITE_TIMEOUT_MS = 30_000;

export async function startWriteSerializingProxy(options: ProxyOptions): Promise<WriteSerializingProxy> {
  const { upstreamHost, upstreamPort, listenHost = '127.0.0.1', listenPort = 0 } = options;
  const writeTimeoutMs = options.writeTimeoutMs ?? DEFAULT_WRITE_TIMEOUT_MS;
  const maxUpdateStatements = options.maxUpdateStatements ?? MAX_UPDATE_STATEMENTS;
  const queue = new WriteQueue(maxUpdateStatements);
  const sockets = new Set<net.Socket>();
  const counters = { clients: 0, writesForwarded: 0, passedThrough: 0, writeTimeouts: 0, updatesRefused: 0 };
  const writes: Record<string, WriteTimes> = {};
  const commands: Record<string, number> = {};

  const server = net.createServer({ noDelay: true }, (client) => {
    const upstream = net.connect({ host: upstreamHost, port: upstreamPort, noDelay: true });
    sockets.add(client).add(upstream);
    counters.clients += 1;
    client.once('close', () => {
      counters.clients -= 1;
      sockets.delete(client);
    });
    upstream.once('close', () => sockets.delete(upstream));
    relay(client, upstream, { queue, counters, writes, commands, writeTimeoutMs, maxUpdateStatements });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(listenPort, listenHost, () => {
      server.off('error', reject);
      resolve();
    });
  });
  // Past start-up a server error (a failed accept) concerns one connection,
  // not the proxy; it must not take the process down.
  server.on('error', () => {});

  const address = server.address() as net.AddressInfo;
  return {
    port: address.port,
    get stats(): ProxyStats {
      return {
        ...counters,
        writesWaiting: queue.waiting,
        slotHeld: queue.held,
        writes: Object.fromEntries(Object.entries(writes).map(([command, times]) => [command, { ...times }])),
        commands: { ...commands },
      };
    },
    holdWrites: () => queue.acquire({ namespace: undefined, connections: 1 }).granted,
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}

interface RelayContext {
  queue: WriteQueue;
  counters: { writesForwarded: number; passedThrough: number; writeTimeouts: number; updatesRefused: number };
  writes: Record<string, WriteTimes>;
  commands: Record<string, number>;
  writeTimeoutMs: number;
  maxUpdateStatements: number;
}

interface Message {
  bytes: Buffer;
  info: MessageInfo;
}

/**
 * Relays one client connection to its own upstream connection. Messages from
 * the client go on in the order they came; a write waits for its turn, and
 * what the client sent after it waits behind it, so one connection's commands
 * are never reordered.
 */
function relay(client: net.Socket, upstream: net.Socket, context: RelayContext): void {
  const { queue, counters, writes, commands, writeTimeoutMs, maxUpdateStatements } = context;
  const fromClient = new MessageFramer();
  const fromUpstream = new MessageFramer();
  const backlog: Message[] = [];
  let queued: { cancel(): void } | undefined;
  let inFlight: { requestId: number; release: ReleaseSlot; timer: NodeJS.Timeout; times: WriteTimes; forwardedAt: number } | undefined;
  let clientGone = false;

  const closeBoth = (): void => {
    client.destroy();
    upstream.destroy();
  };

  const sendUpstream = (bytes: Buffer, flushed?: () => void): void => {
    if (!upstream.write(bytes, flushed)) client.pause();
  };

  const forwardWrite = ({ bytes, info }: Message, release: ReleaseSlot, times: WriteTimes): void => {
    counters.writesForwarded += 1;
    times.count += 1;
    const forwardedAt = performance.now();
    if (info.moreToCome) {
      // No reply will come; once FerretDB has the bytes, the next write may go.
      sendUpstream(bytes, () => {
        times.runningMs += performance.now() - forwardedAt;
        release();
      });
      return;
    }
    const timer = setTimeout(() => {
      counters.writeTimeouts += 1;
      closeBoth();
    }, writeTimeoutMs);
    timer.unref();
    inFlight = { requestId: info.requestId, release, timer, times, forwardedAt };
    sendUpstream(bytes);
  };

  const finishInFlight = (): void => {
    if (!inFlight) return;
    clearTimeout(inFlight.timer);
    inFlight.times.runningMs += performance.now() - inFlight.forwardedAt;
    inFlight.release();
    inFlight = undefined;
    if (clientGone) upstream.destroy();
  };

  // Answered as MongoDB answers a batch over its maxWriteBatchSize.
  const refuseOversizedUpdate = ({ info }: Message, statements: number): void => {
    counters.updatesRefused += 1;
    if (info.moreToCome) return;
    const errmsg =
      `an update command of ${statements} statements is more than the local database takes (${maxUpdateStatements}): ` +
      'FerretDB 1.24 holds a PostgreSQL connection per statement and would hang; send smaller batches';
    client.write(replyMessage(info.requestId, { ok: 0, errmsg, code: 16, codeName: 'InvalidLength' }));
  };

  const pump = (): void => {
    while (!queued && !clientGone && backlog.length > 0) {
      const next = backlog[0]!;
      if (!isWriteCommand(next.info)) {
        backlog.shift();
        counters.passedThrough += 1;
        sendUpstream(next.bytes);
        continue;
      }
      let claim: WriteClaim;
      try {
        claim = claimOf(next);
      } catch {
        closeBoth();
        return;
      }
      if (claim.connections > maxUpdateStatements) {
        backlog.shift();
        refuseOversizedUpdate(next, claim.connections);
        continue;
      }
      const times = (writes[next.info.commandName!] ??= { count: 0, queuedMs: 0, runningMs: 0 });
      const queuedAt = performance.now();
      const ticket = queue.acquire(claim);
      queued = ticket;
      void ticket.granted.then((release) => {
        times.queuedMs += performance.now() - queuedAt;
        queued = undefined;
        // The client or FerretDB may have gone between the grant and now.
        if (clientGone || upstream.destroyed) {
          release();
          return;
        }
        backlog.shift();
        forwardWrite(next, release, times);
        pump();
      });
    }
  };

  client.on('data', (chunk: Buffer) => {
    try {
      for (const bytes of fromClient.push(chunk)) {
        const info = parseMessage(bytes);
        // The name is read for every message already (writes are told apart by it): counting it is one increment.
        const name = info.commandName;
        if (name !== undefined && !HOUSEKEEPING_COMMANDS.has(name)) commands[name] = (commands[name] ?? 0) + 1;
        backlog.push({ bytes, info });
      }
    } catch {
      closeBoth();
      return;
    }
    pump();
  });

  upstream.on('data', (chunk: Buffer) => {
    if (!clientGone && !client.write(chunk)) upstream.pause();
    try {
      for (const reply of fromUpstream.push(chunk)) {
        if (inFlight && readHeader(reply).responseTo === inFlight.requestId) finishInFlight();
      }
    } catch {
      closeBoth();
    }
  });

  upstream.on('drain', () => client.resume());
  client.on('drain', () => upstream.resume());

  client.on('close', () => {
    clientGone = true;
    backlog.length = 0;
    queued?.cancel();
    queued = undefined;
    if (inFlight) {
      // FerretDB is still applying this write: its turn is released by its
      // answer (or the timeout), not by the client leaving, so no other write
      // can interleave with it.
      upstream.resume();
    } else {
      upstream.destroy();
    }
  });

  upstream.on('close', () => {
    finishInFlight();
    queued?.cancel();
    queued = undefined;
    client.destroy();
  });

  // Socket errors are followed by 'close', handled above; without a listener
  // they would be thrown and end the process.
  client.on('error', () => {});
  upstream.on('error', () => {});
}

/** Throws WireProtocolError on a body it cannot read. */
function claimOf({ bytes, info }: Message): WriteClaim {
  const commandName = info.commandName!;
  const namespace = DOCUMENT_WRITES.has(commandName) ? commandNamespace(bytes) : undefined;
  if (namespace === undefined) return { namespace, connections: 1 };
  const command = commandDocuments(bytes);
  // An update holds a PostgreSQL connection per statement; every other write one.
  const connections = commandName === 'update' ? updateStatementCount(command) : 1;
  return { namespace, document: confinedDocument(command, commandName), connections };
}
