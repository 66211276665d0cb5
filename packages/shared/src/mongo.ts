import { MongoClient, type Db, type IndexDescription } from 'mongodb';

export interface CollectionIndexes {
  collection: string;
  indexes: IndexDescription[];
}

export function createMongoClient(uri: string): MongoClient {
  return new MongoClient(uri, {
    serverSelectionTimeoutMS: 3_000,
    connectTimeoutMS: 3_000,
    maxPoolSize: 50,
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
