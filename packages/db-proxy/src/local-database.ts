// The local and test database: PostgreSQL, FerretDB on it, and the
// write-serializing proxy in front, reachable with an ordinary MongoDB URI.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startFerretDb } from './ferretdb';
import { freePorts } from './free-port';
import { FERRETDB_POOL_SIZE, POSTGRES_MAX_CONNECTIONS } from './limits';
import { createDatabaseIfMissing, FERRETDB_DATABASE, prepareForFerretDb, startPostgres, withClient, type Durability } from './postgres';
import { startWriteSerializingProxy, type ProxyOptions, type WriteSerializingProxy } from './proxy';

export interface LocalDatabaseOptions {
  /** Folder holding the `ferretdb` binary (`bash scripts/build-ferretdb.sh <toolsDir>`). */
  toolsDir: string;
  /** Where the data lives, created if missing and kept on stop. Default: a temporary folder, removed on stop. */
  dataDir?: string;
  /** Address the proxy listens on. Default: 127.0.0.1 (containers reach the host on their network's gateway address). */
  host?: string;
  /** Port the proxy listens on. Default: a free one. */
  port?: number;
  /**
   * An existing PostgreSQL server to use instead of a private cluster
   * (a superuser's URL; default: the LOCAL_PG_URL variable). This database
   * gets a PostgreSQL database of its own there, named after its data folder.
   */
  postgresUrl?: string;
  /** Default: `relaxed` for a temporary folder, `full` for a given one. */
  durability?: Durability;
  /** More settings for a private cluster, for tests (PostgresOptions.settings). */
  postgresSettings?: Record<string, string>;
  /** The proxy's limits (timeouts, update size), for tests. */
  proxy?: Pick<ProxyOptions, 'writeTimeoutMs' | 'maxUpdateStatements'>;
}

export interface LocalDatabase {
  /** A URI for the MongoDB driver, pointing at the proxy. */
  uri: string;
  /** PostgreSQL's URL of the database FerretDB stores everything in. */
  postgresUrl: string;
  /** Straight to FerretDB, bypassing the proxy: for comparisons only. */
  ferretPort: number;
  proxyPort: number;
  proxy: WriteSerializingProxy;
  dataDir: string;
  stop(): Promise<void>;
}

/** What start-up has brought up so far, stopped in reverse order on failure and on stop. */
type Stop = () => Promise<void>;

export async function startLocalDatabase(options: LocalDatabaseOptions): Promise<LocalDatabase> {
  const binary = path.join(options.toolsDir, 'ferretdb');
  if (!fs.existsSync(binary)) {
    throw new Error(`no FerretDB at ${binary}; build it with: bash scripts/build-ferretdb.sh ${options.toolsDir}`);
  }
  const ownsDataDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'local-db-'));
  fs.mkdirSync(dataDir, { recursive: true });
  const durability = options.durability ?? (ownsDataDir ? 'relaxed' : 'full');
  const host = options.host ?? '127.0.0.1';
  const sharedServer = options.postgresUrl ?? process.env.LOCAL_PG_URL;

  const stops: Stop[] = [];
  const stopAll = async (): Promise<void> => {
    for (const stop of stops.splice(0).reverse()) await stop();
  };
  if (ownsDataDir) stops.push(() => fs.promises.rm(dataDir, { recursive: true, force: true }));

  try {
    const [pgPort, ferretPort, debugPort] = (await freePorts(3)) as [number, number, number];
    let postgresUrl: string;
    if (sharedServer) {
      postgresUrl = await ownDatabaseOn(sharedServer, dataDir);
      if (ownsDataDir) stops.push(() => dropDatabase(sharedServer, postgresUrl));
    } else {
      const postgres = await startPostgres({
        clusterDir: path.join(dataDir, 'postgresql'),
        port: pgPort,
        durability,
        maxConnections: POSTGRES_MAX_CONNECTIONS,
        ...(options.postgresSettings ? { settings: options.postgresSettings } : {}),
      });
      stops.push(() => postgres.stop());
      postgresUrl = postgres.url;
    }

    const stateDir = path.join(dataDir, 'ferretdb');
    fs.mkdirSync(stateDir, { recursive: true });
    const ferret = await startFerretDb({
      binary,
      postgresqlUrl: postgresUrl,
      stateDir,
      poolSize: FERRETDB_POOL_SIZE,
      port: ferretPort,
      debugPort,
    });
    stops.push(() => ferret.stop());

    const proxy = await startWriteSerializingProxy({
      ...options.proxy,
      upstreamHost: '127.0.0.1',
      upstreamPort: ferret.port,
      listenHost: host,
      listenPort: options.port ?? 0,
    });
    stops.push(() => proxy.close());

    return {
      // directConnection: the driver must not try to discover a replica set
      // behind the proxy; FerretDB is one standalone server.
      uri: `mongodb://${host}:${proxy.port}/?directConnection=true`,
      postgresUrl,
      ferretPort: ferret.port,
      proxyPort: proxy.port,
      proxy,
      dataDir,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/**
 * One PostgreSQL database per data folder, so that several local databases
 * can share a server without seeing each other's schemas, and a restart on
 * the same folder finds its data again.
 */
async function ownDatabaseOn(serverUrl: string, dataDir: string): Promise<string> {
  const name = `${FERRETDB_DATABASE}_${createHash('sha256').update(path.resolve(dataDir)).digest('hex').slice(0, 16)}`;
  await createDatabaseIfMissing(serverUrl, name);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  await prepareForFerretDb(url.toString());
  return url.toString();
}

async function dropDatabase(serverUrl: string, databaseUrl: string): Promise<void> {
  const name = new URL(databaseUrl).pathname.slice(1);
  await withClient(serverUrl, (client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
}
