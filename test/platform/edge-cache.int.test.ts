import { setTimeout as sleep } from 'node:timers/promises';
import { api, user, type TestUser } from '../support/api';
import { expectStatus, must, newCourseTree } from '../support/content';
import { startGateway, type ExtraGateway } from '../support/gateway';
import { newQuiz } from '../support/quiz';

/**
 * Student views served from a gateway's memory (services/gateway/src/http/edge-cache.ts).
 * "Another pod" is a second gateway in front of the same services: changes are made through
 * the platform's gateway, and reach the other one's students within its EDGE_CACHE_MAX_AGE_MS.
 */
const MAX_AGE_MS = 1_500;

let otherPod: ExtraGateway;
let rollout: ExtraGateway;
beforeAll(async () => {
  [otherPod, rollout] = await Promise.all([
    startGateway('edge-other-pod', { EDGE_CACHE_MAX_AGE_MS: String(MAX_AGE_MS) }),
    startGateway('edge-rollout', { EDGE_CACHE_MAX_AGE_MS: '60000', USE_MODULES_TERMINOLOGY: '50%' }),
  ]);
});
afterAll(async () => {
  await Promise.all([otherPod, rollout].map((gateway) => gateway?.stop()));
});

/** The gateway's count of student views by answer (hit, shared, read), from its /metrics. */
async function edgeViews(baseUrl: string): Promise<{ hit: number; shared: number; read: number }> {
  const text = await (await fetch(`${baseUrl}/metrics`)).text();
  const count = (answer: string) =>
    Number(new RegExp(`^gateway_edge_views_total\\{answer="${answer}"\\} (\\d+)`, 'm').exec(text)?.[1] ?? 0);
  return { hit: count('hit'), shared: count('shared'), read: count('read') };
}

/** A student's (or, without `as`, an anonymous) read; without `baseUrl`, through the platform's gateway. */
const get = (path: string, as: TestUser | undefined, baseUrl?: string, headers: Record<string, string> = {}) =>
  api('GET', path, { as, baseUrl, headers });

/** Waits out the bound: whatever the other pod read before the change has expired by then. */
const pastTheBound = () => sleep(MAX_AGE_MS + 50);

test("a student's repeated reads are answered from memory, with the same bytes, ETag and 304", async () => {
  const tree = await newCourseTree({ units: 1, pages: 2, published: true });
  const student = await user('student');
  const paths = [`/api/courses/${tree.courseId}`, `/api/courses/${tree.courseId}/units/${tree.unitIds[0]}/pages/2`];
  for (const path of paths) {
    const first = await get(path, student, otherPod.url);
    expectStatus(first, 200);
    const before = await edgeViews(otherPod.url);
    const again = await get(path, await user('student'), otherPod.url);
    expect(again.text).toBe(first.text);
    expect(again.headers.get('etag')).toBe(first.headers.get('etag'));
    expect(again.headers.get('content-type')).toBe(first.headers.get('content-type'));
    expect(again.headers.get('vary')).toMatch(/authorization/i);
    const notModified = await get(path, student, otherPod.url, { 'if-none-match': first.headers.get('etag')! });
    expect(notModified.status).toBe(304);
    expect(notModified.text).toBe('');
    expect((await edgeViews(otherPod.url)).hit).toBe(before.hit + 2);
  }
  // A student's own writes change no shared view: still answered from memory.
  expectStatus(await get(paths[0]!, student, otherPod.url), 200);
  await must(204, 'POST', `/api/courses/${tree.courseId}/progress`, {
    as: student,
    baseUrl: otherPod.url,
    body: { unitId: tree.unitIds[0], pageOrder: 2 },
  });
  const before = await edgeViews(otherPod.url);
  expectStatus(await get(paths[0]!, student, otherPod.url), 200);
  expect(await edgeViews(otherPod.url)).toEqual({ ...before, hit: before.hit + 1 });
});

test('an author’s change through another pod reaches its students within EDGE_CACHE_MAX_AGE_MS; through the same pod, at once', async () => {
  const tree = await newCourseTree({ units: 1, pages: 1, published: true });
  const admin = await user('admin');
  const student = await user('student');
  const course = `/api/courses/${tree.courseId}`;
  const page = `${course}/units/${tree.unitIds[0]}/pages/1`;
  const quiz = await newQuiz({ courseId: tree.courseId, moduleId: tree.unitIds[0]! });
  const next = `${course}/next?unitId=${tree.unitIds[0]}&pageOrder=1`;
  for (const baseUrl of [otherPod.url, undefined]) {
    for (const path of [course, page, next, `/api/quizzes/${quiz.id}`]) expectStatus(await get(path, student, baseUrl), 200);
  }
  const oldCourse = await get(course, student, otherPod.url);

  await must(200, 'PATCH', course, { as: admin, body: { title: 'Renamed' } });
  await must(200, 'PATCH', page, { as: admin, body: { title: 'Page renamed' } });
  await must(200, 'PATCH', `/api/quizzes/${quiz.id}`, { as: admin, body: { title: 'Quiz renamed' } });

  // The platform's gateway made the changes: its students see them on their next read.
  const here = (path: string) => must(200, 'GET', path, { as: student });
  expect((await here(course)).title).toBe('Renamed');
  expect((await here(page)).title).toBe('Page renamed');
  expect(await here(next)).toMatchObject({ type: 'quiz', quizId: quiz.id, title: 'Quiz renamed' });
  expect((await here(`/api/quizzes/${quiz.id}`)).title).toBe('Quiz renamed');

  await pastTheBound();
  const there = (path: string) => must(200, 'GET', path, { as: student, baseUrl: otherPod.url });
  expect((await there(course)).title).toBe('Renamed');
  expect((await there(page)).title).toBe('Page renamed');
  expect(await there(next)).toMatchObject({ type: 'quiz', quizId: quiz.id, title: 'Quiz renamed' });
  expect((await there(`/api/quizzes/${quiz.id}`)).title).toBe('Quiz renamed');
  const changed = await get(course, student, otherPod.url, { 'if-none-match': oldCourse.headers.get('etag')! });
  expect(changed.status).toBe(200);
  expect(changed.headers.get('etag')).not.toBe(oldCourse.headers.get('etag'));
});

test('a draft is never served to a student: not before its publication, not after it is taken back', async () => {
  const tree = await newCourseTree({ units: 1, pages: 1 });
  const admin = await user('admin');
  const student = await user('student');
  const course = `/api/courses/${tree.courseId}`;
  const page = `${course}/units/${tree.unitIds[0]}/pages/1`;
  const studentsSee = async (baseUrl?: string) =>
    Promise.all([course, page].flatMap((path) => [student, undefined].map(async (as) => (await get(path, as, baseUrl)).status)));

  expect(await studentsSee(otherPod.url)).toEqual([404, 404, 404, 404]);
  // An author's view of the draft is the author's own, never kept for students.
  expect((await must(200, 'GET', course, { as: admin, baseUrl: otherPod.url })).status).toBe('draft');
  expect(await studentsSee(otherPod.url)).toEqual([404, 404, 404, 404]);

  const published = await must(200, 'POST', `${course}/publish`, { as: admin });
  await pastTheBound();
  expect(await studentsSee(otherPod.url)).toEqual([200, 200, 200, 200]);
  expect(await studentsSee()).toEqual([200, 200, 200, 200]);

  await must(200, 'POST', `${course}/unpublish`, { as: admin, headers: { 'if-match': `"${published.version}"` } });
  expect(await studentsSee()).toEqual([404, 404, 404, 404]);
  await pastTheBound();
  expect(await studentsSee(otherPod.url)).toEqual([404, 404, 404, 404]);
});

test('students of different flag variants are each served their own view', async () => {
  const tree = await newCourseTree({ units: 1, pages: 1, published: true });
  const students = await Promise.all(Array.from({ length: 16 }, () => user('student')));
  const flags = await Promise.all(
    students.map(async (as) => (await must(200, 'GET', '/api/flags', { as, baseUrl: rollout.url })).USE_MODULES_TERMINOLOGY as boolean),
  );
  const withModules = students[flags.indexOf(true)];
  const withUnits = students[flags.indexOf(false)];
  // 16 students at 50 %: all on one side has a chance of 2 in 65,536.
  expect([withModules, withUnits]).toEqual([expect.anything(), expect.anything()]);
  for (let round = 0; round < 3; round += 1) {
    const [modules, units] = await Promise.all(
      [withModules, withUnits].map((as) => must(200, 'GET', `/api/courses/${tree.courseId}`, { as, baseUrl: rollout.url })),
    );
    expect(Object.keys(modules)).toContain('modules');
    expect(Object.keys(modules)).not.toContain('units');
    expect(Object.keys(units)).toContain('units');
    expect(Object.keys(units)).not.toContain('modules');
  }
  expect((await edgeViews(rollout.url)).hit).toBeGreaterThanOrEqual(4);
});

test('many students asking at once for a view not yet kept cause one read of the services', async () => {
  const tree = await newCourseTree({ units: 1, pages: 1, published: true });
  const students = await Promise.all(Array.from({ length: 50 }, () => user('student')));
  const before = await edgeViews(otherPod.url);
  const answers = await Promise.all(students.map((as) => get(`/api/courses/${tree.courseId}`, as, otherPod.url)));
  expect(new Set(answers.map((answer) => `${answer.status} ${answer.text}`)).size).toBe(1);
  expectStatus(answers[0]!, 200);
  const after = await edgeViews(otherPod.url);
  expect(after.read - before.read).toBe(1);
  expect(after.hit + after.shared - before.hit - before.shared).toBe(49);
});
