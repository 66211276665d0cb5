// Starts and stops a FerretDB process on its PostgreSQL backend.
import { spawn } from 'node:child_process';
import * as http from 'node:http';
import * as net from 'node:net';

export interface FerretDbOptions {
  /** Path of the ferretdb executable (scripts/build-ferretdb.sh builds it). */
  binary: string;
  /** The PostgreSQL database FerretDB keeps its data in (postgres.ts prepares it). */
  postgresqlUrl: string;
  /** Existing directory for FerretDB's own state file. */
  stateDir: string;
  /**
   * FerretDB's pool of PostgreSQL connections. An `update` command holds one
   * per statement until it ends, so one with as many statements as the pool
   * has connections waits forever, and so does every later command: the proxy
   * refuses updates that large (maxUpdateStatements in proxy.ts).
   */
  poolSize: number;
  port: number;
  /** FerretDB always serves a debug HTTP endpoint; two instances need two ports. */
  debugPort: number;
  /** How long to wait for FerretDB to be ready. */
  startTimeoutMs?: number;
  /** How long stop() waits after SIGTERM before SIGKILL. */
  stopGraceMs?: number;
}

export interface FerretDb {
  port: number;
  stop(): Promise<void>;
}

const HOST = '127.0.0.1';
const POLL_INTERVAL_MS = 100;
const OUTPUT_TAIL_BYTES = 4096;

export async function startFerretDb(options: FerretDbOptions): Promise<FerretDb> {
  const { binary, postgresqlUrl, stateDir, poolSize, port, debugPort, startTimeoutMs = 30_000, stopGraceMs = 5_000 } = options;
  const child = spawn(
    binary,
    [
      '--handler=postgresql',
      `--postgresql-url=${withPoolSize(postgresqlUrl, poolSize)}`,
      `--listen-addr=${HOST}:${port}`,
      `--debug-addr=${HOST}:${debugPort}`,
      `--state-dir=${stateDir}`,
      '--telemetry=disable',
      '--log-level=warn',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );

  // Kept so that a failed start can say why; the pipes must be read anyway,
  // or a chatty FerretDB would block on a full pipe.
  let output = '';
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString('utf8')).slice(-OUTPUT_TAIL_BYTES);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);

  let exitReason: string | undefined;
  const exited = new Promise<void>((resolve) => {
    child.once('error', (error) => {
      exitReason ??= error.message;
      resolve();
    });
    // 'close' rather than 'exit': it comes after the pipes are drained, so the
    // output kept for the error message is complete.
    child.once('close', (code, signal) => {
      exitReason ??= signal ? `killed by ${signal}` : `exit code ${code}`;
      resolve();
    });
  });

  const stop = async (): Promise<void> => {
    if (exitReason !== undefined) return;
    child.kill('SIGTERM');
    const kill = setTimeout(() => child.kill('SIGKILL'), stopGraceMs);
    await exited;
    clearTimeout(kill);
  };

  const failure = (what: string): Error =>
    new Error(`FerretDB (${binary}) ${what}; its last output:\n${output.trim() || '(none)'}`);

  const deadline = Date.now() + startTimeoutMs;
  for (;;) {
    if (exitReason !== undefined) throw failure(`exited during start-up (${exitReason})`);
    if (await isReady(port, debugPort)) break;
    if (Date.now() > deadline) {
      await stop();
      throw failure(`was not ready on ${HOST}:${port} within ${startTimeoutMs} ms`);
    }
    await delay(POLL_INTERVAL_MS);
  }
  return { port, stop };
}

/** pgx reads its pool size from the URL; one given there already is replaced. */
export function withPoolSize(postgresqlUrl: string, poolSize: number): string {
  const url = new URL(postgresqlUrl);
  url.searchParams.set('pool_max_conns', String(poolSize));
  return url.toString();
}

// The port alone is not enough: when another process took it first, it
// accepts connections while FerretDB fails to bind and exits. FerretDB serves
// its readiness endpoint only once its own listener is up.
async function isReady(port: number, debugPort: number): Promise<boolean> {
  return (await readyzOk(debugPort)) && (await accepts(HOST, port));
}

function readyzOk(debugPort: number): Promise<boolean> {
  return new Promise((resolve) => {
    const request = http.get({ host: HOST, port: debugPort, path: '/debug/readyz', timeout: 1_000 }, (response) => {
      response.resume();
      resolve(response.statusCode === 200);
    });
    request.once('timeout', () => request.destroy());
    request.once('error', () => resolve(false));
  });
}

function accepts(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
