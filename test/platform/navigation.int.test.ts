import { api, expectProblem, newId, user } from '../support/api';
import { must } from '../support/content';
import { startGateway, type ExtraGateway } from '../support/gateway';
import { isPageQuizLabel, labelledCourse, walk, type LabelledCourse, type UnitSpec } from '../support/navigation';

/** Courses of every shape, with the path each has where page quizzes are on (labels: see `labelledCourse`). */
const SHAPES: [name: string, units: UnitSpec[], path: string[]][] = [
  [
    'unit quizzes only',
    [
      { pages: 2, unitQuizzes: 1 },
      { pages: 1, unitQuizzes: 2 },
    ],
    ['P1.1', 'P1.2', 'Q1a', 'P2.1', 'Q2a', 'Q2b'],
  ],
  [
    'page quizzes only',
    [
      { pages: 2, pageQuizzes: [1, 1] },
      { pages: 1, pageQuizzes: [1] },
    ],
    ['P1.1', 'Q1.1a', 'Q1.1b', 'P1.2', 'P2.1', 'Q2.1a'],
  ],
  [
    'page and unit quizzes',
    [
      { pages: 2, pageQuizzes: [2, 1], unitQuizzes: 1 },
      { pages: 2, pageQuizzes: [2], unitQuizzes: 1 },
    ],
    ['P1.1', 'Q1.1a', 'P1.2', 'Q1.2a', 'Q1a', 'P2.1', 'P2.2', 'Q2.2a', 'Q2a'],
  ],
  [
    'empty units first, in the middle and last (their unit quizzes where they stand; without quizzes, skipped)',
    [{ unitQuizzes: 1 }, { pages: 1 }, {}, { unitQuizzes: 1 }, { pages: 1, pageQuizzes: [1] }, { unitQuizzes: 1 }, {}],
    ['Q1a', 'P2.1', 'Q4a', 'P5.1', 'Q5.1a', 'Q6a'],
  ],
  ['no pages, only unit quizzes', [{ unitQuizzes: 1 }, {}, { unitQuizzes: 2 }], ['Q1a', 'Q3a', 'Q3b']],
  ['no pages and no quizzes', [{}, {}], []],
  ['no units at all', [], []],
];

// Gateways with other flags in front of the platform's services; the platform's own has both flags on.
let pageQuizzesOff: ExtraGateway;
let legacy: ExtraGateway;
let legacyWithoutPageQuizzes: ExtraGateway;
const courses = new Map<string, LabelledCourse>();
beforeAll(async () => {
  [pageQuizzesOff, legacy, legacyWithoutPageQuizzes] = await Promise.all([
    startGateway('navigation-page-quizzes-off', { PAGE_QUIZZES_ENABLED: 'false' }),
    startGateway('navigation-legacy', { STRUCTURED_COURSES_ENABLED: 'false' }),
    startGateway('navigation-legacy-page-quizzes-off', { STRUCTURED_COURSES_ENABLED: 'false', PAGE_QUIZZES_ENABLED: 'false' }),
  ]);
  await Promise.all(SHAPES.map(async ([name, units]) => courses.set(name, await labelledCourse(units))));
});
afterAll(async () => {
  await Promise.all([pageQuizzesOff, legacy, legacyWithoutPageQuizzes].map((gateway) => gateway?.stop()));
});

const course = (name: string) => courses.get(name)!;

describe('walking whole courses from the first item to the end', () => {
  test('the gateways have the flags the walks below assume', async () => {
    const flags = (baseUrl?: string) => must(200, 'GET', '/api/flags', { baseUrl });
    expect(await flags()).toMatchObject({ STRUCTURED_COURSES_ENABLED: true, PAGE_QUIZZES_ENABLED: true });
    expect(await flags(pageQuizzesOff.url)).toMatchObject({ STRUCTURED_COURSES_ENABLED: true, PAGE_QUIZZES_ENABLED: false });
    expect(await flags(legacy.url)).toMatchObject({ STRUCTURED_COURSES_ENABLED: false, PAGE_QUIZZES_ENABLED: true });
    expect(await flags(legacyWithoutPageQuizzes.url)).toMatchObject({ STRUCTURED_COURSES_ENABLED: false, PAGE_QUIZZES_ENABLED: false });
  });

  test.each(SHAPES)('PAGE_QUIZZES_ENABLED on: %s', async (name, _units, path) => {
    const items = await walk(course(name).courseId, await user('student'));
    expect(items.map((item) => item.title)).toEqual(path);
  });

  test.each(SHAPES)('PAGE_QUIZZES_ENABLED off: %s, without its page quizzes', async (name, _units, path) => {
    const items = await walk(course(name).courseId, await user('student'), pageQuizzesOff.url);
    expect(items.map((item) => item.title)).toEqual(path.filter((label) => !isPageQuizLabel(label)));
  });

  test('every item names exactly where it is: unit, page order (pages and page quizzes), quiz id', async () => {
    const { courseId, unitIds, quizIds } = course('page and unit quizzes');
    const [u1, u2] = unitIds;
    const page = (unitId: string | undefined, pageOrder: number, title: string) => ({ type: 'page', unitId, pageOrder, title });
    const quiz = (title: string, unitId: string | undefined, pageOrder?: number) => ({
      type: 'quiz',
      quizId: quizIds.get(title),
      unitId,
      ...(pageOrder === undefined ? {} : { pageOrder }),
      title,
    });
    const items = await walk(courseId, await user('student'));
    expect(items).toStrictEqual([
      page(u1, 1, 'P1.1'),
      quiz('Q1.1a', u1, 1),
      page(u1, 2, 'P1.2'),
      quiz('Q1.2a', u1, 2),
      quiz('Q1a', u1),
      page(u2, 1, 'P2.1'),
      page(u2, 2, 'P2.2'),
      quiz('Q2.2a', u2, 2),
      quiz('Q2a', u2),
    ]);
  });

  test('a page quiz follows its page when the pages are reordered', async () => {
    const { courseId, unitIds, admin } = await labelledCourse([{ pages: 2, pageQuizzes: [1] }]);
    const unit = await must(200, 'GET', `/api/courses/${courseId}/units/${unitIds[0]}`, { as: admin });
    const pageIds = unit.pages.map((page: { id: string }) => page.id).reverse();
    await must(200, 'PUT', `/api/courses/${courseId}/units/${unitIds[0]}/pages/order`, { as: admin, body: { pageIds } });
    const items = await walk(courseId, await user('student'));
    expect(items.map((item) => [item.title, item.pageOrder])).toEqual([
      ['P1.2', 1],
      ['P1.1', 2],
      ['Q1.1a', 2],
    ]);
  });

  test('authors may walk a course too (the student path)', async () => {
    const { courseId, admin } = course('unit quizzes only');
    expect((await walk(courseId, admin)).map((item) => item.title)).toEqual(['P1.1', 'P1.2', 'Q1a', 'P2.1', 'Q2a', 'Q2b']);
  });
});

describe('STRUCTURED_COURSES_ENABLED off: `next` is part of the structured API and answers 404', () => {
  test.each([
    ['page quizzes on', () => legacy],
    ['page quizzes off', () => legacyWithoutPageQuizzes],
  ])('%s: no query, after a page, after a quiz; for anyone', async (_name, gateway) => {
    const { courseId, unitIds, quizIds } = course('page and unit quizzes');
    const student = await user('student');
    for (const query of ['', `?unitId=${unitIds[0]}&pageOrder=1`, `?quizId=${quizIds.get('Q1a')}`]) {
      for (const as of [student, undefined])
        expectProblem(await api('GET', `/api/courses/${courseId}/next${query}`, { as, baseUrl: gateway().url }), 404);
    }
  });
});

describe('points that are not on the path: 404', () => {
  test.each([
    ['an unknown unit', (_c: LabelledCourse) => `?unitId=${newId()}&pageOrder=1`],
    ['a page order past the unit’s last page', (c: LabelledCourse) => `?unitId=${c.unitIds[0]}&pageOrder=3`],
    ['a unit of the course that has no pages', (c: LabelledCourse) => `?unitId=${c.unitIds[2]}&pageOrder=1`],
    ['an unknown quiz', () => `?quizId=${newId()}`],
    ['a quiz of another course', () => `?quizId=${course('unit quizzes only').quizIds.get('Q1a')}`],
    ['a page id given as a quiz id', (c: LabelledCourse) => `?quizId=${c.unitIds[0]}`],
  ])('%s', async (_name, query) => {
    const c = course('empty units first, in the middle and last (their unit quizzes where they stand; without quizzes, skipped)');
    const res = await api('GET', `/api/courses/${c.courseId}/next${query(c)}`, { as: await user('student') });
    expectProblem(res, 404);
    expect(res.body.detail).toBe('no such item in this course');
  });

  test('a page quiz where page quizzes are off for the caller', async () => {
    const { courseId, quizIds } = course('page quizzes only');
    expectProblem(
      await api('GET', `/api/courses/${courseId}/next?quizId=${quizIds.get('Q1.1a')}`, {
        as: await user('student'),
        baseUrl: pageQuizzesOff.url,
      }),
      404,
    );
  });

  test('a course that does not exist, or that students may not see (a draft)', async () => {
    const student = await user('student');
    expectProblem(await api('GET', `/api/courses/${newId()}/next`, { as: student }), 404);
    const { courseId, admin } = await labelledCourse([{ pages: 1 }]);
    await must(200, 'POST', `/api/courses/${courseId}/unpublish`, { as: admin });
    expectProblem(await api('GET', `/api/courses/${courseId}/next`, { as: student }), 404);
  });
});

describe('bad requests', () => {
  test('anonymous: 401', async () => {
    expectProblem(await api('GET', `/api/courses/${course('unit quizzes only').courseId}/next`), 401);
  });

  test.each([
    ['a course id that is no id', 'not-an-id', '', /^params\/courseId$/],
    ['a unit id that is no id', undefined, '?unitId=xyz&pageOrder=1', /^query\/unitId$/],
    ['page order 0', undefined, `?unitId=${newId()}&pageOrder=0`, /^query\/pageOrder$/],
    ['a page order that is no number', undefined, `?unitId=${newId()}&pageOrder=two`, /^query\/pageOrder$/],
    ['a unit id without a page order', undefined, `?unitId=${newId()}`, /^query\/pageOrder$/],
    ['a page order without a unit id', undefined, '?pageOrder=1', /^query\/unitId$/],
    ['a quiz id with a page', undefined, `?quizId=${newId()}&unitId=${newId()}&pageOrder=1`, /^query\/quizId$/],
    ['a quiz id that is no id', undefined, '?quizId=123', /^query\/quizId$/],
    ['an unknown parameter', undefined, '?after=1', /^query\/after$/],
  ])('%s: 400 naming it', async (_name, courseId, query, path) => {
    const res = await api('GET', `/api/courses/${courseId ?? course('unit quizzes only').courseId}/next${query}`, {
      as: await user('student'),
    });
    expectProblem(res, 400);
    expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ path: expect.stringMatching(path) })]));
  });
});
