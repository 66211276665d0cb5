// An update command with as many statements as FerretDB's PostgreSQL pool has
// connections never answers and wedges every later command (limits.ts). The
// proxy refuses such an update with a clear error; the database goes on.
import { MongoClient, ObjectId } from 'mongodb';
import { FERRETDB_POOL_SIZE, MAX_UPDATE_STATEMENTS } from '../src/limits';
import { BUILD_TIMEOUT_MS, startTestDatabase, within, type TestDatabase } from './helpers';

const updates = (ids: ObjectId[]) => ids.map((_id) => ({ updateOne: { filter: { _id }, update: { $inc: { n: 1 } } } }));

async function seeded(client: MongoClient, count: number) {
  const docs = client.db('batches').collection<{ _id: ObjectId; n: number }>(`docs_${count}`);
  const ids = Array.from({ length: count }, () => new ObjectId());
  await docs.insertMany(ids.map((_id) => ({ _id, n: 0 })));
  return { docs, ids };
}

describe('through the proxy', () => {
  let database: TestDatabase;
  let client: MongoClient;

  beforeAll(async () => {
    database = await startTestDatabase();
    client = new MongoClient(database.proxyUri);
  }, BUILD_TIMEOUT_MS);

  afterAll(async () => {
    await client?.close();
    await database?.stop();
  });

  test('an update of as many statements as the pool has connections is refused with a clear error, and the database still answers', async () => {
    const { docs, ids } = await seeded(client, FERRETDB_POOL_SIZE + 20);
    const refused = await within(
      10_000,
      'the oversized bulkWrite',
      docs.bulkWrite(updates(ids)).catch((error: unknown) => error),
    );
    expect(refused).toMatchObject({ code: 16, codeName: 'InvalidLength' });
    expect((refused as Error).message).toMatch(
      new RegExp(`update command of ${ids.length} statements .* \\(${MAX_UPDATE_STATEMENTS}\\).*smaller batches`),
    );
    expect(database.proxy.stats.updatesRefused).toBe(1);

    // Nothing of the refused batch was applied, and reads and writes go on.
    expect(await within(5_000, 'a read after it', docs.countDocuments({ n: 1 }))).toBe(0);
    const { modifiedCount } = await within(5_000, 'a batch at the limit', docs.bulkWrite(updates(ids.slice(0, MAX_UPDATE_STATEMENTS))));
    expect(modifiedCount).toBe(MAX_UPDATE_STATEMENTS);
    expect(await docs.countDocuments({ n: 1 })).toBe(MAX_UPDATE_STATEMENTS);
  });

  test('deletes and inserts of many statements are not limited', async () => {
    const { docs, ids } = await seeded(client, FERRETDB_POOL_SIZE * 2);
    const { deletedCount } = await within(
      10_000,
      'a large delete batch',
      docs.bulkWrite(ids.map((_id) => ({ deleteOne: { filter: { _id } } }))),
    );
    expect(deletedCount).toBe(ids.length);
  });
});

test('without the limit, FerretDB never answers that update and stops answering everything else', async () => {
  // The upstream behaviour the limit exists for: if this ever passes on a
  // FerretDB that answers, the limit can go.
  const database = await startTestDatabase({ proxy: { maxUpdateStatements: Number.MAX_SAFE_INTEGER, writeTimeoutMs: 60_000 } });
  const client = new MongoClient(database.proxyUri, { serverSelectionTimeoutMS: 2_000 });
  try {
    const { docs, ids } = await seeded(client, FERRETDB_POOL_SIZE);
    const hung = docs.bulkWrite(updates(ids)).then(
      () => 'answered',
      () => 'failed',
    );
    await expect(within(3_000, 'the pool-sized update', hung)).rejects.toThrow(/no result within/);
    const reader = new MongoClient(`mongodb://127.0.0.1:${database.ferretPort}/?directConnection=true`);
    try {
      await expect(
        within(2_000, 'a read straight to FerretDB', reader.db('batches').collection(docs.collectionName).findOne({ _id: ids[0]! })),
      ).rejects.toThrow(/no result within/);
    } finally {
      void reader.close(true);
    }
  } finally {
    void client.close(true);
    await database.stop();
  }
}, 60_000);
