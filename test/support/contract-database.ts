import { randomBytes } from 'node:crypto';
import { ensureIndexes, type CollectionIndexes } from '@testmancer/shared';
import { MongoClient, type Db } from 'mongodb';

/**
 * A database of its own on the run's MongoDB (the local one, or MONGODB_URI),
 * with a service's indexes, for a store port's contract run against its
 * MongoDB adapter: emptied before each test, as a new fake is, and dropped
 * after the file.
 */
export function contractDatabase(name: string, indexes: readonly CollectionIndexes[]): () => Db {
  const client = new MongoClient(process.env.TEST_MONGODB_URI!);
  let db: Db | undefined;
  beforeAll(async () => {
    db = client.db(`contract_${name}_${randomBytes(4).toString('hex')}`);
    await ensureIndexes(db, indexes);
  });
  beforeEach(async () => {
    await Promise.all(indexes.map((spec) => db!.collection(spec.collection).deleteMany({})));
  });
  afterAll(async () => {
    await db?.dropDatabase();
    await client.close();
  });
  return () => {
    if (!db) throw new Error('the contract database is made in beforeAll');
    return db;
  };
}
