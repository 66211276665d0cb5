/**
 * The rollout on a live database (../shared/contracts/legacy-data.md,
 * "While production writes"): a platform of its own, legacy data for
 * LIVE_MIGRATION_COURSES courses (default 2,000), and
 *  1. `migrate:structured-courses -- --environment production --backup`
 *     while (a) a simulated monolith keeps writing legacy documents (gem
 *     payouts and bonuses by `$inc`, new `quizattempts` with the payout of a
 *     first one, module content edits, a new course) and (b) students submit
 *     first attempts through the new gateway at quizzes they had, or had
 *     not, attempted in the monolith; then the catch-up (the same command
 *     again); then every balance, attempt and edit is checked;
 *  2. more submissions and an author's edits in the new shape, then
 *     `migrate:rollback-structured-courses`: the legacy view of every user
 *     and attempt, and untouched documents byte for byte;
 *  3. the migration again: the same balances and histories, no grant twice.
 * The counts are printed for the closing note of the live-rollout issue.
 */
import path from 'node:path';
import { startPlatform, type Platform } from '@testmancer/local-platform';
import { signToken } from '@testmancer/shared';
import { BSON, ObjectId, type Db, type Document, type MongoClient } from 'mongodb';
import { random } from '../src/seed';
import { parseGems } from '../src/transform';
import { cli, client, ROOT, startCli } from './support';

const COURSES = Number(process.env.LIVE_MIGRATION_COURSES ?? 2000);
/** The operator's command, as the guide gives it. */
const MIGRATE = ['run', 'structured-courses', '--environment', 'production', '--backup', '--json'];
const PAIRS = 30;
let platform: Platform;
let mongo: MongoClient;
let db: Db;
let adminToken: string;

beforeAll(async () => {
  platform = await startPlatform({
    rootDir: ROOT,
    logDir: path.join(ROOT, '.local', 'test-logs', 'migrations-live'),
    databaseDurability: 'relaxed',
    dbName: `migration_live_${Date.now().toString(36)}`,
    env: { LOG_LEVEL: 'warn', RATE_LIMIT_USER_MAX: '100000000', RATE_LIMIT_ANONYMOUS_MAX: '100000000' },
  });
  mongo = await client(platform.mongodbUri);
  db = mongo.db(platform.dbName);
  adminToken = await signToken({ sub: new ObjectId().toHexString(), role: 'admin', categoryIds: [] }, platform.jwtSecret);
}, 180_000);
afterAll(async () => {
  await mongo?.close();
  await platform?.stop();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const hex = (id: ObjectId) => id.toHexString();

async function api(method: string, url: string, token: string, body?: unknown): Promise<{ status: number; body: any }> {
  const response = await fetch(`${platform.gatewayUrl}${url}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text && /json/.test(response.headers.get('content-type') ?? '') ? JSON.parse(text) : text };
}

/** Raw bytes of every document of the legacy collections, by collection and id. */
async function legacyBytes(): Promise<Map<string, Buffer>> {
  const bytes = new Map<string, Buffer>();
  for (const name of ['users', 'courses', 'quizzes', 'quizattempts'])
    for await (const raw of db.collection(name).find({}, { raw: true })) {
      const buffer = Buffer.from(raw as unknown as Uint8Array);
      bytes.set(`${name}/${String(BSON.deserialize(buffer)._id)}`, buffer);
    }
  return bytes;
}

/** Which top-level fields of two raw documents differ (values, types or order), for a readable failure. */
function fieldsDiffering(a: Buffer, b: Buffer | undefined): string {
  if (!b) return 'gone';
  const raw = { promoteValues: false } as const;
  const x = BSON.deserialize(a, raw);
  const y = BSON.deserialize(b, raw);
  const fields = [...new Set([...Object.keys(x), ...Object.keys(y)])].filter(
    (f) => !Buffer.from(BSON.serialize({ v: x[f] as unknown })).equals(Buffer.from(BSON.serialize({ v: y[f] as unknown }))),
  );
  return fields.length ? fields.join(', ') : `field order ${Object.keys(x).join(',')} vs ${Object.keys(y).join(',')}`;
}

/** Where the contract puts a legacy quiz for students: its unit, or its page (undefined: an orphan, never shown). */
function placeOf(quiz: Document, course: Document | undefined): { unitId: string; pageOrder?: number } | undefined {
  if (!course || course.published !== true) return undefined;
  const modules: Document[] = Array.isArray(course.modules) ? course.modules : [];
  if (!quiz.moduleId) return undefined;
  const module = modules.find((m) => m._id?.equals(quiz.moduleId));
  if (!module) return undefined;
  if (quiz.afterLesson === undefined) return { unitId: hex(module._id) };
  const lessons = Array.isArray(module.lessons) ? module.lessons.length : 0;
  const k = quiz.afterLesson as number;
  if (!Number.isInteger(k) || k < 0 || k >= lessons) return undefined;
  return { unitId: hex(module._id), pageOrder: k + (typeof module.content === 'string' ? 2 : 1) };
}

/** Correct answers to a legacy quiz, by the question ids the gateway shows. */
async function correctAnswers(quiz: Document, token: string): Promise<{ answers: Document[]; reward: number }> {
  const view = await api('GET', `/api/quizzes/${hex(quiz._id)}`, token);
  if (view.status !== 200) throw Object.assign(new Error(`quiz ${hex(quiz._id)}: ${view.status}`), { status: view.status });
  const answers = (quiz.questions as Document[]).map((q, i) => ({ questionId: view.body.questions[i].id, selected: q.answer }));
  return { answers, reward: typeof quiz.gems === 'number' ? quiz.gems : 10 };
}

interface Submitted {
  quiz: string;
  user: string;
  attemptNumber: number;
  firstAttempt: boolean;
  gemsAwarded: number;
}

/** A student's attempt through the gateway, asked again while the quiz is not migrated yet (404) or a service is busy (503). */
async function submit(quiz: Document, userId: string, until: () => boolean): Promise<Submitted> {
  const token = await signToken({ sub: userId, role: 'student', categoryIds: [] }, platform.jwtSecret);
  for (;;) {
    try {
      const { answers } = await correctAnswers(quiz, token);
      const res = await api('POST', `/api/quizzes/${hex(quiz._id)}/attempts`, token, { answers });
      if (res.status === 201) return { quiz: hex(quiz._id), user: userId, ...res.body };
      if (res.status !== 404 && res.status !== 503)
        throw new Error(`attempt at ${hex(quiz._id)}: ${res.status} ${JSON.stringify(res.body)}`);
    } catch (error) {
      if ((error as { status?: number }).status !== 404 && (error as { status?: number }).status !== 503) throw error;
    }
    if (until()) throw new Error(`quiz ${hex(quiz._id)} was never served`);
    await sleep(200);
  }
}

async function balanceOf(userId: string): Promise<number> {
  const res = await api('GET', `/api/users/${userId}/gems`, adminToken);
  if (res.status !== 200) throw new Error(`gems of ${userId}: ${res.status}`);
  return res.body.earnedGems as number;
}

/** Balances as the gems service shows them, asked until they are what is expected (grants on their way) or 30 s passed. */
async function settledBalances(expected: Map<string, number>): Promise<Map<string, number>> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const seen = new Map<string, number>();
    for (const userId of expected.keys()) seen.set(userId, await balanceOf(userId));
    if ([...expected].every(([u, want]) => seen.get(u) === want) || Date.now() > deadline) return seen;
    await sleep(500);
  }
}

const differing = (expected: Map<string, number>, seen: Map<string, number>, sign: 1 | -1) =>
  [...expected].filter(([u, want]) => Math.sign((seen.get(u) ?? 0) - want) === sign).map(([u, want]) => `${u}: ${seen.get(u)} for ${want}`);

test(`live: ${COURSES} courses migrated while the monolith and students write; caught up; rolled back after go-live; migrated again`, async () => {
  expect((await cli(platform.mongodbUri, platform.dbName, ['seed-legacy', '--courses', String(COURSES), '--seed', '7'])).code).toBe(0);
  // The chain up to m3 first (roles, categories, scopes): the rollback returns documents to what they were before structured-courses.
  expect((await cli(platform.mongodbUri, platform.dbName, ['run', 'm3', '--environment', 'production', '--backup'])).code).toBe(0);
  const before = await legacyBytes();
  const courses = new Map((await db.collection('courses').find({}).toArray()).map((c) => [hex(c._id), c]));
  const quizzes = await db.collection('quizzes').find({}).toArray();
  const users = await db.collection('users').find({}).toArray();
  const attempts = await db.collection('quizattempts').find({}).toArray();
  const r = random(99);
  const userIds = users.map((u) => hex(u._id));

  // Who does what: pairs (quiz, user) for students and for the monolith, disjoint.
  const served = quizzes.filter((q) => placeOf(q, courses.get(hex(q.courseId))));
  const attempted = new Map<string, number>();
  for (const a of attempts)
    attempted.set(`${hex(a.quizId)}:${hex(a.userId)}`, (attempted.get(`${hex(a.quizId)}:${hex(a.userId)}`) ?? 0) + 1);
  const known = new Set(userIds);
  const withHistory = [...attempted.keys()]
    .map((key) => key.split(':') as [string, string])
    .filter(([q, u]) => known.has(u) && served.some((s) => hex(s._id) === q));
  const taken = new Set<string>();
  const pick = (pairs: [string, string][], n: number) => {
    const out: [Document, string][] = [];
    for (const [q, u] of pairs) {
      if (out.length >= n) break;
      if (taken.has(`${q}:${u}`)) continue;
      taken.add(`${q}:${u}`);
      out.push([served.find((s) => hex(s._id) === q)!, u]);
    }
    return out;
  };
  const freshPairs = () =>
    Array.from({ length: 400 }, () => [hex(r.pick(served)._id), r.pick(userIds)] as [string, string]).filter(
      ([q, u]) => !attempted.has(`${q}:${u}`),
    );
  const studentsWithHistory = pick(withHistory, PAIRS);
  const studentsFresh = pick(freshPairs(), PAIRS);
  const monolithPairs = pick(freshPairs(), PAIRS);
  const laterFresh = pick(freshPairs(), 10);
  expect([studentsWithHistory.length, studentsFresh.length, monolithPairs.length]).toEqual([PAIRS, PAIRS, PAIRS]);
  const bonusUsers = Array.from({ length: 40 }, () => r.pick(userIds));
  const editable = [...courses.values()].filter((c) => (c.modules ?? []).some((m: Document) => m._id && typeof m.content === 'string'));
  const edits = editable.slice(0, 15).map((c) => {
    const index = (c.modules as Document[]).findIndex((m) => m._id && typeof m.content === 'string');
    return {
      course: c,
      index,
      module: (c.modules as Document[])[index]!,
      content: `Edited in the monolith during the migration (${hex(c._id)}).`,
    };
  });

  // ---------------------------------------------------------------- 1. the migration, with production writing
  let migrating = true;
  const migration = startCli(platform.mongodbUri, platform.dbName, MIGRATE);
  void migration.done.then(() => (migrating = false));
  const legacyWrites = { payouts: 0, bonuses: 0, attempts: 0, edits: 0, courses: 0, duringRun: 0 };
  const legacyAttemptIds: ObjectId[] = [];
  const newCourseId = new ObjectId();
  /** The monolith adds to a numeric balance; one it cannot read ("12.5", null) it sets anew. */
  const payInMonolith = async (userId: string, amount: number) => {
    const user = await db.collection('users').findOne({ _id: new ObjectId(userId) });
    if (typeof user?.gems === 'number' && Number.isInteger(user.gems))
      await db.collection('users').updateOne({ _id: user._id }, { $inc: { gems: amount } });
    else await db.collection('users').updateOne({ _id: new ObjectId(userId) }, { $set: { gems: parseGems(user?.gems).gems + amount } });
  };
  const monolith = (async () => {
    const steps: (() => Promise<void>)[] = [];
    for (const [quiz, userId] of monolithPairs)
      steps.push(async () => {
        // The monolith's own rule: a first attempt at full score pays the quiz's gems, once.
        const _id = new ObjectId();
        legacyAttemptIds.push(_id);
        const first = (await db.collection('quizattempts').countDocuments({ quizId: quiz._id, userId: new ObjectId(userId) })) === 0;
        await db
          .collection('quizattempts')
          .insertOne({ _id, userId: new ObjectId(userId), quizId: quiz._id, score: 4, total: 4, createdAt: new Date() });
        legacyWrites.attempts += 1;
        if (first) {
          await payInMonolith(userId, typeof quiz.gems === 'number' ? quiz.gems : 10);
          legacyWrites.payouts += 1;
        }
      });
    for (const userId of bonusUsers)
      steps.push(async () => {
        await payInMonolith(userId, 5);
        legacyWrites.bonuses += 1;
      });
    for (const edit of edits)
      steps.push(async () => {
        await db
          .collection('courses')
          .updateOne({ _id: edit.course._id }, { $set: { [`modules.${edit.index}.content`]: edit.content, updatedAt: new Date() } });
        legacyWrites.edits += 1;
      });
    steps.push(async () => {
      const module = {
        _id: new ObjectId(),
        title: 'A module of a course made during the migration',
        order: 1,
        content: 'New course content',
      };
      await db.collection('courses').insertOne({
        _id: newCourseId,
        title: 'Made in the monolith during the migration',
        category: 'Math',
        published: true,
        modules: [module],
        createdAt: new Date(),
        updatedAt: new Date(),
      });
      legacyWrites.courses += 1;
    });
    // Shuffled, spaced out over the run.
    for (let i = steps.length - 1; i > 0; i--) {
      const j = r.int(0, i);
      [steps[i], steps[j]] = [steps[j]!, steps[i]!];
    }
    for (const step of steps) {
      await step();
      if (migrating) legacyWrites.duringRun += 1;
      await sleep(migrating ? 150 : 0);
    }
  })();
  // Students on the new gateway, meanwhile: first attempts, with and without a legacy history.
  const submissions: Submitted[] = [];
  const runDeadline = Date.now() + 600_000;
  const students = (async () => {
    const queue = [...studentsWithHistory, ...studentsFresh].sort(() => r.next() - 0.5);
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        for (let next = queue.shift(); next; next = queue.shift())
          submissions.push(await submit(next[0], next[1], () => Date.now() > runDeadline));
      }),
    );
  })();
  const result = await migration.done;
  await Promise.all([monolith, students]);
  expect([result.code, result.json?.problems]).toEqual([0, []]);
  const duringRun = submissions.length;
  // A monolith attempt, then the same student's first attempt in the new system: the monolith's was the first.
  const afterMonolith: Submitted[] = [];
  for (const [quiz, userId] of monolithPairs.slice(0, 10)) afterMonolith.push(await submit(quiz, userId, () => Date.now() > runDeadline));

  // The catch-up, once the monolith's writes have stopped.
  const catchUp = await cli(platform.mongodbUri, platform.dbName, [...MIGRATE, '--verbose']);
  expect([catchUp.code, catchUp.json?.problems]).toEqual([0, []]);
  const unexpected = (catchUp.json.conflicts as Document[]).filter(
    (c) =>
      ![
        'unparseable-gems',
        'bad-order',
        'orphan-attempt',
        'orphan-quiz-course',
        'orphan-quiz-module',
        'invalid-after-lesson',
        'course-quiz-without-units',
      ].includes(c.kind),
  );
  expect(unexpected).toEqual([]);

  // Balances: the legacy gems as they are now plus what the new system granted.
  const granted = new Map<string, number>();
  for (const s of [...submissions, ...afterMonolith]) granted.set(s.user, (granted.get(s.user) ?? 0) + s.gemsAwarded);
  const watched = new Set([...granted.keys(), ...bonusUsers, ...monolithPairs.map(([, u]) => u), ...studentsWithHistory.map(([, u]) => u)]);
  const expected = new Map<string, number>();
  for (const userId of watched) {
    const user = await db.collection('users').findOne({ _id: new ObjectId(userId) });
    expected.set(userId, parseGems(user?.gems).gems + (granted.get(userId) ?? 0));
  }
  const balances = await settledBalances(expected);
  const lost = differing(expected, balances, -1);
  const doubled = differing(expected, balances, 1);
  // Nobody is paid for a quiz attempted in the monolith, whichever came first.
  const paidAgain = [...submissions.filter((s) => attempted.has(`${s.quiz}:${s.user}`)), ...afterMonolith].filter(
    (s) => s.gemsAwarded > 0 || s.firstAttempt,
  );
  const freshPaid = submissions.filter((s) => !attempted.has(`${s.quiz}:${s.user}`) && s.firstAttempt && s.gemsAwarded > 0);
  // Every legacy attempt of a served quiz is in `attempts`, numbered by time among the new system's.
  const copied = new Map((await db.collection('attempts').find({}).toArray()).map((a) => [hex(a._id), a]));
  const allLegacy = await db.collection('quizattempts').find({}).toArray();
  const quizIds = new Set(quizzes.map((q) => hex(q._id)));
  const attemptsLost = allLegacy.filter((a) => quizIds.has(hex(a.quizId)) && !copied.has(hex(a._id))).map((a) => hex(a._id));
  const byPair = new Map<string, Document[]>();
  for (const a of copied.values())
    byPair.set(`${hex(a.quizId)}:${hex(a.userId)}`, [...(byPair.get(`${hex(a.quizId)}:${hex(a.userId)}`) ?? []), a]);
  const misnumbered = [...byPair]
    .filter(([, list]) => {
      const numbers = [...list].sort((a, b) => a.createdAt - b.createdAt).map((a) => a.attemptNumber);
      return numbers.some((n, i) => n !== i + 1);
    })
    .map(([pair]) => pair);
  // Every monolith edit is served, and the course it made.
  const editsLost: string[] = [];
  for (const edit of edits) {
    const page = await api('GET', `/api/courses/${hex(edit.course._id)}/units/${hex(edit.module._id)}/pages/1`, adminToken);
    if (page.status !== 200 || page.body.blocks?.[0]?.markdown !== edit.content)
      editsLost.push(`${hex(edit.course._id)}: ${page.status} ${JSON.stringify(page.body).slice(0, 120)}`);
  }
  const newCourse = await api('GET', `/api/courses/${hex(newCourseId)}`, adminToken);
  if (newCourse.status !== 200 || newCourse.body.units?.length !== 1) editsLost.push(`new course: ${newCourse.status}`);
  process.stdout.write(
    `live migration of ${COURSES} courses: ${(result.json.elapsedMs / 1000).toFixed(1)} s, catch-up ${(catchUp.json.elapsedMs / 1000).toFixed(1)} s; ` +
      `legacy writes ${Object.values(legacyWrites).reduce((a, b) => a + b, 0) - legacyWrites.duringRun} (${legacyWrites.duringRun} during the run: ` +
      `${legacyWrites.payouts} payouts with ${legacyWrites.attempts} attempts, ${legacyWrites.bonuses} bonuses, ${legacyWrites.edits} module edits, ${legacyWrites.courses} course); ` +
      `new-system first attempts ${duringRun} during the run (${freshPaid.length} paid, ${submissions.length - freshPaid.length} after legacy history) + ${afterMonolith.length} after a monolith attempt; ` +
      `${watched.size} balances watched: grants lost ${lost.length}, doubled ${doubled.length}; paid again ${paidAgain.length}; attempts lost ${attemptsLost.length}, ` +
      `pairs out of time order ${misnumbered.length}; edits lost ${editsLost.length}\n`,
  );
  expect({ lost, doubled, paidAgain, attemptsLost, misnumbered, editsLost }).toEqual({
    lost: [],
    doubled: [],
    paidAgain: [],
    attemptsLost: [],
    misnumbered: [],
    editsLost: [],
  });
  expect(freshPaid).toHaveLength(PAIRS);

  // ---------------------------------------------------------------- 2. go-live, then the rollback
  const later: Submitted[] = [];
  for (const [quiz, userId] of laterFresh) later.push(await submit(quiz, userId, () => Date.now() > runDeadline));
  for (const s of submissions.slice(0, 5))
    later.push(
      await submit(
        quizzes.find((q) => hex(q._id) === s.quiz)!,
        s.user,
        () => Date.now() > runDeadline,
      ),
    );
  for (const s of later) {
    granted.set(s.user, (granted.get(s.user) ?? 0) + s.gemsAwarded);
    watched.add(s.user);
  }
  // An author edits a migrated course in the new shape: its title, and a page.
  const authored = edits[0]!.course;
  const renamed = await api('PATCH', `/api/courses/${hex(authored._id)}`, adminToken, { title: 'Renamed by an author after go-live' });
  expect(renamed.status).toBe(200);
  const pageEdit = await api('PATCH', `/api/courses/${hex(authored._id)}/units/${hex(edits[0]!.module._id)}/pages/1`, adminToken, {
    blocks: [{ type: 'markdown', markdown: 'Written by an author after go-live.' }],
  });
  expect(pageEdit.status).toBe(200);
  const beforeRollback = new Map<string, number>();
  for (const userId of watched)
    beforeRollback.set(
      userId,
      parseGems((await db.collection('users').findOne({ _id: new ObjectId(userId) }))?.gems).gems + (granted.get(userId) ?? 0),
    );
  const settled = await settledBalances(beforeRollback);
  expect(differing(beforeRollback, settled, -1).concat(differing(beforeRollback, settled, 1))).toEqual([]);
  const history = new Map((await db.collection('attempts').find({}).toArray()).map((a) => [hex(a._id), a]));

  const dryRun = await cli(platform.mongodbUri, platform.dbName, ['rollback', '--dry-run', '--json', '--verbose']);
  expect(dryRun.code).toBe(0);
  const folds = (dryRun.json.details as Document[]).filter((d) => d.gems);
  expect(folds.length).toBeGreaterThan(0);
  const rollback = await cli(platform.mongodbUri, platform.dbName, ['rollback', '--json']);
  expect([rollback.code, rollback.json?.problems]).toEqual([0, []]);

  // The monolith's view: every balance as it was, every attempt of the new system in quizattempts.
  const legacyBalancesWrong: string[] = [];
  for (const [userId, want] of beforeRollback) {
    const user = await db.collection('users').findOne({ _id: new ObjectId(userId) });
    if (parseGems(user?.gems).gems !== want || user?.earnedGems !== undefined)
      legacyBalancesWrong.push(`${userId}: ${JSON.stringify(user?.gems)} for ${want}`);
  }
  const legacyAttempts = new Map((await db.collection('quizattempts').find({}).toArray()).map((a) => [hex(a._id), a]));
  const attemptsNotBack = [...history.values()]
    .filter((a) => {
      const l = legacyAttempts.get(hex(a._id));
      return !l || l.score !== a.score || !l.userId.equals(a.userId) || !l.quizId.equals(a.quizId);
    })
    .map((a) => hex(a._id));
  // Documents nothing touched after the migration: byte for byte what they were.
  // Touched after the migration: users paid in either system, courses edited in either, and the quizzes of the course
  // authors edited (they keep their new shape with it).
  const touched = new Set([
    ...[...watched].map((u) => `users/${u}`),
    ...edits.map((e) => `courses/${hex(e.course._id)}`),
    ...quizzes.filter((q) => q.courseId.equals(authored._id)).map((q) => `quizzes/${hex(q._id)}`),
  ]);
  const after = await legacyBytes();
  const notExact = [...before]
    .filter(([key, bytes]) => !touched.has(key) && !after.get(key)?.equals(bytes))
    .map(([key, bytes]) => `${key}: ${fieldsDiffering(bytes, after.get(key))}`);
  const authoredNow = await db.collection('courses').findOne({ _id: authored._id });
  const foldedModule = (authoredNow?.modules as Document[]).find((m) => m._id?.equals(edits[0]!.module._id));
  const foldedLesson = foldedModule?.lessons?.[0]?.body ?? foldedModule?.content;
  process.stdout.write(
    `rollback after go-live: ${(rollback.json.elapsedMs / 1000).toFixed(1)} s; ${later.length} more submissions; ${folds.length} users' gems folded back (dry run listed them); ` +
      `balances wrong ${legacyBalancesWrong.length} of ${beforeRollback.size}; new-system attempts missing from quizattempts ${attemptsNotBack.length} of ${history.size}; ` +
      `untouched documents not exact ${notExact.length} of ${[...before.keys()].filter((k) => !touched.has(k)).length}\n`,
  );
  expect({ legacyBalancesWrong, attemptsNotBack, notExact }).toEqual({ legacyBalancesWrong: [], attemptsNotBack: [], notExact: [] });
  expect([authoredNow?.title, foldedLesson]).toEqual(['Renamed by an author after go-live', 'Written by an author after go-live.']);

  // ---------------------------------------------------------------- 3. migrated again
  const again = await cli(platform.mongodbUri, platform.dbName, MIGRATE);
  expect([again.code, again.json?.problems]).toEqual([0, []]);
  const remigrated = await settledBalances(beforeRollback);
  const historyNow = new Map((await db.collection('attempts').find({}).toArray()).map((a) => [hex(a._id), a]));
  const historyChanged = [...history.values()]
    .filter((a) => {
      const n = historyNow.get(hex(a._id));
      return !n || n.attemptNumber !== a.attemptNumber || n.score !== a.score;
    })
    .map((a) => `${hex(a._id)}: ${a.attemptNumber} → ${historyNow.get(hex(a._id))?.attemptNumber}`);
  const ledgerDoubled: string[] = [];
  for (const userId of watched) {
    const entries = await db.collection('gemgrants').find({ userId }).toArray();
    const sum = entries.reduce((total, e) => total + e.amount, 0);
    if (sum !== remigrated.get(userId)) ledgerDoubled.push(`${userId}: ledger ${sum}, balance ${remigrated.get(userId)}`);
  }
  process.stdout.write(
    `migrated again: ${(again.json.elapsedMs / 1000).toFixed(1)} s; balances lost ${differing(beforeRollback, remigrated, -1).length}, doubled ${differing(beforeRollback, remigrated, 1).length}; ` +
      `attempts renumbered or lost ${historyChanged.length} of ${history.size}; ledgers not summing to the balance ${ledgerDoubled.length}\n`,
  );
  expect({
    lost: differing(beforeRollback, remigrated, -1),
    doubled: differing(beforeRollback, remigrated, 1),
    historyChanged,
    ledgerDoubled,
  }).toEqual({ lost: [], doubled: [], historyChanged: [], ledgerDoubled: [] });
}, 1_200_000);
