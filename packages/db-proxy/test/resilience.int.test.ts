// What happens around the write queue: reads never wait for it, and clients
// that leave, misbehave or lose FerretDB do not stop anyone else.
import * as net from 'node:net';
import { MongoClient } from 'mongodb';
import { freePort } from '../src/free-port';
import { startWriteSerializingProxy, type WriteSerializingProxy } from '../src/proxy';
import { MessageFramer } from '../src/wire';
import {
  BUILD_TIMEOUT_MS,
  bodyOf,
  closed,
  connectRaw,
  delay,
  opMsg,
  startTestDatabase,
  waitUntil,
  within,
  writeAll,
  type TestDatabase,
} from './helpers';

const PROMPTLY_MS = 10_000;

describe('in front of FerretDB', () => {
  let database: TestDatabase;
  let client: MongoClient;
  const db = () => client.db('resilience');

  beforeAll(async () => {
    database = await startTestDatabase();
    client = new MongoClient(database.proxyUri, { maxPoolSize: 10 });
    await client.connect();
  }, BUILD_TIMEOUT_MS);

  afterAll(async () => {
    await client?.close();
    await database?.stop();
  });

  /** A write and a read from another client, both bounded: the proxy is not wedged. */
  async function othersCarryOn(): Promise<void> {
    const counters = db().collection<{ _id: string; n: number }>('others');
    await within(PROMPTLY_MS, 'write after the incident', counters.updateOne({ _id: 'c' }, { $inc: { n: 1 } }, { upsert: true }));
    await within(PROMPTLY_MS, 'read after the incident', counters.findOne({ _id: 'c' }));
  }

  test('a read passes while a write holds the slot; a write waits for it', async () => {
    const items = db().collection<{ _id: string; v: number }>('items');
    await items.insertOne({ _id: 'a', v: 1 });
    const updatesBefore = database.proxy.stats.writes.update ?? { count: 0, queuedMs: 0, runningMs: 0 };
    const release = await database.proxy.holdWrites();
    let writeDone = false;
    let write: Promise<unknown> | undefined;
    try {
      expect(await within(PROMPTLY_MS, 'read during a held slot', items.findOne({ _id: 'a' }))).toEqual({ _id: 'a', v: 1 });

      write = items.updateOne({ _id: 'a' }, { $set: { v: 2 } }).finally(() => (writeDone = true));
      await waitUntil('the write queues', () => database.proxy.stats.writesWaiting === 1);
      await delay(200);
      expect(writeDone).toBe(false);
      expect(await within(PROMPTLY_MS, 'read beside a queued write', items.findOne({ _id: 'a' }))).toEqual({ _id: 'a', v: 1 });
    } finally {
      release();
    }
    await within(PROMPTLY_MS, 'the write once the slot is free', write);
    expect(await items.findOne({ _id: 'a' })).toEqual({ _id: 'a', v: 2 });
    // The proxy's accounting shows the update and the turn it waited for (held for 200 ms and more).
    const updates = database.proxy.stats.writes.update!;
    expect(updates.count).toBe(updatesBefore.count + 1);
    expect(updates.queuedMs - updatesBefore.queuedMs).toBeGreaterThanOrEqual(200);
    expect(updates.runningMs).toBeGreaterThan(updatesBefore.runningMs);
  });

  test('every command a client sends is counted by name, reads too; handshakes and heartbeats are not', async () => {
    const counted = db().collection<{ _id: number }>('counted');
    await counted.insertMany(Array.from({ length: 5 }, (_, i) => ({ _id: i })));
    const before = database.proxy.stats.commands;
    // A fresh client: its handshake, and the ping it is asked for, are not the application's round trips.
    const other = new MongoClient(database.proxyUri, { maxPoolSize: 1 });
    try {
      await other.connect();
      await other.db('resilience').command({ ping: 1 });
      const theirs = other.db('resilience').collection<{ _id: number }>('counted');
      expect(await theirs.find({}, { batchSize: 2 }).toArray()).toHaveLength(5);
      await theirs.updateOne({ _id: 0 }, { $set: { seen: true } });
      await theirs.findOne({ _id: 1 });
    } finally {
      await other.close();
    }
    const after = database.proxy.stats.commands;
    const delta = (name: string) => (after[name] ?? 0) - (before[name] ?? 0);
    expect(delta('find')).toBe(2);
    // 5 documents in batches of 2: the first in the find's answer, then two more.
    expect(delta('getMore')).toBe(2);
    expect(delta('update')).toBe(1);
    for (const name of ['hello', 'isMaster', 'ismaster', 'ping', 'endSessions']) expect(after[name]).toBeUndefined();
  });

  test('a client that sends a write and vanishes at once does not wedge the others', async () => {
    for (let i = 0; i < 20; i += 1) {
      const raw = await connectRaw(database.proxy.port);
      raw.write(opMsg({ insert: 'ghosts', documents: [{ _id: i }], $db: 'resilience' }, { requestId: i + 1 }));
      raw.destroy();
    }
    await othersCarryOn();
    await waitUntil('the vanished clients are gone', () => database.proxy.stats.clients <= 10);
  });

  test('a client that leaves while its write is queued is dropped from the queue', async () => {
    const release = await database.proxy.holdWrites();
    try {
      const raw = await connectRaw(database.proxy.port);
      await writeAll(raw, opMsg({ insert: 'dropped', documents: [{ _id: 'never' }], $db: 'resilience' }, { requestId: 1 }));
      await waitUntil('the write queues', () => database.proxy.stats.writesWaiting === 1);
      raw.destroy();
      await waitUntil('the write leaves the queue', () => database.proxy.stats.writesWaiting === 0);
    } finally {
      release();
    }
    await othersCarryOn();
    expect(
      await db()
        .collection('dropped')
        .findOne({ _id: 'never' as never }),
    ).toBeNull();
  });

  test('a client that leaves mid-write keeps the slot until FerretDB has answered', async () => {
    // About a second of work for FerretDB, so the client is gone while it runs.
    const documents = Array.from({ length: 20_000 }, (_, i) => ({ _id: i }));
    const forwardedBefore = database.proxy.stats.writesForwarded;
    const raw = await connectRaw(database.proxy.port);
    raw.write(opMsg({ insert: 'bulk', documents, $db: 'resilience' }, { requestId: 1 }));
    await waitUntil('the insert is forwarded', () => database.proxy.stats.writesForwarded > forwardedBefore);
    raw.destroy();

    // Queued behind the insert (the same collection): when it returns, the insert must be complete.
    await within(
      PROMPTLY_MS,
      'a write behind the abandoned insert',
      db()
        .collection('bulk')
        .insertOne({ _id: 'after' as never }),
    );
    expect(await db().collection('bulk').countDocuments()).toBe(20_001);
    await othersCarryOn();
  });

  test('a client that sends garbage is disconnected; the others carry on', async () => {
    const raw = await connectRaw(database.proxy.port);
    raw.on('error', () => {});
    raw.write('GET / HTTP/1.1\r\nHost: localhost\r\n\r\n');
    await within(PROMPTLY_MS, 'the proxy closes the garbage connection', closed(raw));
    await othersCarryOn();
  });
});

describe('in front of a scripted upstream', () => {
  /** Stands in for FerretDB: records what arrives and answers only when told. */
  class ScriptedUpstream {
    readonly received: Array<{ socket: net.Socket; requestId: number; body: Record<string, unknown> }> = [];
    private readonly server = net.createServer((socket) => {
      const framer = new MessageFramer();
      socket.on('data', (chunk: Buffer) => {
        for (const message of framer.push(chunk)) this.received.push({ socket, requestId: message.readInt32LE(4), body: bodyOf(message) });
      });
      socket.on('error', () => {});
    });
    port = 0;

    async start(): Promise<void> {
      await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
      this.port = (this.server.address() as net.AddressInfo).port;
    }

    answer(index: number): void {
      const request = this.received[index]!;
      request.socket.write(opMsg({ ok: 1, n: 1 }, { requestId: 1000 + index, responseTo: request.requestId }));
    }

    async stop(): Promise<void> {
      await new Promise<void>((resolve) => {
        this.server.close(() => resolve());
        for (const { socket } of this.received) socket.destroy();
      });
    }
  }

  let upstream: ScriptedUpstream;
  let proxy: WriteSerializingProxy;

  beforeEach(async () => {
    upstream = new ScriptedUpstream();
    await upstream.start();
    proxy = await startWriteSerializingProxy({ upstreamHost: '127.0.0.1', upstreamPort: upstream.port, writeTimeoutMs: 1_000 });
  });

  afterEach(async () => {
    await proxy.close();
    await upstream.stop();
  });

  // Documents without an _id: each insert may touch any document of the collection, so they go one at a time.
  const insert = (requestId: number) => opMsg({ insert: 'c', documents: [{ n: requestId }], $db: 't' }, { requestId });

  test('the slot stays held after the client left, until the answer comes; then the next write goes', async () => {
    const leaver = await connectRaw(proxy.port);
    await writeAll(leaver, insert(1));
    await waitUntil('the first write arrives', () => upstream.received.length === 1);
    leaver.destroy();

    const next = await connectRaw(proxy.port);
    await writeAll(next, insert(2));
    await waitUntil('the second write queues', () => proxy.stats.writesWaiting === 1);
    await delay(200);
    expect(upstream.received).toHaveLength(1);
    expect(upstream.received[0]!.socket.destroyed).toBe(false);

    upstream.answer(0);
    await waitUntil('the second write arrives', () => upstream.received.length === 2);
    expect(upstream.received[1]!.body).toMatchObject({ insert: 'c', documents: [{ n: 2 }] });
    // The leaver's upstream connection is closed once its answer is in.
    await within(PROMPTLY_MS, 'the leaver upstream closes', closed(upstream.received[0]!.socket));
    next.destroy();
  });

  test('a write with moreToCome releases the slot once sent, without an answer', async () => {
    const raw = await connectRaw(proxy.port);
    await writeAll(raw, opMsg({ insert: 'c', documents: [{}], writeConcern: { w: 0 }, $db: 't' }, { requestId: 1 }, true));
    await writeAll(raw, insert(2));
    await waitUntil('both writes arrive', () => upstream.received.length === 2);
    raw.destroy();
  });

  test('a write without an answer gives the slot up after writeTimeoutMs and closes that client', async () => {
    const stuck = await connectRaw(proxy.port);
    await writeAll(stuck, insert(1));
    await within(PROMPTLY_MS, 'the stuck client is closed', closed(stuck));
    await waitUntil('the slot is free again', () => !proxy.stats.slotHeld);
    expect(proxy.stats.writeTimeouts).toBe(1);
  });

  test('writes to different collections go side by side; a write to a busy collection, or to every collection, waits', async () => {
    const write = (body: Record<string, unknown>, requestId: number) => opMsg({ ...body, $db: 't' }, { requestId });
    const clients = await Promise.all(Array.from({ length: 4 }, () => connectRaw(proxy.port)));
    try {
      await writeAll(clients[0]!, write({ insert: 'a', documents: [{}] }, 1));
      await writeAll(clients[1]!, write({ update: 'b', updates: [{ q: {}, u: { $set: { x: 1 } } }] }, 2));
      await waitUntil('both writes arrive', () => upstream.received.length === 2);

      await writeAll(clients[2]!, write({ findAndModify: 'a', query: {}, update: { $inc: { n: 1 } } }, 3));
      await writeAll(clients[3]!, write({ createIndexes: 'c', indexes: [{ key: { k: 1 }, name: 'k' }] }, 4));
      await waitUntil('both wait', () => proxy.stats.writesWaiting === 2);
      await delay(200);
      expect(upstream.received).toHaveLength(2);

      upstream.answer(0);
      await waitUntil('the second write to a arrives', () => upstream.received.length === 3);
      expect(upstream.received[2]!.body).toMatchObject({ findAndModify: 'a' });
      upstream.answer(1);
      upstream.answer(2);
      await waitUntil('the index command arrives once every write is done', () => upstream.received.length === 4);
      expect(upstream.received[3]!.body).toMatchObject({ createIndexes: 'c' });
    } finally {
      for (const client of clients) client.destroy();
    }
  });

  test('a read is forwarded while a write waits for its answer', async () => {
    const writer = await connectRaw(proxy.port);
    await writeAll(writer, insert(1));
    const reader = await connectRaw(proxy.port);
    await writeAll(reader, opMsg({ find: 'c', filter: {}, $db: 't' }, { requestId: 7 }));
    await waitUntil('the read arrives', () => upstream.received.length === 2);
    expect(upstream.received[1]!.body).toMatchObject({ find: 'c' });
    writer.destroy();
    reader.destroy();
  });

  test('an unreachable upstream closes the client connection; the proxy stays up', async () => {
    const orphan = await startWriteSerializingProxy({ upstreamHost: '127.0.0.1', upstreamPort: await freePort() });
    try {
      for (let i = 0; i < 3; i += 1) {
        const raw = await connectRaw(orphan.port);
        raw.on('error', () => {});
        raw.write(insert(1));
        await within(PROMPTLY_MS, 'the client connection closes', closed(raw));
      }
      await waitUntil('no client connection is left', () => orphan.stats.clients === 0);
      expect(orphan.stats.slotHeld).toBe(false);
    } finally {
      await orphan.close();
    }
  });
});
