// What the proxy buys and costs: lost updates under concurrency, and the time
// of sequential writes and reads, through the proxy and straight to FerretDB.
//   npm run bench -w packages/db-proxy      (builds dist first)
'use strict';
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { MongoClient } = require('mongodb');
const { freePorts, startFerretDb, startWriteSerializingProxy } = require('../dist');

const repoRoot = path.resolve(__dirname, '../../..');
const toolsDir = path.join(repoRoot, '.tools');
const TRIALS = 3;
const SEQUENTIAL_OPS = 1000;

async function main() {
  execFileSync('flock', [path.join(toolsDir, '.build.lock'), 'bash', path.join(repoRoot, 'scripts/build-ferretdb.sh'), toolsDir], {
    stdio: 'inherit',
  });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'db-proxy-bench-'));
  const [port, debugPort] = await freePorts(2);
  const ferret = await startFerretDb({ binary: path.join(toolsDir, 'ferretdb'), dataDir, port, debugPort });
  const proxy = await startWriteSerializingProxy({ upstreamHost: '127.0.0.1', upstreamPort: ferret.port });
  const targets = {
    'straight to FerretDB': `mongodb://127.0.0.1:${ferret.port}/?directConnection=true`,
    'through the proxy': `mongodb://127.0.0.1:${proxy.port}/?directConnection=true`,
  };
  try {
    console.log(`FerretDB 1.24.2 (SQLite), Node ${process.version}, ${os.cpus().length} CPUs\n`);
    console.log(`## Concurrent updateOne $inc on one document (final count; ${TRIALS} trials, time of each)\n`);
    console.log('| N | target | final counts | times |');
    console.log('|---|---|---|---|');
    for (const n of [100, 200]) {
      for (const [name, uri] of Object.entries(targets)) {
        const runs = [];
        for (let trial = 0; trial < TRIALS; trial += 1) runs.push(await concurrentIncrements(uri, n, `${name} ${n} ${trial}`));
        console.log(`| ${n} | ${name} | ${runs.map((r) => r.count).join(', ')} | ${runs.map((r) => `${r.ms} ms`).join(', ')} |`);
      }
    }

    console.log(`\n## ${SEQUENTIAL_OPS} sequential operations on one client\n`);
    console.log('| target | updateOne $inc by _id | findOne by _id |');
    console.log('|---|---|---|');
    for (const [name, uri] of Object.entries(targets)) {
      const { writesMs, readsMs } = await sequential(uri, name);
      console.log(`| ${name} | ${writesMs} ms (${(writesMs / SEQUENTIAL_OPS).toFixed(2)} ms each) | ${readsMs} ms (${(readsMs / SEQUENTIAL_OPS).toFixed(2)} ms each) |`);
    }
  } finally {
    await proxy.close();
    await ferret.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
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
