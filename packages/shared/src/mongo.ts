import { MongoClient, type Db, type IndexDescription } from 'mongodb';
import { Gauge, type Registry } from 'prom-client';

export interface CollectionIndexes {
  collection: string;
  indexes: IndexDescription[];
}

/** Connections one process may hold to one MongoDB server. */
export const MONGODB_MAX_POOL_SIZE = 50;

export function createMongoClient(uri: string): MongoClient {
  return new MongoClient(uri, {
    serverSelectionTimeoutMS: 3_000,
    connectTimeoutMS: 3_000,
    maxPoolSize: MONGODB_MAX_POOL_SIZE,
    // Production is a replica set; locally FerretDB is one node. Retrying a
    // write once after a network blip is safe for every write we issue
    // (they are idempotent or guarded by a version or a unique key).
    retryWrites: false,
    appName: process.env.OTEL_SERVICE_NAME ?? 'testmancer',
  });
}

/**
 * createIndexes with an identical spec is a no-op, so this runs at every start.
 * One index per command: FerretDB 1.24 panics and drops the connection when one
 * createIndexes names two or more indexes that already exist ("slice bounds out
 * of range"), which made every restart of a service with such a collection fail.
 * Upstream: FerretDB/FerretDB#3858 (index filtering in validateIndexesForCreation).
 */
export async function ensureIndexes(db: Db, specs: readonly CollectionIndexes[]): Promise<void> {
  for (const { collection, indexes } of specs) {
    for (const index of indexes) await db.collection(collection).createIndexes([index]);
  }
}

export async function pingDatabase(db: Db, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    return await Promise.race([db.command({ ping: 1 }).then(() => true as const), timeout]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The database metrics the alerts of the rollout guide need ("database
 * connection issues", "database connection use > 80 %"):
 * `mongodb_reachable` (1 or 0, as the service's health reports it),
 * `mongodb_pool_checked_out_connections` (connections in use, from the
 * driver's pool events) and `mongodb_pool_max_connections`.
 * Returns the setter of `mongodb_reachable`.
 */
export function instrumentMongoClient(
  client: MongoClient,
  registry: Registry,
  maxPoolSize = MONGODB_MAX_POOL_SIZE,
): (reachable: boolean) => void {
  const reachable = new Gauge({
    name: 'mongodb_reachable',
    help: 'Whether this process reaches its MongoDB (0 after three missed pings in a row, as its gRPC health reports).',
    registers: [registry],
  });
  const checkedOut = new Gauge({
    name: 'mongodb_pool_checked_out_connections',
    help: 'MongoDB connections checked out of the driver pool (in use by an operation).',
    registers: [registry],
  });
  const max = new Gauge({
    name: 'mongodb_pool_max_connections',
    help: 'The driver pool size limit (maxPoolSize) of this process.',
    registers: [registry],
  });
  max.set(maxPoolSize);
  reachable.set(1);
  checkedOut.set(0);
  client.on('connectionCheckedOut', () => checkedOut.inc());
  client.on('connectionCheckedIn', () => checkedOut.dec());
  return (up) => reachable.set(up ? 1 : 0);
}
