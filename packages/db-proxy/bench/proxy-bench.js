// What the proxy buys and costs: lost updates under concurrency, and the time
// of sequential writes and reads, through the proxy and straight to FerretDB.
//   npm run bench -w packages/db-proxy      (builds dist first)
'use strict';
const { execFileSync } = require('node:child_process');
const os = require('node:os');
const path = require('node:path');
const { MongoClient } = require('mongodb');
const { startLocalDatabase } = require('../dist');

const repoRoot = path.resolve(__dirname, '../../..');
const toolsDir = path.join(repoRoot, '.tools');
const TRIALS = 3;
const SEQUENTIAL_OPS = 1000;
/** Straight to FerretDB, concurrent updates of one document can wait for each other forever. */
const TRIAL_LIMIT_MS = 20_000;
const COLLECTIONS = 4;
const PER_COLLECTION = 100;
const ROUNDS = 5;

async function main() {
  execFileSync('flock', [path.join(toolsDir, '.build.lock'), 'bash', path.join(repoRoot, 'scripts/build-ferretdb.sh'), toolsDir], {
    stdio: 'inherit',
  });
  const database = await startLocalDatabase({ toolsDir });
  // The proxy first, and the concurrent trials straight to FerretDB last: a hung one may leave it wedged.
  const targets = {
    'through the proxy': database.uri,
    'straight to FerretDB': `mongodb://127.0.0.1:${database.ferretPort}/?directConnection=true`,
  };
  try {
    console.log(`FerretDB 1.24.2 on PostgreSQL 15, Node ${process.version}, ${os.cpus().length} CPUs\n`);
    console.log(`## ${SEQUENTIAL_OPS} sequential operations on one client\n`);
    console.log('| target | updateOne $inc by _id | findOne by _id |');
    console.log('|---|---|---|');
    for (const [name, uri] of Object.entries(targets)) {
      const { writesMs, readsMs } = await sequential(uri, name);
      console.log(
        `| ${name} | ${writesMs} ms (${(writesMs / SEQUENTIAL_OPS).toFixed(2)} ms each) | ${readsMs} ms (${(readsMs / SEQUENTIAL_OPS).toFixed(2)} ms each) |`,
      );
    }
    console.log(
      `\n## Concurrent writes across ${COLLECTIONS} collections through the proxy (${COLLECTIONS} × ${PER_COLLECTION} at once, ${ROUNDS} rounds)\n`,
    );
    console.log('| operation | per second | final counts |');
    console.log('|---|---|---|');
    const across = await acrossCollections(database.uri);
    console.log(`| updateOne $inc, one document per collection | ${across.incPerSecond} | ${across.counts.join(', ')} |`);
    console.log(`| insertOne | ${across.insertPerSecond} | |`);

    console.log(`\n## Concurrent updateOne $inc on one document (final count; ${TRIALS} trials, time of each)\n`);
    console.log('| N | target | final counts | times |');
    console.log('|---|---|---|---|');
    for (const [name, uri] of Object.entries(targets)) {
      for (const n of [100, 200]) {
        const runs = [];
        for (let trial = 0; trial < TRIALS; trial += 1) {
          const run = await withinLimit(concurrentIncrements(uri, n, `${name} ${n} ${trial}`));
          runs.push(run);
          if (run.hung) break;
        }
        console.log(
          `| ${n} | ${name} | ${runs.map((r) => r.count).join(', ')} | ${runs.map((r) => (r.ms === undefined ? '-' : `${r.ms} ms`)).join(', ')} |`,
        );
      }
    }
  } finally {
    await database.stop();
  }
}

async function withinLimit(trial) {
  let timer;
  const hung = new Promise((resolve) => {
    timer = setTimeout(() => resolve({ count: `no answer within ${TRIAL_LIMIT_MS / 1000} s`, hung: true }), TRIAL_LIMIT_MS);
  });
  try {
    return await Promise.race([trial, hung]);
  } finally {
    clearTimeout(timer);
  }
}

/** Writes to different collections may overlap in the proxy; each collection's stay one at a time. */
async function acrossCollections(uri) {
  const client = new MongoClient(uri, { maxPoolSize: COLLECTIONS * PER_COLLECTION });
  try {
    const collections = Array.from({ length: COLLECTIONS }, (_, k) => client.db('bench').collection(`across ${k}`));
    for (const collection of collections) await collection.insertOne({ _id: 'x', n: 0 });
    await Promise.all(Array.from({ length: COLLECTIONS * PER_COLLECTION }, (_, i) => collections[i % COLLECTIONS].findOne({ _id: 'x' })));
    const total = COLLECTIONS * PER_COLLECTION * ROUNDS;
    const each = (write) =>
      Promise.all(collections.flatMap((collection) => Array.from({ length: PER_COLLECTION }, () => write(collection))));
    let started = performance.now();
    for (let round = 0; round < ROUNDS; round += 1) await each((collection) => collection.updateOne({ _id: 'x' }, { $inc: { n: 1 } }));
    const incPerSecond = Math.round((total / (performance.now() - started)) * 1000);
    const counts = await Promise.all(collections.map(async (collection) => (await collection.findOne({ _id: 'x' })).n));
    started = performance.now();
    for (let round = 0; round < ROUNDS; round += 1) await each((collection) => collection.insertOne({ round }));
    const insertPerSecond = Math.round((total / (performance.now() - started)) * 1000);
    return { incPerSecond, insertPerSecond, counts };
  } finally {
    await client.close();
  }
}

async function concurrentIncrements(uri, n, id) {
  const client = new MongoClient(uri, { maxPoolSize: n });
  try {
    const counters = client.db('bench').collection('counters');
    await counters.insertOne({ _id: id, n: 0 });
    // Open the pool first, so that the increments really run side by side.
    await Promise.all(Array.from({ length: n }, () => counters.findOne({ _id: id })));
    const started = performance.now();
    await Promise.all(Array.from({ length: n }, () => counters.updateOne({ _id: id }, { $inc: { n: 1 } })));
    const ms = Math.round(performance.now() - started);
    const { n: count } = await counters.findOne({ _id: id });
    return { count, ms };
  } finally {
    await client.close();
  }
}

async function sequential(uri, name) {
  const client = new MongoClient(uri);
  try {
    const docs = client.db('bench').collection(`sequential ${name}`);
    await docs.insertMany(Array.from({ length: 100 }, (_, i) => ({ _id: i, n: 0 })));
    for (let i = 0; i < 50; i += 1) await docs.findOne({ _id: i });
    const time = async (operation) => {
      const started = performance.now();
      for (let i = 0; i < SEQUENTIAL_OPS; i += 1) await operation(i % 100);
      return Math.round(performance.now() - started);
    };
    const writesMs = await time((i) => docs.updateOne({ _id: i }, { $inc: { n: 1 } }));
    const readsMs = await time((i) => docs.findOne({ _id: i }));
    return { writesMs, readsMs };
  } finally {
    await client.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
