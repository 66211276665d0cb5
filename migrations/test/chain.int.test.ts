// The migration chain against the local database (PostgreSQL → FerretDB → proxy), every command a real process.
import path from 'node:path';
import { startLocalDatabase, type LocalDatabase } from '@testmancer/db-proxy';
import type { MongoClient } from 'mongodb';
import { random } from '../src/seed';
import { cli, client, dump, firstDifference, ROOT, startCli, until } from './support';

let database: LocalDatabase;
let mongo: MongoClient;
let uri: string;
let n = 0;
const freshDb = () => `mig_${Date.now().toString(36)}_${n++}`;

beforeAll(async () => {
  database = await startLocalDatabase({ toolsDir: path.join(ROOT, '.tools'), durability: 'relaxed' });
  uri = database.uri;
  mongo = await client(uri);
}, 120_000);
afterAll(async () => {
  await mongo?.close();
  await database?.stop();
});

async function seeded(courses: number, seed = 3): Promise<string> {
  const name = freshDb();
  const seeding = await cli(uri, name, ['seed-legacy', '--courses', String(courses), '--seed', String(seed)]);
  expect(seeding.code).toBe(0);
  return name;
}

const sameDump = (a: Record<string, string[]>, b: Record<string, string[]>) => expect(firstDifference(a, b)).toBeUndefined();

test('bad arguments: a message and exit 2, never a stack trace', async () => {
  for (const args of [
    ['run', 'nope'],
    ['up', '--environment', 'nowhere'],
    ['up', '--bogus'],
    ['up', '--backup', '--no-backup'],
    ['frobnicate'],
  ]) {
    const result = await cli(uri, 'unused', args);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error: /);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  }
  const production = await cli(uri, freshDb(), ['run', 'structured-courses', '--environment', 'production']);
  expect(production.code).toBe(2);
  expect(production.stderr).toMatch(/must say --backup \(or --no-backup/);
});

test('dry run: the whole database is unchanged; the report lists courses, their structure and every conflict with its id', async () => {
  const name = await seeded(40);
  const db = mongo.db(name);
  const before = await dump(db, { withState: true });
  const result = await cli(uri, name, ['run', 'structured-courses', '--dry-run', '--verbose', '--json']);
  expect(result.code).toBe(0);
  sameDump(await dump(db, { withState: true }), before);
  expect(result.json.outcome).toBe('dry-run');
  expect(result.json.collections.courses).toMatchObject({ read: 40, updated: 40 });
  const structures = result.json.details.filter((d: any) => d.course);
  expect(structures).toHaveLength(40);
  expect(structures[0]).toEqual({
    course: expect.stringMatching(/^[0-9a-f]{24}$/),
    structure: { unitType: 'module', unitCount: expect.any(Number) },
    units: expect.any(Array),
  });
  const kinds = new Set(result.json.conflicts.map((c: any) => c.kind));
  for (const kind of ['bad-order', 'unparseable-gems', 'invalid-after-lesson']) expect(kinds).toContain(kind);
  for (const conflict of result.json.conflicts) expect(conflict.id).toMatch(/^[0-9a-f]{24}$/);
});

test('whole chain, then validators and verify pass; a second run changes nothing (whole-database comparison)', async () => {
  const name = await seeded(60);
  const db = mongo.db(name);
  const first = await cli(uri, name, ['up', '--environment', 'production', '--backup', '--json']);
  expect(first.code).toBe(0);
  expect(first.json.applied).toEqual(['m0', 'm1', 'm2', 'm3', 'structured-courses']);
  const after = await dump(db);
  for (const command of ['verify', 'validate-course-structures', 'validate-quiz-triggers']) {
    const check = await cli(uri, name, [command, '--json']);
    expect([command, check.code, check.json?.problems]).toEqual([command, 0, []]);
  }
  const again = await cli(uri, name, ['up', '--json']);
  expect(again.code).toBe(0);
  expect(again.json.applied).toEqual([]);
  // The migration itself run a second time (its applied record removed): it finds everything migrated.
  await db.collection('migrations_applied').deleteOne({ _id: 'structured-courses' as never });
  const rerun = await cli(uri, name, ['run', 'structured-courses', '--json']);
  expect(rerun.code).toBe(0);
  expect(rerun.json.collections.courses).toMatchObject({ read: 60, updated: 0, skipped: 60 });
  sameDump(await dump(db), after);
  const status = await cli(uri, name, ['status', '--json']);
  expect(status.json.migrations.every((m: any) => m.applied)).toBe(true);
  expect(status.json.runs.map((r: any) => r.outcome)).toEqual(['succeeded', 'succeeded']);
  expect(status.json.lock).toBeNull();
});

test('rollback: every document back to exactly its backed-up state (bytes: types and field order); all downs give back the legacy data', async () => {
  const name = await seeded(50, 11);
  const db = mongo.db(name);
  const legacy = await dump(db);
  expect((await cli(uri, name, ['run', 'm3'])).code).toBe(0);
  const beforeStructured = await dump(db);
  expect((await cli(uri, name, ['run', 'structured-courses', '--environment', 'production', '--backup'])).code).toBe(0);
  expect(firstDifference(await dump(db), beforeStructured)).toBeDefined();
  const rollback = await cli(uri, name, ['rollback', '--json']);
  expect([rollback.code, rollback.json.problems]).toEqual([0, []]);
  sameDump(await dump(db), beforeStructured);
  const down = await cli(uri, name, ['down', '--json']);
  expect(down.code).toBe(0);
  expect(down.json.reverted).toEqual(['m3', 'm2', 'm1', 'm0']);
  sameDump(await dump(db), legacy);
});

test('two runners at once: one runs, the other refuses with a clear message (or waits with --lock-wait)', async () => {
  const name = await seeded(150);
  const db = mongo.db(name);
  const first = startCli(uri, name, ['up', '--json']);
  await until(() => db.collection('migration_lock').findOne({}), 30_000);
  const second = await cli(uri, name, ['up', '--lock-wait', '0']);
  expect(second.code).toBe(3);
  expect(second.stderr).toMatch(/another migration runner holds the lock: run [0-9a-f-]+ \(migrate:up\)/);
  const waiting = startCli(uri, name, ['up', '--lock-wait', '120000', '--json']);
  const [a, b] = await Promise.all([first.done, waiting.done]);
  expect(a.code).toBe(0);
  expect(b.code).toBe(0);
  expect(a.json.applied).toHaveLength(5);
  expect(b.json.collections.courses?.updated ?? 0).toBe(0);
});

test('a lock left by a SIGKILLed runner is recovered; --resume continues its run', async () => {
  const name = await seeded(150);
  const db = mongo.db(name);
  const victim = startCli(uri, name, ['up']);
  const lock = await until(() => db.collection('migration_lock').findOne({}), 30_000);
  victim.child.kill('SIGKILL');
  await victim.done;
  expect(await db.collection('migration_lock').findOne({})).toMatchObject({ runId: lock.runId });
  const resumed = await cli(uri, name, ['run', 'structured-courses', '--resume', '--json']);
  expect(resumed.code).toBe(0);
  expect(resumed.json.notes).toEqual(expect.arrayContaining([expect.stringContaining(`recovered the lock of dead run ${lock.runId}`)]));
  expect((await cli(uri, name, ['validate-course-structures'])).code).toBe(0);
});

test('crash and resume: SIGKILL at 10 random points, resumed each time, ends identical to an uninterrupted run', async () => {
  const courses = 120;
  const clean = await seeded(courses, 21);
  expect((await cli(uri, clean, ['up'])).code).toBe(0);
  const expected = await dump(mongo.db(clean));

  const name = await seeded(courses, 21);
  const r = random(42);
  const kills: number[] = [];
  for (let i = 0; i < 10; i++) {
    const run = startCli(uri, name, ['up', '--resume', '--batch-size', '10']);
    // Wait for the runner to hold the lock (it is working), then kill it after a random while: between or inside batches.
    await until(() => mongo.db(name).collection('migration_lock').findOne({}), 30_000).catch(() => undefined);
    const delay = r.int(0, 1500);
    kills.push(delay);
    await new Promise((resolve) => setTimeout(resolve, delay));
    run.child.kill('SIGKILL');
    await run.done;
  }
  const final = await cli(uri, name, ['up', '--resume', '--json']);
  expect(final.code).toBe(0);
  sameDump(await dump(mongo.db(name)), expected);
  const status = await cli(uri, name, ['status', '--json']);
  expect(status.json.migrations.every((m: any) => m.applied)).toBe(true);
  process.stdout.write(`crash-and-resume kill delays (ms after the lock was taken): ${kills.join(', ')}\n`);
}, 400_000);

test('fencing: a runner stalled past its lease (SIGSTOP) loses the lock to another runner and fails its next write; the other runner’s work stands', async () => {
  const name = await seeded(150);
  const db = mongo.db(name);
  // Slow batches, so that the stop lands between writes, as a long pause of a real runner would.
  const stalled = startCli(uri, name, ['run', 'structured-courses', '--environment', 'test', '--batch-size', '10', '--throttle', '1500']);
  await until(() => db.collection('migration_runs').findOne({ 'checkpoint.read': { $gte: 20 } }), 60_000);
  stalled.child.kill('SIGSTOP');
  // Past the test environment's 5 s lock expiry: the lock is judged dead and taken over.
  await new Promise((resolve) => setTimeout(resolve, 6_000));
  const other = await cli(uri, name, ['rollback', '--environment', 'test', '--json']);
  expect([other.code, other.json?.problems]).toEqual([0, []]);
  expect(other.json.notes).toEqual(expect.arrayContaining([expect.stringMatching(/^recovered the lock of dead run/)]));
  const afterOther = await dump(db, { withState: true });
  stalled.child.kill('SIGCONT');
  const resumed = await stalled.done;
  expect(resumed.code).toBe(3);
  expect(resumed.stderr).toMatch(/^stopped: run [0-9a-f-]+ lost the migration lock/);
  sameDump(await dump(db, { withState: true }), afterOther);
}, 120_000);
