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

/** createIndexes with an identical spec is a no-op, so this runs at every start. */
export async function ensureIndexes(db: Db, specs: readonly CollectionIndexes[]): Promise<void> {
  for (const { collection, indexes } of specs) {
    if (indexes.length > 0) await db.collection(collection).createIndexes(indexes);
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
