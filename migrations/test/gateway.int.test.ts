/**
 * End to end, online: a platform of its own (local database, the four
 * services, the gateway), legacy data generated into its database, the whole
 * chain run by the operator command WHILE a client reads courses through the
 * gateway; then every course, unit, page and quiz is read through the gateway
 * and compared with what the contract says the legacy data becomes, and a
 * second gateway with STRUCTURED_COURSES_ENABLED off serves the legacy view.
 *
 * Size: MIGRATION_ONLINE_COURSES courses (default 600 to keep CI short;
 * `npm run test:migration-online` runs it with the 10,000).
 */
import path from 'node:path';
import { freePort } from '@testmancer/db-proxy';
import { ManagedProcess, startPlatform, waitForHttp, type Platform } from '@testmancer/local-platform';
import { signToken } from '@testmancer/shared';
import { ObjectId, type Document, type MongoClient } from 'mongodb';
import { parseGems } from '../src/transform';
import { cli, client, ROOT, startCli } from './support';

const COURSES = Number(process.env.MIGRATION_ONLINE_COURSES ?? 600);
let platform: Platform;
let legacyGateway: { url: string; stop(): Promise<void> };
let mongo: MongoClient;
let adminToken: string;
let studentToken: string;

async function getOnce(base: string, url: string, token?: string): Promise<{ status: number; body: any; retryAfter: number }> {
  const response = await fetch(`${base}${url}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  const text = await response.text();
  return {
    status: response.status,
    body: text && /json/.test(response.headers.get('content-type') ?? '') ? JSON.parse(text) : text,
    retryAfter: Number(response.headers.get('retry-after')) || 1,
  };
}

let retriedUnavailable = 0;

/**
 * A read of the checks after the migration, as a client following the
 * contract makes it: a 503 says "try again shortly" (Retry-After), so it is
 * asked again, up to three times. Under the whole test run's load on two
 * cores, a few lookups of the local database miss their deadline; what these
 * checks judge is what the migration left, and a read that keeps failing is
 * still reported. The reader during the migration does not retry.
 */
async function get(base: string, url: string, token?: string): Promise<{ status: number; body: any }> {
  for (let attempt = 1; ; attempt++) {
    const answer = await getOnce(base, url, token);
    if (answer.status !== 503 || attempt === 3) return answer;
    retriedUnavailable++;
    await new Promise((resolve) => setTimeout(resolve, Math.min(2, answer.retryAfter) * 1000));
  }
}

async function startLegacyGateway(p: Platform) {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const gateway = new ManagedProcess(
    'gateway-legacy-view',
    process.execPath,
    [path.join(ROOT, 'services/gateway/dist/main.js')],
    {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: 'development',
      LOG_LEVEL: 'warn',
      HTTP_HOST: '127.0.0.1',
      HTTP_PORT: String(port),
      CONTENT_ADDR: p.addresses.content,
      QUIZ_ADDR: p.addresses.quiz,
      GEMS_ADDR: p.addresses.gems,
      MEDIA_ADDR: p.addresses.media,
      JWT_SECRET: p.jwtSecret,
      ...p.keysFor('gateway'),
      RATE_LIMIT_ANONYMOUS_MAX: '100000000',
      RATE_LIMIT_USER_MAX: '100000000',
      STRUCTURED_COURSES_ENABLED: 'false',
    },
    path.join(ROOT, '.local/test-logs/migrations', 'gateway-legacy-view.log'),
  );
  await gateway.start();
  await gateway.exitedBefore(waitForHttp(`${url}/ready`));
  return { url, stop: async () => void (await gateway.stop()) };
}

beforeAll(async () => {
  platform = await startPlatform({
    rootDir: ROOT,
    logDir: path.join(ROOT, '.local', 'test-logs', 'migrations'),
    databaseDurability: 'relaxed',
    dbName: `migration_e2e_${Date.now().toString(36)}`,
    env: { LOG_LEVEL: 'warn', RATE_LIMIT_USER_MAX: '100000000', RATE_LIMIT_ANONYMOUS_MAX: '100000000' },
  });
  legacyGateway = await startLegacyGateway(platform);
  mongo = await client(platform.mongodbUri);
  adminToken = await signToken({ sub: new ObjectId().toHexString(), role: 'admin', categoryIds: [] }, platform.jwtSecret);
  studentToken = await signToken({ sub: new ObjectId().toHexString(), role: 'student', categoryIds: [] }, platform.jwtSecret);
}, 180_000);
afterAll(async () => {
  await mongo?.close();
  await legacyGateway?.stop();
  await platform?.stop();
});

/** The contract's true order, written out again here (not the migration's code). */
function expectedUnits(course: Document) {
  const modules: Document[] = Array.isArray(course.modules) ? course.modules : [];
  const withOrder = modules.map((m, i) => ({ m, i })).filter(({ m }) => typeof m.order === 'number');
  const without = modules.map((m, i) => ({ m, i })).filter(({ m }) => typeof m.order !== 'number');
  withOrder.sort((a, b) => a.m.order - b.m.order || a.i - b.i);
  return [...withOrder, ...without].map(({ m }) => {
    const pages: { title: string; markdown: string; media: Document[] }[] = [];
    if (typeof m.content === 'string') pages.push({ title: m.title, markdown: m.content, media: [] });
    for (const lesson of m.lessons ?? []) pages.push({ title: lesson.title, markdown: lesson.body, media: lesson.media ?? [] });
    return { id: m._id ? m._id.toHexString() : undefined, title: m.title, pages };
  });
}

async function inParallel<T>(items: T[], width: number, each: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) await each(items[next++]!);
    }),
  );
}

test(`online: ${COURSES} courses migrated while a client reads through the gateway; then every course, unit, page and quiz is served as the contract says`, async () => {
  const db = mongo.db(platform.dbName);
  expect((await cli(platform.mongodbUri, platform.dbName, ['seed-legacy', '--courses', String(COURSES), '--seed', '5'])).code).toBe(0);
  const legacyCourses = await db.collection('courses').find({}).toArray();
  const legacyQuizzes = await db.collection('quizzes').find({}).toArray();
  const legacyUsers = await db.collection('users').find({}).toArray();
  const expected = new Map(legacyCourses.map((c) => [c._id.toHexString(), expectedUnits(c)]));
  const ids = [...expected.keys()];

  // The reader: course by course, round and round, for as long as the migration runs.
  const reads = { total: 0, ok: 0, notYet: 0, failed: [] as string[], halfMigrated: [] as string[] };
  const seen = new Set<string>();
  let migrating = true;
  const reader = (async () => {
    let i = 0;
    while (migrating) {
      const id = ids[i++ % ids.length]!;
      reads.total += 1;
      let res: { status: number; body: any };
      try {
        res = await getOnce(platform.gatewayUrl, `/api/courses/${id}`, adminToken);
      } catch (error) {
        reads.failed.push(`${id}: ${String(error)}`);
        continue;
      }
      if (res.status === 404 && !seen.has(id))
        reads.notYet += 1; // not reached by the migration yet: not served at all
      else if (res.status !== 200) reads.failed.push(`${id}: ${res.status}`);
      else {
        seen.add(id);
        reads.ok += 1;
        const want = expected.get(id)!;
        const units = res.body.units as { title: string; pageCount: number }[];
        if (
          res.body.structure?.unitCount !== want.length ||
          units.length !== want.length ||
          units.some((u, k) => u.pageCount !== want[k]!.pages.length || u.title !== want[k]!.title)
        )
          reads.halfMigrated.push(id);
      }
    }
  })();
  const migration = startCli(platform.mongodbUri, platform.dbName, ['up', '--environment', 'production', '--backup', '--json']);
  const result = await migration.done;
  migrating = false;
  await reader;
  process.stdout.write(
    `online migration of ${COURSES} courses: ${(result.json?.elapsedMs / 1000).toFixed(1)} s; reads ${reads.total}: ${reads.ok} served migrated, ` +
      `${reads.notYet} not yet migrated (404), ${reads.failed.length} failed, ${reads.halfMigrated.length} half-migrated\n`,
  );
  expect(result.code).toBe(0);
  expect(reads.failed).toEqual([]);
  expect(reads.halfMigrated).toEqual([]);
  expect(reads.ok).toBeGreaterThan(0);

  // Every course, unit and page, structured view; the legacy view with the flag off.
  const problems: string[] = [];
  const units = new Map<string, { courseId: string; published: boolean; pages: number; lessonPageOrders: number[] }>();
  await inParallel(legacyCourses, 6, async (legacy) => {
    const id = legacy._id.toHexString();
    const want = expected.get(id)!;
    const course = await get(platform.gatewayUrl, `/api/courses/${id}`, adminToken);
    if (course.status !== 200) return void problems.push(`course ${id}: ${course.status}`);
    const b = course.body;
    if (
      b.title !== legacy.title ||
      b.status !== (legacy.published === true ? 'published' : 'draft') ||
      b.structure.unitType !== 'module' ||
      b.structure.unitCount !== want.length
    )
      problems.push(`course ${id}: ${JSON.stringify({ title: b.title, status: b.status, structure: b.structure })}`);
    b.units.forEach((unit: any, k: number) => {
      const w = want[k]!;
      if (unit.order !== k + 1 || unit.title !== w.title || (w.id && unit.id !== w.id))
        problems.push(`course ${id} unit ${k + 1}: ${JSON.stringify(unit)} vs ${JSON.stringify({ id: w.id, title: w.title })}`);
    });
    for (const [k, unit] of (b.units as any[]).entries()) {
      const w = want[k]!;
      units.set(unit.id, { courseId: id, published: legacy.published === true, pages: w.pages.length, lessonPageOrders: [] });
      for (const [p, page] of w.pages.entries()) {
        const served = await get(platform.gatewayUrl, `/api/courses/${id}/units/${unit.id}/pages/${p + 1}`, adminToken);
        const mediaUrls = (served.body?.media ?? []).map((m: any) => [m.kind, m.url]);
        if (
          served.status !== 200 ||
          served.body.title !== page.title ||
          served.body.blocks?.[0]?.markdown !== page.markdown ||
          JSON.stringify(mediaUrls) !== JSON.stringify(page.media.map((m: Document) => [m.type, m.url]))
        )
          problems.push(`page ${id}/${unit.id}/${p + 1}: ${served.status} ${JSON.stringify(served.body).slice(0, 200)}`);
      }
    }
    const legacyView = await get(legacyGateway.url, `/api/courses/${id}`, adminToken);
    const modules = legacyView.body?.modules as { id: string; order: number; title: string; content: string }[] | undefined;
    if (legacyView.status !== 200 || legacyView.body.structure !== undefined || !modules)
      return void problems.push(`legacy view ${id}: ${legacyView.status}`);
    const wantModules = want.map((w, k) => ({
      order: k + 1,
      title: w.title,
      content: w.pages
        .map((p) => p.markdown)
        .filter(Boolean)
        .join('\n\n'),
    }));
    const gotModules = modules.map(({ order, title, content }) => ({ order, title, content }));
    if (JSON.stringify(gotModules) !== JSON.stringify(wantModules))
      problems.push(`legacy view ${id}: ${JSON.stringify(gotModules).slice(0, 300)} vs ${JSON.stringify(wantModules).slice(0, 300)}`);
  });

  // Quizzes: where the contract puts them, orphans kept but never shown to students.
  const listed = new Map<string, Set<string>>();
  const list = async (url: string, token: string) => {
    if (!listed.has(url + token)) {
      const res = await get(platform.gatewayUrl, `${url}?limit=100`, token);
      // A list that does not answer lists nothing: say how it failed, so that a missing quiz is no mystery (404: a unit that is not there).
      if (res.status !== 200 && res.status !== 404) problems.push(`${url}: ${res.status} ${JSON.stringify(res.body)}`);
      listed.set(url + token, new Set(res.status === 200 ? res.body.items.map((q: any) => q.id) : []));
    }
    return listed.get(url + token)!;
  };
  let pageQuizzes = 0;
  let orphans = 0;
  await inParallel(legacyQuizzes, 6, async (quiz) => {
    const id = quiz._id.toHexString();
    const courseId = quiz.courseId.toHexString();
    const want = expected.get(courseId);
    const stored = await db.collection('quizzes').findOne({ _id: quiz._id });
    const byAuthor = await get(platform.gatewayUrl, `/api/quizzes/${id}`, adminToken);
    if (byAuthor.status !== 200 && want) return void problems.push(`quiz ${id}: ${byAuthor.status}`);
    const moduleIndex = want && quiz.moduleId ? want.findIndex((w) => w.id === quiz.moduleId.toHexString()) : -1;
    const unitId =
      want && !quiz.moduleId && want.length
        ? (await get(platform.gatewayUrl, `/api/courses/${courseId}`, adminToken)).body.units.at(-1).id
        : quiz.moduleId?.toHexString();
    const legacyCourse = legacyCourses.find((c) => c._id.equals(quiz.courseId));
    const module = moduleIndex >= 0 ? legacyCourse!.modules.find((m: Document) => m._id?.equals(quiz.moduleId)) : undefined;
    const lessons = module?.lessons?.length ?? 0;
    const k = quiz.afterLesson;
    const valid =
      Boolean(want) &&
      (quiz.moduleId ? moduleIndex >= 0 : want!.length > 0) &&
      (k === undefined || (quiz.moduleId && Number.isInteger(k) && k >= 0 && k < lessons));
    if (!valid) {
      orphans += 1;
      if (stored?.orphaned !== true) problems.push(`quiz ${id}: should be marked orphaned`);
      if (unitId && legacyCourse?.published === true) {
        const shown = await list(`/api/quizzes/unit/${unitId}`, studentToken);
        if (shown.has(id)) problems.push(`quiz ${id}: orphan shown to students`);
      }
      return;
    }
    if (k === undefined) {
      if (!(await list(`/api/quizzes/unit/${unitId}`, adminToken)).has(id)) problems.push(`quiz ${id}: not listed after unit ${unitId}`);
    } else {
      pageQuizzes += 1;
      const pageOrder = k + (typeof module.content === 'string' ? 2 : 1);
      if (!(await list(`/api/quizzes/page/${unitId}/${pageOrder}`, adminToken)).has(id))
        problems.push(`quiz ${id}: not listed after page ${pageOrder} of ${unitId}`);
    }
  });

  // Gems: earnedGems is the parsed legacy balance.
  await inParallel(legacyUsers.slice(0, 200), 6, async (user) => {
    const res = await get(platform.gatewayUrl, `/api/users/${user._id.toHexString()}/gems`, adminToken);
    if (res.status !== 200 || res.body.earnedGems !== parseGems(user.gems).gems)
      problems.push(`user ${user._id.toHexString()}: ${res.status} ${JSON.stringify(res.body).slice(0, 120)}`);
  });
  // Migrated quizzes are answered by the ids the student view shows: a user's next attempt after the monolith's is
  // numbered after them and grants nothing; a first attempt of a user without legacy history earns the quiz's gems.
  const attempts = await db.collection('quizattempts').find({}).toArray();
  const answer = async (quiz: Document, userId: string) => {
    const token = await signToken({ sub: userId, role: 'student', categoryIds: [] }, platform.jwtSecret);
    const view = await get(platform.gatewayUrl, `/api/quizzes/${quiz._id.toHexString()}`, token);
    if (view.status !== 200) return { status: view.status, body: view.body };
    const answers = (quiz.questions as Document[]).map((q, i) => ({ questionId: view.body.questions[i].id, selected: q.answer }));
    const response = await fetch(`${platform.gatewayUrl}/api/quizzes/${quiz._id.toHexString()}/attempts`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ answers }),
    });
    return { status: response.status, body: (await response.json()) as any };
  };
  const served = async (quiz: Document | undefined) => {
    const stored = quiz && (await db.collection('quizzes').findOne({ _id: quiz._id }));
    const course = quiz && legacyCourses.find((c) => c._id.equals(quiz.courseId));
    return stored && !stored.orphaned && course?.published === true ? stored : undefined;
  };
  let afterLegacy = 0;
  const pairs = new Set<string>();
  for (const attempt of attempts) {
    if (afterLegacy >= 5) break;
    const pair = `${attempt.quizId.toHexString()}:${attempt.userId.toHexString()}`;
    if (pairs.has(pair)) continue;
    pairs.add(pair);
    const quiz = legacyQuizzes.find((q) => q._id.equals(attempt.quizId));
    if (!(await served(quiz)) || !legacyUsers.some((u) => u._id.equals(attempt.userId))) continue;
    const before = attempts.filter((a) => a.quizId.equals(attempt.quizId) && a.userId.equals(attempt.userId)).length;
    const { status, body } = await answer(quiz!, attempt.userId.toHexString());
    if (status !== 201) problems.push(`attempt on ${quiz!._id.toHexString()}: ${status} ${JSON.stringify(body)}`);
    else if (body.attemptNumber !== before + 1 || body.firstAttempt !== false || body.gemsAwarded !== 0 || body.score !== body.maxScore)
      problems.push(`attempt on ${quiz!._id.toHexString()} after ${before} legacy: ${JSON.stringify(body)}`);
    afterLegacy += 1;
  }
  expect(afterLegacy).toBe(5);
  const firstTries = { unit: 0, page: 0 };
  for (const quiz of legacyQuizzes) {
    const stored = await served(quiz);
    const trigger = stored?.trigger as 'unit' | 'page' | undefined;
    if (!trigger || firstTries[trigger] >= 2) continue;
    firstTries[trigger] += 1;
    const { status, body } = await answer(quiz, new ObjectId().toHexString());
    const reward = typeof quiz.gems === 'number' ? quiz.gems : 10;
    if (status !== 201 || body.attemptNumber !== 1 || body.firstAttempt !== true || body.gemsAwarded !== reward)
      problems.push(`first attempt at ${trigger} quiz ${quiz._id.toHexString()} (${reward} gems): ${status} ${JSON.stringify(body)}`);
  }
  expect(firstTries).toEqual({ unit: 2, page: 2 });
  process.stdout.write(
    `checked ${legacyCourses.length} courses, ${units.size} units, ${legacyQuizzes.length} quizzes (${pageQuizzes} page, ${orphans} orphaned), 200 users, ` +
      `${afterLegacy} attempts after legacy ones, first attempts at 2 unit and 2 page quizzes; ${retriedUnavailable} reads asked again after a 503\n`,
  );
  expect(problems.slice(0, 20)).toEqual([]);
}, 900_000);
