import { api, expectProblem, user } from '../support/api';
import { expectStatus, must, newCourseTree, type CourseTree } from '../support/content';
import { startGateway, type ExtraGateway } from '../support/gateway';
import { correctAnswers, expectNoAnswers, newQuiz, quizBody, submit } from '../support/quiz';

// Gateways with other flag settings in front of the platform's services (same data).
let noPageQuizzes: ExtraGateway;
let legacy: ExtraGateway;
beforeAll(async () => {
  [noPageQuizzes, legacy] = await Promise.all([
    startGateway('no-page-quizzes', { PAGE_QUIZZES_ENABLED: 'false' }),
    startGateway('quizzes-legacy', { STRUCTURED_COURSES_ENABLED: 'false' }),
  ]);
});
afterAll(async () => {
  await Promise.all([noPageQuizzes, legacy].map((gateway) => gateway?.stop()));
});

let tree: CourseTree;
let unitQuiz: any;
let pageQuiz: any;
beforeAll(async () => {
  tree = await newCourseTree({ units: 1, pages: 2, published: true });
  unitQuiz = await newQuiz({ courseId: tree.courseId, moduleId: tree.unitIds[0]! });
  pageQuiz = await newQuiz({ courseId: tree.courseId, moduleId: tree.unitIds[0]!, trigger: 'page', pageOrder: 1 });
});

describe.each([
  ['PAGE_QUIZZES_ENABLED off', () => noPageQuizzes],
  ['STRUCTURED_COURSES_ENABLED off (legacy view)', () => legacy],
])('%s', (_name, gateway) => {
  const at = () => gateway().url;

  test('page quizzes are not listed: the page list answers 404, whoever asks', async () => {
    for (const as of [undefined, await user('student'), await user('admin')]) {
      expectProblem(await api('GET', `/api/quizzes/page/${tree.unitIds[0]}/1`, { as, baseUrl: at() }), 404);
    }
    // The default gateway lists it.
    expect((await must(200, 'GET', `/api/quizzes/page/${tree.unitIds[0]}/1`)).items.map((q: any) => q.id)).toEqual([pageQuiz.id]);
  });

  test('a page quiz is 404 by id to students and anonymous callers, and cannot be attempted or its attempts listed', async () => {
    const student = await user('student');
    for (const as of [undefined, student]) expectProblem(await api('GET', `/api/quizzes/${pageQuiz.id}`, { as, baseUrl: at() }), 404);
    expectProblem(await submit(student, pageQuiz.id, correctAnswers(pageQuiz), { baseUrl: at() }), 404);
    expectProblem(await api('GET', `/api/quizzes/${pageQuiz.id}/attempts`, { as: student, baseUrl: at() }), 404);
    // Nothing was recorded.
    expect((await must(200, 'GET', `/api/quizzes/${pageQuiz.id}/attempts`, { as: student })).items).toEqual([]);
  });

  test('authors still get the author view of an existing page quiz', async () => {
    expect(await must(200, 'GET', `/api/quizzes/${pageQuiz.id}`, { as: await user('admin'), baseUrl: at() })).toEqual(pageQuiz);
  });

  test('creating a page quiz, or moving a quiz to a page, is a 400 naming body/trigger; nothing is created', async () => {
    const admin = await user('admin');
    const before = await must(200, 'GET', `/api/quizzes/page/${tree.unitIds[0]}/2`);
    const created = await api('POST', '/api/quizzes', {
      as: admin,
      baseUrl: at(),
      body: quizBody({ courseId: tree.courseId, moduleId: tree.unitIds[0]!, trigger: 'page', pageOrder: 2 }),
    });
    expectProblem(created, 400);
    expect(created.body.errors).toEqual([expect.objectContaining({ path: 'body/trigger' })]);
    expectProblem(
      await api('PATCH', `/api/quizzes/${unitQuiz.id}`, { as: admin, baseUrl: at(), body: { trigger: 'page', pageOrder: 2 } }),
      400,
    );
    expect(await must(200, 'GET', `/api/quizzes/page/${tree.unitIds[0]}/2`)).toEqual(before);
    expect(await must(200, 'GET', `/api/quizzes/${unitQuiz.id}`, { as: admin })).toEqual(unitQuiz);
  });

  test('unit quizzes keep working: created, listed by unit, read by id, attempted', async () => {
    const admin = await user('admin');
    const quiz = await newQuiz({ courseId: tree.courseId, moduleId: tree.unitIds[0]! }, admin, at());
    const student = await user('student');
    const listed = await must(200, 'GET', `/api/quizzes/unit/${tree.unitIds[0]}`, { as: student, baseUrl: at() });
    expect(listed.items.map((q: any) => q.id)).toEqual(expect.arrayContaining([unitQuiz.id, quiz.id]));
    expect(listed.items.every((q: any) => q.trigger === 'unit')).toBe(true);
    const view = await must(200, 'GET', `/api/quizzes/${quiz.id}`, { as: student, baseUrl: at() });
    expectNoAnswers([listed, view]);
    const attempt = await submit(student, quiz.id, correctAnswers(quiz), { baseUrl: at() });
    expectStatus(attempt, 201);
    expect(attempt.body).toMatchObject({ attemptNumber: 1, firstAttempt: true, score: 6, gemsAwarded: 7 });
    expect((await must(200, 'GET', `/api/quizzes/${quiz.id}/attempts`, { as: student, baseUrl: at() })).items).toEqual([attempt.body]);
  });
});

test('the legacy course view of a course with quizzes carries no answers', async () => {
  const student = await user('student');
  for (const as of [undefined, student]) {
    const course = await must(200, 'GET', `/api/courses/${tree.courseId}`, { as, baseUrl: legacy.url });
    expect(course).toHaveProperty('modules');
    expectNoAnswers(course);
    expect(JSON.stringify(course)).not.toContain('Which are even?');
  }
});
