/**
 * bench:migration -- --courses N [--seed S]: generates N legacy courses,
 * measures the database's raw bulkWrite throughput (updates by _id in
 * batches of 60, inserts in batches of 1,000, documents of the migration's
 * sizes), then a dry run and the whole chain as the operator runs them (the
 * CLI, one process each), and prints courses/s and documents/s next to the
 * raw figures (--verify: also the verify command). Uses MONGODB_URI when set, else starts a local database.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { promisify } from 'node:util';
import { startLocalDatabase, type LocalDatabase } from '@testmancer/db-proxy';
import { MongoClient, ObjectId, type Document } from 'mongodb';
import type { Report } from './context';
import type { SeedCounts } from './seed';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '../..');

/** What the bench reads of a command's --json report (Report.toJSON; seed-legacy adds its counts). */
type CliReport = Pick<ReturnType<Report['toJSON']>, 'outcome' | 'peakRssMb' | 'collections' | 'problems'> & { seed?: SeedCounts };

async function cli(uri: string, db: string, args: string[]) {
  const started = Date.now();
  const { stdout } = await run(process.execPath, [path.join(ROOT, 'migrations/dist/cli.js'), ...args, '--json', '--no-progress'], {
    env: { ...process.env, MONGODB_URI: uri, MONGODB_DB: db },
    maxBuffer: 1 << 30,
  });
  return { seconds: (Date.now() - started) / 1000, report: JSON.parse(stdout) as CliReport };
}

async function main() {
  const { values } = parseArgs({
    options: {
      courses: { type: 'string', default: '100000' },
      seed: { type: 'string', default: '1' },
      verify: { type: 'boolean', default: false },
    },
  });
  const courses = Number(values.courses);
  if (!Number.isInteger(courses) || courses < 1) throw new Error('--courses must be a positive integer');
  let local: LocalDatabase | undefined;
  let uri = process.env.MONGODB_URI;
  if (!uri) {
    local = await startLocalDatabase({ toolsDir: path.join(ROOT, '.tools'), durability: 'relaxed' });
    uri = local.uri;
  }
  const dbName = `bench_migration_${Date.now().toString(36)}`;
  const client = await MongoClient.connect(uri);
  const db = client.db(dbName);
  const line = (text: string) => process.stdout.write(`${text}\n`);
  try {
    line(`bench:migration: ${courses} courses, database ${dbName}${local ? ' (local: PostgreSQL → FerretDB 1.24 → proxy)' : ''}`);
    const seed = await cli(uri, dbName, ['seed-legacy', '--courses', String(courses), '--seed', values.seed]);
    const seeded = seed.report.seed;
    if (!seeded) throw new Error('seed-legacy reported no seed counts');
    line(
      `seed:legacy        ${seed.seconds.toFixed(1)} s: ${seeded.users} users, ${seeded.courses} courses (${seeded.modules} modules), ${seeded.quizzes} quizzes, ${seeded.quizattempts} attempts`,
    );

    // Raw bulkWrite of the database, same run: documents shaped like the migration's.
    const scratch = db.collection<Document>('bench_raw');
    const sample = await db.collection('courses').find({}).limit(200).toArray();
    const rawCount = Math.min(courses, 20_000);
    const docs = Array.from({ length: rawCount }, (_, i) => ({ ...sample[i % sample.length], _id: new ObjectId() }));
    let t = Date.now();
    for (let i = 0; i < docs.length; i += 1000)
      await scratch.bulkWrite(
        docs.slice(i, i + 1000).map((document) => ({ insertOne: { document } })),
        { ordered: false },
      );
    const insertRate = rawCount / ((Date.now() - t) / 1000);
    t = Date.now();
    for (let i = 0; i < docs.length; i += 60) {
      await scratch.bulkWrite(
        docs.slice(i, i + 60).map((d) => ({
          updateOne: {
            filter: { _id: d._id },
            update: { $set: { structure: { unitType: 'module', unitCount: 3 }, units: [], version: 1 } },
          },
        })),
        { ordered: true },
      );
    }
    const updateRate = rawCount / ((Date.now() - t) / 1000);
    await scratch.drop();
    line(
      `raw bulkWrite      inserts ${insertRate.toFixed(0)} docs/s (batches of 1,000), updates by _id ${updateRate.toFixed(0)} docs/s (batches of 60), ${rawCount} course-sized documents`,
    );

    const dry = await cli(uri, dbName, ['run', 'structured-courses', '--dry-run']);
    line(
      `dry run            ${dry.seconds.toFixed(1)} s (${(courses / dry.seconds).toFixed(0)} courses/s), peak RSS ${dry.report.peakRssMb} MB`,
    );

    const migration = await cli(uri, dbName, ['up', '--environment', 'production', '--backup']);
    const c = migration.report.collections;
    let updates = 0;
    let inserts = 0;
    for (const counts of Object.values(c)) {
      updates += counts.updated;
      inserts += counts.inserted + counts.backedUp;
    }
    const documents = updates + inserts;
    const rawSeconds = updates / updateRate + inserts / insertRate;
    line(
      `migration (m0..structured-courses, --backup) ${migration.seconds.toFixed(1)} s: ${(courses / migration.seconds).toFixed(0)} courses/s, ` +
        `${(documents / migration.seconds).toFixed(0)} documents/s (${updates} updates, ${inserts} inserts incl. backups), peak RSS ${migration.report.peakRssMb} MB`,
    );
    line(
      `raw bulkWrite of the same writes: ${rawSeconds.toFixed(1)} s, ${(documents / rawSeconds).toFixed(0)} documents/s → migration at ${((100 * rawSeconds) / migration.seconds).toFixed(0)} % of raw`,
    );
    const validate = await cli(uri, dbName, ['validate-course-structures']);
    line(`validate:course-structures ${validate.seconds.toFixed(1)} s, ${validate.report.problems.length} problem(s)`);
    let problems = validate.report.problems.length;
    if (values.verify) {
      const verify = await cli(uri, dbName, ['verify']);
      line(`verify             ${verify.seconds.toFixed(1)} s, ${verify.report.problems.length} problem(s)`);
      problems += verify.report.problems.length;
    }
    if (migration.report.outcome !== 'succeeded' || problems) process.exitCode = 1;
  } finally {
    await db.dropDatabase().catch(() => undefined);
    await client.close();
    await local?.stop();
  }
}

main().catch((error) => {
  process.stderr.write(`bench:migration failed: ${(error as Error).stack ?? error}\n`);
  process.exitCode = 1;
});
