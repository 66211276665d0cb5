// Through the proxy, concurrent writes to one document behave as on MongoDB:
// none is lost and a compare-and-set has exactly one winner.
import { MongoClient } from 'mongodb';
import { BUILD_TIMEOUT_MS, startTestDatabase, type TestDatabase } from './helpers';

interface Counter {
  _id: string;
  n: number;
}
interface Claim {
  _id: string;
  version: number;
  owner: number | null;
}

let database: TestDatabase;
let clients: MongoClient[] = [];

beforeAll(async () => {
  database = await startTestDatabase();
  // Four pools of 50: up to 200 connections, so the writes really are concurrent.
  clients = Array.from({ length: 4 }, () => new MongoClient(database.proxyUri, { maxPoolSize: 50 }));
  await Promise.all(clients.map((client) => client.connect()));
}, BUILD_TIMEOUT_MS);

afterAll(async () => {
  await Promise.all(clients.map((client) => client.close()));
  await database?.stop();
});

const collection = <T extends object>(name: string, clientIndex = 0) =>
  clients[clientIndex % clients.length]!.db('atomicity').collection<T>(name);

test('200 concurrent $inc on one document all count', async () => {
  await collection<Counter>('counters').insertOne({ _id: 'inc', n: 0 });

  const results = await Promise.all(
    Array.from({ length: 200 }, (_, i) => collection<Counter>('counters', i).updateOne({ _id: 'inc' }, { $inc: { n: 1 } })),
  );

  expect(results.filter((result) => result.modifiedCount === 1)).toHaveLength(200);
  expect(await collection<Counter>('counters').findOne({ _id: 'inc' })).toEqual({ _id: 'inc', n: 200 });
});

test('100 concurrent findOneAndUpdate $inc each see a different value', async () => {
  await collection<Counter>('counters').insertOne({ _id: 'ticket', n: 0 });

  const seen = await Promise.all(
    Array.from({ length: 100 }, (_, i) =>
      collection<Counter>('counters', i).findOneAndUpdate({ _id: 'ticket' }, { $inc: { n: 1 } }, { returnDocument: 'after' }),
    ),
  );

  const values = seen.map((document) => document?.n).sort((a, b) => a! - b!);
  expect(values).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
});

test('50 compare-and-set writers on one version: exactly one wins, round after round', async () => {
  const claims = collection<Claim>('claims');
  await claims.insertOne({ _id: 'claim', version: 0, owner: null });

  for (let round = 0; round < 5; round += 1) {
    const { version } = (await claims.findOne({ _id: 'claim' }))!;
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, writer) =>
        collection<Claim>('claims', writer).updateOne({ _id: 'claim', version }, { $set: { owner: writer }, $inc: { version: 1 } }),
      ),
    );

    const winners = results.flatMap((result, writer) => (result.modifiedCount === 1 ? [writer] : []));
    expect(results.reduce((sum, result) => sum + result.modifiedCount, 0)).toBe(1);
    expect(await claims.findOne({ _id: 'claim' })).toEqual({ _id: 'claim', version: version + 1, owner: winners[0] });
  }
});

test('writes to many documents of one collection at once: each document counts every one of its own', async () => {
  const ids = Array.from({ length: 20 }, (_, i) => `doc-${i}`);
  await collection<Counter>('spread').insertMany(ids.map((_id) => ({ _id, n: 0 })));
  await Promise.all(
    Array.from({ length: 200 }, (_, i) => {
      const spread = collection<Counter>('spread', i);
      // Every tenth write may touch any document: it must not interleave with the others.
      return i % 10 === 0
        ? spread.updateMany({ _id: { $in: ids } }, { $inc: { n: 1 } })
        : spread.findOneAndUpdate({ _id: ids[i % ids.length]! }, { $inc: { n: 1 } });
    }),
  );
  const expected = new Map(ids.map((id) => [id, 20]));
  for (let i = 0; i < 200; i += 1) if (i % 10 !== 0) expected.set(ids[i % ids.length]!, expected.get(ids[i % ids.length]!)! + 1);
  const counts = await collection<Counter>('spread').find().toArray();
  expect(new Map(counts.map((doc) => [doc._id, doc.n]))).toEqual(expected);
});
