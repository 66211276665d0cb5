/**
 * The floor under every other figure: what the database itself costs, per
 * operation, as its collections grow.
 *
 *   npm run bench:db                     the local database (PostgreSQL, FerretDB, proxy)
 *   MONGODB_URI=mongodb://… npm run bench:db   any MongoDB (MONGODB_DB, default bench_db_<time>)
 *   BENCH_DB_SIZES=1000,20000 npm run bench:db  other collection sizes (default 1000,20000,100000)
 *
 * For each size: one collection of documents of about 250 bytes with indexes
 * on `key` and on (userId, createdAt descending), then sequential calls of
 * each operation on one client. `userId` takes 997 values (a user has
 * size / 997 documents): the history rows compare reading a user's
 * documents whole (and sorting them in the client) with the sorted, limited
 * query the services now send. Each cell
 * runs until it has BENCH_DB_SAMPLES samples (default 200) or has spent
 * BENCH_DB_CELL_SECONDS (default 5), with at least 3 samples, and prints the
 * median in ms. What it created is dropped at the end.
 */
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { redact, startLocalDatabase, type LocalDatabase } from '@testmancer/db-proxy';
import { MongoClient, ObjectId, type Collection } from 'mongodb';

const sizes = (process.env.BENCH_DB_SIZES ?? '1000,20000,100000').split(',').map(Number);
const maxSamples = Number(process.env.BENCH_DB_SAMPLES ?? 200);
const cellBudgetMs = Number(process.env.BENCH_DB_CELL_SECONDS ?? 5) * 1000;
const MIN_SAMPLES = 3;
const INSERT_BATCH = 1000;

interface BenchDocument {
  _id: ObjectId;
  key: string;
  userId: string;
  n: number;
  title: string;
  createdAt: Date;
}

function documentAt(i: number): BenchDocument {
  return {
    _id: new ObjectId(),
    key: `key-${i.toString().padStart(8, '0')}`,
    userId: `user-${i % 997}`,
    n: i,
    title: `Document ${i}: ${'lorem ipsum dolor sit amet '.repeat(6)}`,
    createdAt: new Date(1_700_000_000_000 + i * 1000),
  };
}

function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Runs `operation(i)` sequentially within the cell's budget; the median of its times. */
async function cell(operation: (i: number) => Promise<unknown>): Promise<{ medianMs: number; samples: number }> {
  const samples: number[] = [];
  const started = performance.now();
  while (samples.length < maxSamples && (samples.length < MIN_SAMPLES || performance.now() - started < cellBudgetMs)) {
    const t0 = performance.now();
    await operation(samples.length);
    samples.push(performance.now() - t0);
  }
  return { medianMs: median(samples), samples: samples.length };
}

interface Row {
  operation: string;
  cells: string[];
}

async function measureSize(collection: Collection<BenchDocument>, size: number): Promise<Map<string, string>> {
  const ids: ObjectId[] = [];
  const started = performance.now();
  for (let from = 0; from < size; from += INSERT_BATCH) {
    const batch = Array.from({ length: Math.min(INSERT_BATCH, size - from) }, (_, k) => documentAt(from + k));
    await collection.insertMany(batch, { ordered: false });
    for (const document of batch) ids.push(document._id);
  }
  const insertMs = performance.now() - started;
  await collection.createIndex({ key: 1 });
  await collection.createIndex({ userId: 1, createdAt: -1 });

  const pick = (i: number) => (i * 7919) % size;
  const figures = new Map<string, string>();
  const record = (operation: string, result: { medianMs: number; samples: number }) =>
    figures.set(operation, `${result.medianMs.toFixed(1)} (n=${result.samples})`);

  figures.set(`insertMany, batches of ${INSERT_BATCH} (ms per 1,000)`, `${((insertMs / size) * 1000).toFixed(1)}`);
  record('findOne({ _id })', await cell((i) => collection.findOne({ _id: ids[pick(i)]! })));
  record('findOne({ key }), indexed', await cell((i) => collection.findOne({ key: documentAt(pick(i)).key })));
  record('updateOne({ _id }, { $inc })', await cell((i) => collection.updateOne({ _id: ids[pick(i)]! }, { $inc: { n: 1 } })));
  record(
    'find({ _id: { $in: 10 ids } })',
    await cell((i) => collection.find({ _id: { $in: Array.from({ length: 10 }, (_, k) => ids[pick(i * 10 + k)]!) } }).toArray()),
  );
  record('find().sort({ n: -1 }).limit(20)', await cell(() => collection.find().sort({ n: -1 }).limit(20).toArray()));
  const userOf = (i: number) => `user-${String(pick(i) % 997)}`;
  record('history: find({ userId }) whole, sorted in the client', await cell((i) => collection.find({ userId: userOf(i) }).toArray()));
  record(
    'history: find({ userId }).sort({ createdAt: -1, _id: -1 }).limit(20)',
    await cell((i) =>
      collection
        .find({ userId: userOf(i) })
        .sort({ createdAt: -1, _id: -1 })
        .limit(20)
        .toArray(),
    ),
  );
  record(
    'history: find({ userId, _id > cursor }).sort({ _id: 1 }).limit(21)',
    await cell((i) =>
      collection
        .find({ userId: userOf(i), _id: { $gt: ids[pick(i) % 997]! } })
        .sort({ _id: 1 })
        .limit(21)
        .toArray(),
    ),
  );
  return figures;
}

async function main(): Promise<void> {
  const rootDir = path.resolve(__dirname, '../..');
  let local: LocalDatabase | undefined;
  const uri = process.env.MONGODB_URI ?? (local = await startLocalDatabase({ toolsDir: path.join(rootDir, '.tools') })).uri;
  const client = new MongoClient(uri);
  const ownDatabase = process.env.MONGODB_DB === undefined;
  const db = client.db(process.env.MONGODB_DB ?? `bench_db_${Date.now().toString(36)}`);
  try {
    const build = await db.admin().command({ buildInfo: 1 });
    const target = local ? 'the local database (PostgreSQL 15, FerretDB, write-serializing proxy)' : `MONGODB_URI (${redact(uri)})`;
    console.log(
      `# bench:db — ${target}; server says version ${build.version}${build.ferretdb ? ` (FerretDB ${build.ferretdb.version})` : ''}`,
    );
    console.log(
      `Node ${process.version}; median ms of sequential calls; each cell at most ${maxSamples} samples or ${cellBudgetMs / 1000} s\n`,
    );

    const columns: Map<string, string>[] = [];
    for (const size of sizes) {
      const collection = db.collection<BenchDocument>(`bench_${size}`);
      await collection.drop().catch(() => {});
      columns.push(await measureSize(collection, size));
      await collection.drop();
    }
    const rows: Row[] = [...columns[0]!.keys()].map((operation) => ({ operation, cells: columns.map((column) => column.get(operation)!) }));
    console.log(`| operation | ${sizes.map((size) => `${size.toLocaleString('en')} docs`).join(' | ')} |`);
    console.log(`|---|${sizes.map(() => '---').join('|')}|`);
    for (const row of rows) console.log(`| ${row.operation} | ${row.cells.join(' | ')} |`);
    if (ownDatabase) await db.dropDatabase();
  } finally {
    await client.close();
    await local?.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
