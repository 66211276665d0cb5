// Starts and stops a FerretDB process on its PostgreSQL backend.
import * as http from 'node:http';
import * as net from 'node:net';
import { startServerProcess } from './server-process';

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

export async function startFerretDb(options: FerretDbOptions): Promise<FerretDb> {
  const { binary, postgresqlUrl, stateDir, poolSize, port, debugPort, startTimeoutMs = 30_000, stopGraceMs = 5_000 } = options;
  const server = await startServerProcess({
    label: `FerretDB (${binary})`,
    command: binary,
    args: [
      '--handler=postgresql',
      `--postgresql-url=${withPoolSize(postgresqlUrl, poolSize)}`,
      `--listen-addr=${HOST}:${port}`,
      `--debug-addr=${HOST}:${debugPort}`,
      `--state-dir=${stateDir}`,
      '--telemetry=disable',
      '--log-level=warn',
    ],
    isReady: () => isReady(port, debugPort),
    readyWhere: `${HOST}:${port}`,
    startTimeoutMs,
    stopSignal: 'SIGTERM',
    stopGraceMs,
  });
  return { port, stop: () => server.stop() };
}

/** pgx reads its pool size from the URL; one given there already is replaced. */
function withPoolSize(postgresqlUrl: string, poolSize: number): string {
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
