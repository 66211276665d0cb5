import { api, expectProblem, newId, user, type TestUser } from '../support/api';
import { expectStatus, must } from '../support/content';
import { startGateway, type ExtraGateway } from '../support/gateway';
import { labelledCourse, type LabelledCourse } from '../support/navigation';
import { correctAnswers, submit } from '../support/quiz';

const progressPath = (courseId: string) => `/api/courses/${courseId}/progress`;
const mark = (as: TestUser | undefined, courseId: string, body: unknown, baseUrl?: string) =>
  api('POST', progressPath(courseId), { as, body, baseUrl });
const progressOf = (as: TestUser, courseId: string, query = '', baseUrl?: string) =>
  must(200, 'GET', `${progressPath(courseId)}${query}`, { as, baseUrl });

async function markViewed(as: TestUser, courseId: string, unitId: string, pageOrder: number): Promise<void> {
  expectStatus(await mark(as, courseId, { unitId, pageOrder }), 204);
}

const notAttempted = { attempts: 0, bestScore: null, passed: false, gemsAwarded: 0 };

let modules: ExtraGateway;
let pageQuizzesOff: ExtraGateway;
let legacy: ExtraGateway;
/** U1: 2 pages and a unit quiz; U2: 1 page with a page quiz; U3: no pages. Quizzes: 6 points, 10 gems. */
let course: LabelledCourse;
let u1: string, u2: string, u3: string;
beforeAll(async () => {
  [modules, pageQuizzesOff, legacy, course] = await Promise.all([
    startGateway('progress-modules', { USE_MODULES_TERMINOLOGY: 'true' }),
    startGateway('progress-page-quizzes-off', { PAGE_QUIZZES_ENABLED: 'false' }),
    startGateway('progress-legacy', { STRUCTURED_COURSES_ENABLED: 'false' }),
    labelledCourse([{ pages: 2, unitQuizzes: 1 }, { pages: 1, pageQuizzes: [1] }, {}], { gemReward: 10 }),
  ]);
  [u1, u2, u3] = course.unitIds as [string, string, string];
});
afterAll(async () => {
  await Promise.all([modules, pageQuizzesOff, legacy].map((gateway) => gateway?.stop()));
});

describe('pages viewed', () => {
  test('before anything: every unit at 0 (a unit without pages is complete), the quizzes in path order, no gems', async () => {
    const progress = await progressOf(await user('student'), course.courseId);
    expect(progress).toStrictEqual({
      completedPages: 0,
      totalPages: 3,
      percent: 0,
      units: [
        { unitId: u1, order: 1, completedPages: 0, totalPages: 2, completedPageOrders: [], completed: false },
        { unitId: u2, order: 2, completedPages: 0, totalPages: 1, completedPageOrders: [], completed: false },
        { unitId: u3, order: 3, completedPages: 0, totalPages: 0, completedPageOrders: [], completed: true },
      ],
      quizzes: [
        { quizId: course.quizIds.get('Q1a'), unitId: u1, title: 'Q1a', ...notAttempted, maxScore: 6 },
        { quizId: course.quizIds.get('Q2.1a'), unitId: u2, pageOrder: 1, title: 'Q2.1a', ...notAttempted, maxScore: 6 },
      ],
      earnedGems: 0,
    });
  });

  test('marking a page twice counts it once; units and then the course complete as their pages are viewed', async () => {
    const student = await user('student');
    const { courseId } = course;
    const res = await mark(student, courseId, { unitId: u1, pageOrder: 2 });
    expectStatus(res, 204);
    expect(res.text).toBe('');
    await markViewed(student, courseId, u1, 2);
    let progress = await progressOf(student, courseId);
    expect(progress).toMatchObject({ completedPages: 1, totalPages: 3, percent: 33 });
    expect(progress.units[0]).toMatchObject({ completedPages: 1, completedPageOrders: [2], completed: false });

    await markViewed(student, courseId, u1, 1);
    progress = await progressOf(student, courseId);
    expect(progress).toMatchObject({ completedPages: 2, percent: 66 });
    expect(progress.units.map((unit: { completed: boolean }) => unit.completed)).toEqual([true, false, true]);
    expect(progress.units[0].completedPageOrders).toEqual([1, 2]);

    await markViewed(student, courseId, u2, 1);
    await markViewed(student, courseId, u2, 1);
    progress = await progressOf(student, courseId);
    expect(progress).toMatchObject({ completedPages: 3, totalPages: 3, percent: 100 });
    expect(progress.units.map((unit: { completed: boolean }) => unit.completed)).toEqual([true, true, true]);
  });

  test('marks racing (first views included) are all counted, each page once', async () => {
    const { courseId, unitIds } = await labelledCourse([{ pages: 6 }]);
    const student = await user('student');
    const orders = [1, 2, 3, 4, 5, 6];
    await Promise.all([...orders, ...orders].map((pageOrder) => markViewed(student, courseId, unitIds[0]!, pageOrder)));
    expect(await progressOf(student, courseId)).toMatchObject({
      completedPages: 6,
      totalPages: 6,
      percent: 100,
      units: [{ completedPageOrders: orders }],
    });
  });

  test('a deleted page no longer counts; a page that moved counts where it stands now', async () => {
    const { courseId, unitIds, admin } = await labelledCourse([{ pages: 3 }]);
    const student = await user('student');
    await markViewed(student, courseId, unitIds[0]!, 2);
    await markViewed(student, courseId, unitIds[0]!, 3);
    expect(await progressOf(student, courseId)).toMatchObject({ completedPages: 2, totalPages: 3, percent: 66 });

    await must(204, 'DELETE', `/api/courses/${courseId}/units/${unitIds[0]}/pages/2`, { as: admin });
    const progress = await progressOf(student, courseId);
    expect(progress).toMatchObject({ completedPages: 1, totalPages: 2, percent: 50 });
    expect(progress.units[0]).toMatchObject({ completedPages: 1, totalPages: 2, completedPageOrders: [2], completed: false });
  });

  test('a course without pages: 0 of 0 and 0 %', async () => {
    const { courseId } = await labelledCourse([{}]);
    expect(await progressOf(await user('student'), courseId)).toMatchObject({
      completedPages: 0,
      totalPages: 0,
      percent: 0,
      quizzes: [],
      earnedGems: 0,
    });
  });
});

describe('quizzes', () => {
  test('attempts, best score, passed and the gems of first attempts; earnedGems sums them', async () => {
    const student = await user('student');
    const unitQuiz = course.quizzes.get('Q1a');
    const pageQuiz = course.quizzes.get('Q2.1a');
    expectStatus(await submit(student, unitQuiz.id, correctAnswers(unitQuiz)), 201);
    expectStatus(await submit(student, unitQuiz.id, []), 201);
    // Only the first question (2 of 6 points): not passed, floor(10 × 2 / 6) = 3 gems.
    const first = pageQuiz.questions[0];
    expectStatus(await submit(student, pageQuiz.id, [{ questionId: first.id, selected: first.answer }]), 201);

    const progress = await progressOf(student, course.courseId);
    expect(progress.quizzes).toStrictEqual([
      { quizId: unitQuiz.id, unitId: u1, title: 'Q1a', attempts: 2, bestScore: 6, maxScore: 6, passed: true, gemsAwarded: 10 },
      {
        quizId: pageQuiz.id,
        unitId: u2,
        pageOrder: 1,
        title: 'Q2.1a',
        attempts: 1,
        bestScore: 2,
        maxScore: 6,
        passed: false,
        gemsAwarded: 3,
      },
    ]);
    expect(progress.earnedGems).toBe(13);

    // Page quizzes off for the caller: not listed, but the gems earned at them stay earned.
    const withoutPageQuizzes = await progressOf(student, course.courseId, '', pageQuizzesOff.url);
    expect(withoutPageQuizzes.quizzes.map((quiz: { title: string }) => quiz.title)).toEqual(['Q1a']);
    expect(withoutPageQuizzes.earnedGems).toBe(13);

    // Someone else's attempts are theirs.
    expect((await progressOf(await user('student'), course.courseId)).earnedGems).toBe(0);
  });
});

describe('who reads whose progress', () => {
  let student: TestUser;
  beforeAll(async () => {
    student = await user('student');
    await markViewed(student, course.courseId, u1, 1);
  });

  test('a student reads their own, named or not', async () => {
    expect(await progressOf(student, course.courseId)).toMatchObject({ completedPages: 1 });
    expect(await progressOf(student, course.courseId, `?userId=${student.sub}`)).toMatchObject({ completedPages: 1 });
  });

  test('another student may not read it: 403', async () => {
    expectProblem(await api('GET', `${progressPath(course.courseId)}?userId=${student.sub}`, { as: await user('student') }), 403);
  });

  test("authors of the course read anyone's; an author out of scope may not", async () => {
    const expected = await progressOf(student, course.courseId);
    for (const author of [await user('admin'), await user('subadmin', [course.categoryId])]) {
      expect(await progressOf(author, course.courseId, `?userId=${student.sub}`)).toStrictEqual(expected);
    }
    expectProblem(
      await api('GET', `${progressPath(course.courseId)}?userId=${student.sub}`, { as: await user('subadmin', [newId()]) }),
      403,
    );
  });

  test('an author without userId gets their own', async () => {
    expect(await progressOf(await user('admin'), course.courseId)).toMatchObject({ completedPages: 0 });
  });

  test('anonymous callers: 401; marking is for students (authors: 403)', async () => {
    expectProblem(await api('GET', progressPath(course.courseId)), 401);
    expectProblem(await mark(undefined, course.courseId, { unitId: u1, pageOrder: 1 }), 401);
    for (const author of [await user('admin'), await user('subadmin', [course.categoryId])]) {
      expectProblem(await mark(author, course.courseId, { unitId: u1, pageOrder: 1 }), 403);
    }
  });
});

describe('what does not exist, or may not be seen: 404', () => {
  test.each([
    ['a page order past the last page', () => ({ unitId: u1, pageOrder: 3 })],
    ['a unit without pages', () => ({ unitId: u3, pageOrder: 1 })],
    ['an unknown unit', () => ({ unitId: newId(), pageOrder: 1 })],
  ])('marking %s', async (_name, body) => {
    expectProblem(await mark(await user('student'), course.courseId, body()), 404);
  });

  test('an unknown course, or a draft, for reading and marking', async () => {
    const student = await user('student');
    const draft = await labelledCourse([{ pages: 1 }]);
    await must(200, 'POST', `/api/courses/${draft.courseId}/unpublish`, { as: draft.admin });
    for (const courseId of [newId(), draft.courseId]) {
      expectProblem(await api('GET', progressPath(courseId), { as: student }), 404);
      expectProblem(await mark(student, courseId, { unitId: draft.unitIds[0], pageOrder: 1 }), 404);
    }
  });
});

describe('bad input: 400 naming the field', () => {
  test.each([
    ['page order 0', () => ({ unitId: u1, pageOrder: 0 }), /^body\/pageOrder$/],
    ['a page order as a string', () => ({ unitId: u1, pageOrder: '1' }), /^body\/pageOrder$/],
    ['a fractional page order', () => ({ unitId: u1, pageOrder: 1.5 }), /^body\/pageOrder$/],
    ['no unit id', () => ({ pageOrder: 1 }), /^body\/unitId$/],
    ['a unit id that is no id', () => ({ unitId: 'unit-1', pageOrder: 1 }), /^body\/unitId$/],
    ['an unknown field', () => ({ unitId: u1, pageOrder: 1, viewed: true }), /^body\/viewed$/],
    ['a $-prefixed key', () => ({ unitId: u1, pageOrder: 1, $set: {} }), /^body\/\$set$/],
  ])('marking with %s', async (_name, body, path) => {
    const res = await mark(await user('student'), course.courseId, body());
    expectProblem(res, 400);
    expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ path: expect.stringMatching(path) })]));
  });

  test.each([
    ['a user id that is no id', '?userId=someone', /^query\/userId$/],
    ['an unknown parameter', '?unitId=1', /^query\/unitId$/],
  ])('reading with %s', async (_name, query, path) => {
    const res = await api('GET', `${progressPath(course.courseId)}${query}`, { as: await user('student') });
    expectProblem(res, 400);
    expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ path: expect.stringMatching(path) })]));
  });

  test('a course id that is no id', async () => {
    const student = await user('student');
    expectProblem(await api('GET', progressPath('course-1'), { as: student }), 400);
    expectProblem(await mark(student, 'course-1', { unitId: u1, pageOrder: 1 }), 400);
  });
});

describe('flags', () => {
  test('USE_MODULES_TERMINOLOGY on: `units` is named `modules`, its fields unchanged', async () => {
    const student = await user('student');
    const progress = await progressOf(student, course.courseId, '', modules.url);
    expect(progress).not.toHaveProperty('units');
    expect(progress.modules).toEqual((await progressOf(student, course.courseId)).units);
    expect(progress.modules[0]).toHaveProperty('unitId', u1);
  });

  test('STRUCTURED_COURSES_ENABLED off: progress is part of the structured API, 404', async () => {
    const student = await user('student');
    expectProblem(await api('GET', progressPath(course.courseId), { as: student, baseUrl: legacy.url }), 404);
    expectProblem(await mark(student, course.courseId, { unitId: u1, pageOrder: 1 }, legacy.url), 404);
  });
});
