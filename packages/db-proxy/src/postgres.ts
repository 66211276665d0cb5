// The PostgreSQL under FerretDB: a private cluster in the data folder, or an
// existing server named by a URL, made ready with the index mirrors of
// sql/mirror-indexes.sql.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Client } from 'pg';
import { startServerProcess } from './server-process';

/** Debian's PostgreSQL 15 (`scripts/ensure-postgres.sh` installs it when missing). */
export const DEFAULT_POSTGRES_BIN_DIR = '/usr/lib/postgresql/15/bin';

/** The database FerretDB keeps its schemas in, one schema per MongoDB database. */
export const FERRETDB_DATABASE = 'ferretdb';

const MIRROR_SQL = path.join(__dirname, '..', 'sql', 'mirror-indexes.sql');
const HOST = '127.0.0.1';

export type Durability = 'full' | 'relaxed';

export interface PostgresOptions {
  /** The cluster's folder; `initdb` fills it the first time. */
  clusterDir: string;
  port: number;
  /** `relaxed` turns off fsync and synchronous commit: for tests, never for data anyone keeps. */
  durability: Durability;
  /** Above FerretDB's pool, with room for the set-up's own connections. */
  maxConnections: number;
  /** More server settings (`-c name=value`), for tests: auto_explain, logging. */
  settings?: Record<string, string>;
  binDir?: string;
  startTimeoutMs?: number;
  stopGraceMs?: number;
}

export interface Postgres {
  /** The URL of FerretDB's database in this cluster. */
  url: string;
  port: number;
  stop(): Promise<void>;
}

/**
 * `initdb` and `postgres` refuse to run as root. As root they run as the
 * `postgres` user, who must then own the cluster's folder and be able to reach
 * it: a folder from mkdtemp (mode 0700) is opened up for traversal.
 */
function asPostgresUser(): boolean {
  return process.getuid?.() === 0;
}

function makeReachable(clusterDir: string): void {
  fs.mkdirSync(clusterDir, { recursive: true, mode: 0o700 });
  if (!asPostgresUser()) return;
  for (let dir = path.dirname(clusterDir); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const mode = fs.statSync(dir).mode;
    if ((mode & 0o001) === 0) fs.chmodSync(dir, mode | 0o711);
  }
  execFileSync('chown', ['-R', 'postgres:postgres', clusterDir]);
}

function initializeCluster(binDir: string, clusterDir: string, durability: Durability): void {
  if (fs.existsSync(path.join(clusterDir, 'PG_VERSION'))) return;
  const initdb = path.join(binDir, 'initdb');
  if (!fs.existsSync(initdb)) {
    throw new Error(`no PostgreSQL at ${binDir}; install it with: bash scripts/ensure-postgres.sh (or set LOCAL_PG_URL)`);
  }
  const args = [
    '-D',
    clusterDir,
    '-A',
    'trust',
    '-U',
    'postgres',
    '-E',
    'UTF8',
    '--locale=C',
    ...(durability === 'relaxed' ? ['--no-sync'] : []),
  ];
  const [command, commandArgs] = asPostgresUser() ? ['runuser', ['-u', 'postgres', '--', initdb, ...args]] : [initdb, args];
  try {
    execFileSync(command, commandArgs, { stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
    throw new Error(`initdb of ${clusterDir} failed: ${stderr || String(error)}`, { cause: error });
  }
}

export async function startPostgres(options: PostgresOptions): Promise<Postgres> {
  const { clusterDir, port, durability, maxConnections, binDir = DEFAULT_POSTGRES_BIN_DIR } = options;
  const { startTimeoutMs = 30_000, stopGraceMs = 10_000 } = options;
  makeReachable(clusterDir);
  initializeCluster(binDir, clusterDir, durability);

  const settings: Record<string, string | number> = {
    listen_addresses: HOST,
    // TCP only: a socket path in a deep data folder could pass the 107-byte limit.
    unix_socket_directories: '',
    max_connections: maxConnections,
    ...(durability === 'relaxed' ? { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' } : {}),
    ...options.settings,
  };
  const serverArgs = [
    '-D',
    clusterDir,
    '-p',
    String(port),
    ...Object.entries(settings).flatMap(([name, value]) => ['-c', `${name}=${value}`]),
  ];
  const binary = path.join(binDir, 'postgres');
  const adminUrl = `postgres://postgres@${HOST}:${port}/postgres`;
  const server = await startServerProcess({
    label: `PostgreSQL (${binary})`,
    // setpriv execs the server in place (runuser would stay as its parent), so
    // the signals sent to this child reach PostgreSQL itself.
    ...(asPostgresUser()
      ? { command: 'setpriv', args: ['--reuid=postgres', '--regid=postgres', '--init-groups', '--', binary, ...serverArgs] }
      : { command: binary, args: serverArgs }),
    isReady: () => accepts(adminUrl),
    readyWhere: `${HOST}:${port}`,
    startTimeoutMs,
    // SIGINT is PostgreSQL's fast shutdown: it ends open sessions instead of
    // waiting for them, as SIGTERM would.
    stopSignal: 'SIGINT',
    stopGraceMs,
  });
  try {
    await createDatabaseIfMissing(adminUrl, FERRETDB_DATABASE);
    const url = `postgres://postgres@${HOST}:${port}/${FERRETDB_DATABASE}`;
    await prepareForFerretDb(url);
    return { url, port, stop: () => server.stop() };
  } catch (error) {
    await server.stop();
    throw error;
  }
}

/**
 * Applies the index mirrors and the planner setting to FerretDB's database.
 * Event triggers need a superuser: a LOCAL_PG_URL must name one.
 */
export async function prepareForFerretDb(url: string): Promise<void> {
  await withClient(url, async (client) => {
    try {
      await client.query(fs.readFileSync(MIRROR_SQL, 'utf8'));
    } catch (error) {
      throw new Error(`preparing ${redact(url)} for FerretDB (sql/mirror-indexes.sql) failed: ${(error as Error).message}`, {
        cause: error,
      });
    }
  });
}

export async function createDatabaseIfMissing(adminUrl: string, name: string): Promise<void> {
  await withClient(adminUrl, async (client) => {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rowCount === 0) await client.query(`CREATE DATABASE "${name}"`);
  });
}

export async function withClient<T>(url: string, use: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

async function accepts(url: string): Promise<boolean> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 1_000 });
  // A connection refused while the server starts is expected; the error must not escape.
  client.on('error', () => {});
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

/** A URL fit to print: its password, if any, masked. */
export function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}
