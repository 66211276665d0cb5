// sql/mirror-indexes.sql: every btree index FerretDB creates gets a GIN mirror
// that its `@>` filters can use, the platform's main queries are index scans
// in PostgreSQL's own plans of the statements FerretDB sends (auto_explain),
// and dropping an index, a collection or a database leaves nothing behind.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { MongoClient, ObjectId, type Db } from 'mongodb';
import { withClient } from '../src/postgres';
import { BUILD_TIMEOUT_MS, startTestDatabase, waitUntil, type TestDatabase } from './helpers';

let database: TestDatabase;
let client: MongoClient;
let logDir: string;

beforeAll(async () => {
  // auto_explain logs the plan of every statement FerretDB runs, as it ran it.
  logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pg-plans-'));
  // Written by the server, which runs as the postgres user when the tests run as root.
  fs.chmodSync(logDir, 0o777);
  database = await startTestDatabase({
    postgresSettings: {
      session_preload_libraries: 'auto_explain',
      'auto_explain.log_min_duration': '0',
      'auto_explain.log_format': 'json',
      logging_collector: 'on',
      log_destination: 'jsonlog',
      log_directory: logDir,
      log_filename: 'postgresql.log',
    },
  });
  client = new MongoClient(database.proxyUri);
}, BUILD_TIMEOUT_MS);

afterAll(async () => {
  await client?.close();
  await database?.stop();
  fs.rmSync(logDir, { recursive: true, force: true });
});

const sql = <T extends Record<string, unknown>>(text: string, values: unknown[] = []) =>
  withClient(database.postgresUrl, async (pg) => (await pg.query<T>(text, values)).rows);

interface IndexRow extends Record<string, unknown> {
  table: string;
  index: string;
  method: string;
  definition: string;
  mirrorOf: string | null;
}

const indexesOf = (schema: string) =>
  sql<IndexRow>(
    `SELECT t.relname AS table, x.relname AS index, am.amname AS method, pg_get_indexdef(x.oid) AS definition,
            substring(obj_description(x.oid, 'pg_class') FROM '^ferretdb mirror of (.*)$') AS "mirrorOf"
       FROM pg_index i JOIN pg_class x ON x.oid = i.indexrelid JOIN pg_class t ON t.oid = i.indrelid
       JOIN pg_namespace n ON n.oid = x.relnamespace JOIN pg_am am ON am.oid = x.relam
      WHERE n.nspname = $1 ORDER BY x.relname`,
    [schema],
  );

/** The field a GIN mirror indexes: `(_jsonb -> 'a')` is a, `(_jsonb #> '{a,b}')` is a.b. */
function mirroredField(definition: string): string | undefined {
  const single = /USING gin \(\(\(_jsonb -> '((?:[^']|'')*)'::text\)\) jsonb_path_ops\)/.exec(definition);
  if (single) return single[1]!.replace(/''/g, "'");
  const nested = /USING gin \(\(\(_jsonb #> '\{([^}]*)\}'::text\[\]\)\) jsonb_path_ops\)/.exec(definition);
  return nested ? nested[1]!.split(',').join('.') : undefined;
}

test('every index FerretDB creates gets a GIN mirror of each of its keys: _id, single, compound, unique, nested', async () => {
  // Names with `_` in them: a LIKE pattern would take it for a wildcard.
  const db = client.db('gin_test');
  const things = db.collection('gin_things');
  await things.insertOne({ _id: new ObjectId(), key: 'a' });
  await things.createIndex({ key: 1 }, { unique: true, name: 'key_unique' });
  await things.createIndex({ quizId: 1, userId: 1, attemptNumber: 1 }, { unique: true, name: 'attempt_number_unique' });
  await things.createIndex({ 'grant.status': 1 }, { name: 'grant_status' });
  await things.createIndex({ "it's": -1 }, { name: 'quoted' });
  // Each btree index by the first field in its definition, and the fields its mirrors must index.
  const expected: Record<string, string[]> = {
    _id: ['_id'],
    key: ['key'],
    quizId: ['attemptNumber', 'quizId', 'userId'],
    grant: ['grant.status'],
    "it''s": ["it's"],
  };

  const indexes = (await indexesOf('gin_test')).filter((row) => row.table.startsWith('gin_things'));
  const btrees = indexes.filter((row) => row.method === 'btree');
  expect(btrees).toHaveLength(Object.keys(expected).length);
  const mirrored = Object.fromEntries(
    btrees.map((btree) => {
      const firstField = /\(_jsonb -> '((?:[^']|'')*)'::text\)/.exec(btree.definition)![1]!;
      const fields = indexes.filter((row) => row.mirrorOf === btree.index).map((row) => mirroredField(row.definition));
      return [firstField, fields.sort()];
    }),
  );
  expect(mirrored).toEqual(expected);
  expect(indexes.every((row) => row.method === 'btree' || row.mirrorOf !== null)).toBe(true);

  // A unique index still refuses a duplicate with MongoDB's code.
  await expect(things.insertOne({ _id: new ObjectId(), key: 'a' })).rejects.toMatchObject({ code: 11000 });
});

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

function nodesOf(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(nodesOf)];
}

/** The plans auto_explain has logged so far for statements that filter `table` with `@>`. */
function loggedPlans(table: string): PlanNode[][] {
  const file = path.join(logDir, 'postgresql.json');
  if (!fs.existsSync(file)) return [];
  const plans: PlanNode[][] = [];
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (!line.includes(table) || !line.includes('@>')) continue;
    const message: string = JSON.parse(line).message;
    const explained = JSON.parse(message.slice(message.indexOf('{')));
    if (explained['Query Text'].includes(table)) plans.push(nodesOf(explained.Plan));
  }
  return plans;
}

async function tableOf(db: Db, collection: string): Promise<string> {
  const rows = await sql<{ table: string }>(
    `SELECT tablename AS table FROM pg_tables WHERE schemaname = $1 AND tablename LIKE $2 || '\\_%'`,
    [db.databaseName, collection],
  );
  expect(rows).toHaveLength(1);
  return rows[0]!.table;
}

describe("the platform's main queries are index scans in PostgreSQL's plans of FerretDB's statements", () => {
  const db = () => client.db('main_queries');
  const ROWS = 3_000;
  // More runs than the 5 after which PostgreSQL may keep a generic plan for a prepared statement.
  const RUNS = 8;

  /**
   * Runs the query while its collection is nearly empty, where a generic plan
   * (`_jsonb -> $1`: a sequential scan) costs no more than a custom one and
   * PostgreSQL would keep it for good; then fills the collection, runs it
   * again and reads the plans PostgreSQL logged for those runs.
   */
  async function expectIndexScans(collection: string, documents: object[], run: (i: number) => Promise<unknown>): Promise<void> {
    const target = db().collection(collection);
    if (documents.length > 0) await target.insertMany(documents.slice(0, 10));
    const table = await tableOf(db(), collection);
    for (let i = 0; i < RUNS; i += 1) await run(i);
    if (documents.length > 10) await target.insertMany(documents.slice(10));

    const before = loggedPlans(table).length;
    for (let i = 0; i < RUNS; i += 1) await run(i);
    let plans: PlanNode[][] = [];
    await waitUntil(`${RUNS} plans of statements on ${table} in the log`, () => (plans = loggedPlans(table).slice(before)).length >= RUNS);
    for (const nodes of plans) {
      expect(nodes.filter((node) => node['Node Type'] === 'Seq Scan' && node['Relation Name'] === table)).toEqual([]);
      expect(nodes.some((node) => /Index Scan/.test(node['Node Type']) && node['Index Name']?.startsWith('gin_'))).toBe(true);
    }
  }

  test('course by id (content: findOne({ _id, structure: { $exists: true } }))', async () => {
    const courses = Array.from({ length: ROWS }, (_, i) => ({
      _id: new ObjectId(),
      title: `Course ${i}`,
      structure: { unitType: 'unit' },
    }));
    await expectIndexScans('courses', courses, (i) =>
      db()
        .collection('courses')
        .findOne({ _id: courses[(i * 97) % ROWS]!._id, structure: { $exists: true } }),
    );
  });

  test('attempts by user and quiz (quiz: find({ quizId, userId }))', async () => {
    const attempts = db().collection('attempts');
    await attempts.createIndex({ quizId: 1, userId: 1, attemptNumber: 1 }, { unique: true, name: 'attempt_number_unique' });
    await attempts.createIndex({ grantPending: 1 }, { sparse: true, name: 'grant_pending' });
    const quizzes = Array.from({ length: 30 }, () => new ObjectId());
    const users = Array.from({ length: 100 }, () => new ObjectId());
    const documents = Array.from({ length: ROWS }, (_, i) => ({
      quizId: quizzes[i % 30]!,
      userId: users[Math.floor(i / 30)]!,
      attemptNumber: 1,
      ...(i % 50 === 0 ? { grant: { status: 'pending' }, grantPending: true } : {}),
    }));
    await expectIndexScans('attempts', documents, (i) => attempts.find({ quizId: quizzes[i]!, userId: users[i]! }).toArray());
  });

  // A dotted field is never pushed down by FerretDB 1.24 (its nested pushdown
  // is experimental and off), so the outbox's key stands at the top level.
  test('outbox by state (quiz: find({ grantPending: true }))', async () => {
    await expectIndexScans('attempts', [], async () => {
      const pending = await db().collection('attempts').find({ grantPending: true }).toArray();
      expect(pending).toHaveLength(ROWS / 50);
    });
  });

  test('ledger by key (gems: findOne({ key }))', async () => {
    const grants = db().collection('gemgrants');
    await grants.createIndex({ key: 1 }, { unique: true, name: 'key_unique' });
    const documents = Array.from({ length: ROWS }, (_, i) => ({ key: `quiz:${i}`, userId: `u${i % 200}`, amount: 5 }));
    await expectIndexScans('gemgrants', documents, (i) => grants.findOne({ key: `quiz:${(i * 31) % ROWS}` }));
  });

  test('the update inside updateOne({ _id }) finds its document by index too', async () => {
    const courses = db().collection('courses');
    const { _id } = (await courses.findOne({}))!;
    await expectIndexScans('courses', [], async () =>
      expect(await courses.updateOne({ _id }, { $inc: { version: 1 } })).toMatchObject({ modifiedCount: 1 }),
    );
  });
});

test('dropping an index, a collection or a database leaves no mirror, table or schema behind', async () => {
  const db = client.db('gin_drop');
  const notes = db.collection('notes');
  await notes.insertOne({ key: 'k', owner: 'o' });
  await notes.createIndex({ key: 1 }, { name: 'by_key' });
  await notes.createIndex({ owner: 1, key: 1 }, { name: 'by_owner' });
  await db.collection('others').insertOne({ a: 1 });
  const mirrors = async () => (await indexesOf('gin_drop')).filter((row) => row.mirrorOf !== null);
  const orphans = async () => {
    const rows = await indexesOf('gin_drop');
    const names = new Set(rows.map((row) => row.index));
    return rows.filter((row) => row.mirrorOf !== null && !names.has(row.mirrorOf));
  };
  // _id of notes, by_key, by_owner (two keys), _id of others, and the metadata table's two indexes.
  expect(await mirrors()).toHaveLength(7);

  await notes.dropIndex('by_owner');
  expect(await mirrors()).toHaveLength(5);
  expect(await orphans()).toEqual([]);

  await notes.drop();
  expect((await indexesOf('gin_drop')).filter((row) => row.table.startsWith('notes'))).toEqual([]);
  expect(await mirrors()).toHaveLength(3);

  await db.dropDatabase();
  expect(await sql(`SELECT nspname FROM pg_namespace WHERE nspname = 'gin_drop'`)).toEqual([]);
  expect(
    await sql(`SELECT count(*)::int AS n FROM pg_class x JOIN pg_namespace n ON n.oid = x.relnamespace WHERE n.nspname = 'gin_drop'`),
  ).toEqual([{ n: 0 }]);
});
