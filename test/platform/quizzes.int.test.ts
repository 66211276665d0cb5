import { api, expectProblem, newId, uniqueName, user, type TestUser } from '../support/api';
import { expectStatus, must, newCategory, newCourse, newCourseTree, newPage, newUnit, type CourseTree } from '../support/content';
import { correctAnswers, expectNoAnswers, newQuiz, quizBody, submit } from '../support/quiz';

const HEX_ID = /^[0-9a-f]{24}$/;
const expectIssue = (body: any, path: RegExp) =>
  expect(body.errors).toEqual(
    expect.arrayContaining([expect.objectContaining({ path: expect.stringMatching(path), message: expect.any(String) })]),
  );

const STUDENT_QUIZ_KEYS = ['courseId', 'gemReward', 'id', 'maxScore', 'moduleId', 'questions', 'title', 'trigger', 'version'];

describe('creating quizzes', () => {
  let tree: CourseTree;
  beforeAll(async () => {
    tree = await newCourseTree({ units: 2, pages: 2 });
  });

  test('a unit quiz: 201 with the author view, Location and ETag; answers as sent, points defaulted, ids assigned', async () => {
    const admin = await user('admin');
    const body = quizBody({ courseId: tree.courseId, moduleId: tree.unitIds[0]! });
    const res = await api('POST', '/api/quizzes', { as: admin, body });
    expectStatus(res, 201);
    expect(res.body).toEqual({
      id: expect.stringMatching(HEX_ID),
      courseId: tree.courseId,
      trigger: 'unit',
      moduleId: tree.unitIds[0],
      title: body.title,
      questions: [
        { id: expect.stringMatching(HEX_ID), type: 'single', prompt: 'Which is prime?', options: ['4', '7', '9'], answer: 1, points: 2 },
        {
          id: expect.stringMatching(HEX_ID),
          type: 'multiple',
          prompt: 'Which are even?',
          options: ['2', '3', '4', '5'],
          answer: [0, 2],
          points: 3,
        },
        {
          id: expect.stringMatching(HEX_ID),
          type: 'trueFalse',
          prompt: 'The sky is blue.',
          options: ['True', 'False'],
          answer: 0,
          points: 1,
        },
      ],
      gemReward: 7,
      maxScore: 6,
      version: 1,
      orphaned: false,
    });
    expect(res.headers.get('location')).toBe(`/api/quizzes/${res.body.id}`);
    expect(res.headers.get('etag')).toBe('"1"');
  });

  test('a page quiz needs moduleId and an existing pageOrder; it answers with that pageOrder', async () => {
    const quiz = await newQuiz({ courseId: tree.courseId, moduleId: tree.unitIds[1]!, trigger: 'page', pageOrder: 2 });
    expect(quiz).toMatchObject({ trigger: 'page', moduleId: tree.unitIds[1], pageOrder: 2, orphaned: false });
  });

  const invalidPlacements: [string, (t: CourseTree) => Record<string, unknown>, RegExp][] = [
    ['a moduleId that is no unit of the course', () => ({ moduleId: newId() }), /(^|\/)moduleId$/],
    ['a page quiz without pageOrder', (t) => ({ trigger: 'page', moduleId: t.unitIds[0] }), /(^|\/)pageOrder$/],
    [
      'a page quiz at a pageOrder past the last page',
      (t) => ({ trigger: 'page', moduleId: t.unitIds[0], pageOrder: 3 }),
      /(^|\/)pageOrder$/,
    ],
    ['a unit quiz with a pageOrder', (t) => ({ trigger: 'unit', moduleId: t.unitIds[0], pageOrder: 1 }), /(^|\/)pageOrder$/],
    ['a missing moduleId', () => ({ moduleId: undefined }), /moduleId$/],
  ];
  test.each(invalidPlacements)('%s → 400 naming the field', async (_name, placement, path) => {
    const res = await api('POST', '/api/quizzes', {
      as: await user('admin'),
      body: { ...quizBody({ courseId: tree.courseId, moduleId: tree.unitIds[0]! }), ...placement(tree) },
    });
    expectProblem(res, 400);
    expectIssue(res.body, path);
  });

  test('the unit of another course is no unit of this one', async () => {
    const other = await newCourseTree({ units: 1, pages: 1, categoryId: tree.categoryId });
    const res = await api('POST', '/api/quizzes', {
      as: await user('admin'),
      body: quizBody({ courseId: tree.courseId, moduleId: other.unitIds[0]! }),
    });
    expectProblem(res, 400);
    expectIssue(res.body, /(^|\/)moduleId$/);
  });

  const invalidQuestions: [string, unknown[], RegExp][] = [
    ['an answer index out of range', [{ type: 'single', prompt: 'p', options: ['a', 'b'], answer: 2 }], /questions\/0\/answer/],
    [
      'a multiple-choice question with no answer',
      [{ type: 'multiple', prompt: 'p', options: ['a', 'b'], answer: [] }],
      /questions\/0\/answer/,
    ],
    [
      'a trueFalse question with three options',
      [{ type: 'trueFalse', prompt: 'p', options: ['a', 'b', 'c'], answer: 0 }],
      /questions\/0\/options/,
    ],
    ['an empty prompt', [{ type: 'single', prompt: ' ', options: ['a', 'b'], answer: 0 }], /questions\/0\/prompt/],
    ['0 points', [{ type: 'single', prompt: 'p', options: ['a', 'b'], answer: 0, points: 0 }], /questions\/0\/points/],
    ['no questions', [], /questions/],
  ];
  test.each(invalidQuestions)('%s → 400 naming the field, nothing created', async (_name, questions, path) => {
    const admin = await user('admin');
    const res = await api('POST', '/api/quizzes', {
      as: admin,
      body: quizBody({ courseId: tree.courseId, moduleId: tree.unitIds[0]!, questions }),
    });
    expectProblem(res, 400);
    expectIssue(res.body, path);
  });

  test('an unknown course is 404; an archived one 409', async () => {
    const admin = await user('admin');
    expectProblem(await api('POST', '/api/quizzes', { as: admin, body: quizBody({ courseId: newId(), moduleId: newId() }) }), 404);
    const archived = await newCourseTree({ units: 1, pages: 1 });
    await must(200, 'DELETE', `/api/courses/${archived.courseId}`, { as: admin });
    expectProblem(
      await api('POST', '/api/quizzes', { as: admin, body: quizBody({ courseId: archived.courseId, moduleId: archived.unitIds[0]! }) }),
      409,
    );
  });

  test('a page quiz follows its page when the pages are reordered, and goes orphaned when the page is deleted', async () => {
    const admin = await user('admin');
    const t = await newCourseTree({ units: 1, pages: 3, published: true });
    const quiz = await newQuiz({ courseId: t.courseId, moduleId: t.unitIds[0]!, trigger: 'page', pageOrder: 1 });
    const first = await api('GET', `/api/quizzes/${quiz.id}`);
    expect(first.body.pageOrder).toBe(1);
    const etag = first.headers.get('etag')!;
    await must(200, 'PUT', `/api/courses/${t.courseId}/units/${t.unitIds[0]}/pages/order`, {
      as: admin,
      body: { pageIds: [...t.pageIds[0]!].reverse() },
    });
    const moved = await api('GET', `/api/quizzes/${quiz.id}`, { headers: { 'if-none-match': etag } });
    expectStatus(moved, 200);
    expect(moved.body).toMatchObject({ pageOrder: 3, version: 1 });
    expect(moved.headers.get('etag')).toBe('"1.3"');
    expect((await must(200, 'GET', `/api/quizzes/page/${t.unitIds[0]}/3`)).items.map((q: any) => q.id)).toEqual([quiz.id]);
    expect((await must(200, 'GET', `/api/quizzes/page/${t.unitIds[0]}/1`)).items).toEqual([]);

    await must(204, 'DELETE', `/api/courses/${t.courseId}/units/${t.unitIds[0]}/pages/3`, { as: admin });
    expectProblem(await api('GET', `/api/quizzes/${quiz.id}`, { as: await user('student') }), 404);
    const orphan = await api('GET', `/api/quizzes/${quiz.id}`, { as: admin });
    expectStatus(orphan, 200);
    expect(orphan.body).toMatchObject({ orphaned: true });
    expect(orphan.body).not.toHaveProperty('pageOrder');
    expect(orphan.headers.get('etag')).toBe('"1.0"');
    await must(204, 'DELETE', `/api/quizzes/${quiz.id}`, { as: admin });
  });
});

type Role = 'anonymous' | 'student' | 'subadmin out of scope' | 'subadmin in scope' | 'admin';
const ROLES: Role[] = ['anonymous', 'student', 'subadmin out of scope', 'subadmin in scope', 'admin'];

async function callerFor(role: Role, categoryId: string): Promise<TestUser | undefined> {
  switch (role) {
    case 'anonymous':
      return undefined;
    case 'student':
      return user('student');
    case 'subadmin out of scope':
      return user('subadmin', [newId()]);
    case 'subadmin in scope':
      return user('subadmin', [newId(), categoryId]);
    case 'admin':
      return user('admin');
  }
}

const expectedWrite: Record<Role, (success: number, published: boolean) => number> = {
  anonymous: () => 401,
  student: () => 403,
  'subadmin out of scope': (_success, published) => (published ? 403 : 404),
  'subadmin in scope': (success) => success,
  admin: (success) => success,
};

describe('authorization of quiz writes', () => {
  const writes = [
    {
      name: 'POST /api/quizzes',
      success: 201,
      request: (t: CourseTree, _quizId: string) => ({
        method: 'POST',
        path: '/api/quizzes',
        body: quizBody({ courseId: t.courseId, moduleId: t.unitIds[0]! }),
      }),
    },
    {
      name: 'PATCH /api/quizzes/:id',
      success: 200,
      request: (_t: CourseTree, quizId: string) => ({
        method: 'PATCH',
        path: `/api/quizzes/${quizId}`,
        body: { title: uniqueName('renamed') },
      }),
    },
    {
      name: 'DELETE /api/quizzes/:id',
      success: 204,
      request: (_t: CourseTree, quizId: string) => ({ method: 'DELETE', path: `/api/quizzes/${quizId}`, body: undefined }),
    },
  ];
  const cases = writes.flatMap((write) =>
    ROLES.flatMap((role) =>
      [false, true].map((published) => ({ write, role, published, status: expectedWrite[role](write.success, published) })),
    ),
  );

  test.each(cases)('$write.name by $role (published: $published) → $status', async ({ write, role, published, status }) => {
    const tree = await newCourseTree({ units: 1, pages: 1, published });
    const quiz = await newQuiz({ courseId: tree.courseId, moduleId: tree.unitIds[0]! });
    const { method, path, body } = write.request(tree, quiz.id);
    const res = await api(method, path, { as: await callerFor(role, tree.categoryId), body });
    if (status >= 400) {
      expectProblem(res, status);
      // Nothing changed.
      expect(await must(200, 'GET', `/api/quizzes/${quiz.id}`, { as: await user('admin') })).toEqual(quiz);
    } else {
      expectStatus(res, status);
    }
  });
});

describe('reading quizzes', () => {
  let published: CourseTree;
  let draft: CourseTree;
  let unitQuiz: any;
  let pageQuiz: any;
  let draftQuiz: any;
  beforeAll(async () => {
    [published, draft] = await Promise.all([newCourseTree({ units: 2, pages: 2, published: true }), newCourseTree({ units: 1, pages: 1 })]);
    unitQuiz = await newQuiz({ courseId: published.courseId, moduleId: published.unitIds[0]! });
    pageQuiz = await newQuiz({ courseId: published.courseId, moduleId: published.unitIds[0]!, trigger: 'page', pageOrder: 2 });
    draftQuiz = await newQuiz({ courseId: draft.courseId, moduleId: draft.unitIds[0]! });
  });

  const studentView = (quiz: any) => {
    const { orphaned: _orphaned, questions, ...rest } = quiz;
    return { ...rest, questions: questions.map(({ answer: _answer, ...question }: any) => question) };
  };

  test('GET /api/quizzes/:id: authors in scope get the answers, everyone else the student view of a published course', async () => {
    const authors = [await user('admin'), await user('subadmin', [published.categoryId])];
    for (const as of authors) {
      const res = await api('GET', `/api/quizzes/${unitQuiz.id}`, { as });
      expectStatus(res, 200);
      expect(res.body).toEqual(unitQuiz);
      expect(res.headers.get('etag')).toBe('"1"');
    }
    for (const as of [undefined, await user('student'), await user('subadmin', [newId()])]) {
      const res = await api('GET', `/api/quizzes/${unitQuiz.id}`, { as });
      expectStatus(res, 200);
      expect(res.body).toEqual(studentView(unitQuiz));
      expect(Object.keys(res.body).sort()).toEqual(STUDENT_QUIZ_KEYS);
      expectNoAnswers(res.body);
      const page = await must(200, 'GET', `/api/quizzes/${pageQuiz.id}`, { as });
      expect(page).toEqual(studentView(pageQuiz));
      expect(page.pageOrder).toBe(2);
    }
  });

  test('quizzes of a draft course: 404 to students, anonymous callers and subadmins out of scope; visible to its authors', async () => {
    for (const as of [undefined, await user('student'), await user('subadmin', [newId()])]) {
      expectProblem(await api('GET', `/api/quizzes/${draftQuiz.id}`, { as }), 404);
      expectProblem(await api('GET', `/api/quizzes/unit/${draft.unitIds[0]}`, { as }), 404);
    }
    expect(await must(200, 'GET', `/api/quizzes/${draftQuiz.id}`, { as: await user('subadmin', [draft.categoryId]) })).toEqual(draftQuiz);
    expect((await must(200, 'GET', `/api/quizzes/unit/${draft.unitIds[0]}`, { as: await user('admin') })).items).toEqual([
      studentView(draftQuiz),
    ]);
  });

  test('a unit the caller may not see is 404 whether or not it has quizzes, and so is a well-formed id that names no unit', async () => {
    const empty = await newCourseTree({ units: 1, pages: 1 });
    for (const as of [undefined, await user('student'), await user('subadmin', [newId()])]) {
      for (const unitId of [draft.unitIds[0]!, empty.unitIds[0]!, newId()]) {
        expectProblem(await api('GET', `/api/quizzes/unit/${unitId}`, { as }), 404);
        expectProblem(await api('GET', `/api/quizzes/page/${unitId}/1`, { as }), 404);
      }
    }
    // Its authors see the draft's units, with or without quizzes.
    const author = await user('subadmin', [empty.categoryId]);
    expect(await must(200, 'GET', `/api/quizzes/unit/${empty.unitIds[0]}`, { as: author })).toEqual({ items: [], nextCursor: null });
    expect(await must(200, 'GET', `/api/quizzes/page/${empty.unitIds[0]}/1`, { as: author })).toEqual({ items: [], nextCursor: null });
  });

  test('unpublishing a course hides its quizzes from students again', async () => {
    const admin = await user('admin');
    const t = await newCourseTree({ units: 1, pages: 1, published: true });
    const quiz = await newQuiz({ courseId: t.courseId, moduleId: t.unitIds[0]! });
    const student = await user('student');
    await must(200, 'GET', `/api/quizzes/${quiz.id}`, { as: student });
    await must(200, 'POST', `/api/courses/${t.courseId}/unpublish`, { as: admin });
    expectProblem(await api('GET', `/api/quizzes/${quiz.id}`, { as: student }), 404);
    expectProblem(await submit(student, quiz.id, correctAnswers(quiz)), 404);
  });

  test("lists by unit (unit quizzes) and by page (that page's quizzes), student view, oldest first", async () => {
    const second = await newQuiz({ courseId: published.courseId, moduleId: published.unitIds[0]! });
    for (const as of [undefined, await user('student'), await user('admin')]) {
      const byUnit = await must(200, 'GET', `/api/quizzes/unit/${published.unitIds[0]}`, { as });
      expect(byUnit).toEqual({ items: [studentView(unitQuiz), studentView(second)], nextCursor: null });
      const byPage = await must(200, 'GET', `/api/quizzes/page/${published.unitIds[0]}/2`, { as });
      expect(byPage).toEqual({ items: [studentView(pageQuiz)], nextCursor: null });
      expectNoAnswers([byUnit, byPage]);
      expect(await must(200, 'GET', `/api/quizzes/page/${published.unitIds[0]}/1`, { as })).toEqual({ items: [], nextCursor: null });
      expect(await must(200, 'GET', `/api/quizzes/unit/${published.unitIds[1]}`, { as })).toEqual({ items: [], nextCursor: null });
    }
    const first = await must(200, 'GET', `/api/quizzes/unit/${published.unitIds[0]}?limit=1`);
    expect(first.items.map((q: any) => q.id)).toEqual([unitQuiz.id]);
    const rest = await must(200, 'GET', `/api/quizzes/unit/${published.unitIds[0]}?limit=1&cursor=${encodeURIComponent(first.nextCursor)}`);
    expect(rest.items.map((q: any) => q.id)).toEqual([second.id]);
    await must(204, 'DELETE', `/api/quizzes/${second.id}`, { as: await user('admin') });
  });

  test('an unknown quiz is 404; an id that is not one 400', async () => {
    for (const as of [undefined, await user('student'), await user('admin')]) {
      expectProblem(await api('GET', `/api/quizzes/${newId()}`, { as }), 404);
      const bad = await api('GET', '/api/quizzes/nope', { as });
      expectProblem(bad, 400);
      expectIssue(bad.body, /quizId/);
    }
  });

  test('If-None-Match with the ETag is a 304', async () => {
    const res = await api('GET', `/api/quizzes/${unitQuiz.id}`);
    expect((await api('GET', `/api/quizzes/${unitQuiz.id}`, { headers: { 'if-none-match': res.headers.get('etag')! } })).status).toBe(304);
  });
});

describe('changing and deleting quizzes', () => {
  let tree: CourseTree;
  let admin: TestUser;
  beforeAll(async () => {
    tree = await newCourseTree({ units: 2, pages: 2, published: true });
    admin = await user('admin');
  });

  test('PATCH with the current If-Match: 200, version + 1, new ETag; a stale one 412 and nothing changes', async () => {
    const quiz = await newQuiz({ courseId: tree.courseId, moduleId: tree.unitIds[0]! });
    const res = await api('PATCH', `/api/quizzes/${quiz.id}`, {
      as: admin,
      body: { title: 'Renamed', gemReward: 12 },
      headers: { 'if-match': '"1"' },
    });
    expectStatus(res, 200);
    expect(res.body).toEqual({ ...quiz, title: 'Renamed', gemReward: 12, version: 2 });
    expect(res.headers.get('etag')).toBe('"2"');
    expectProblem(
      await api('PATCH', `/api/quizzes/${quiz.id}`, { as: admin, body: { title: 'Stale' }, headers: { 'if-match': '"1"' } }),
      412,
    );
    expectProblem(await api('DELETE', `/api/quizzes/${quiz.id}`, { as: admin, headers: { 'if-match': '"1"' } }), 412);
    expect(await must(200, 'GET', `/api/quizzes/${quiz.id}`, { as: admin })).toMatchObject({ title: 'Renamed', version: 2 });
    // Without If-Match it applies to the current version.
    expect(await must(200, 'PATCH', `/api/quizzes/${quiz.id}`, { as: admin, body: { title: 'Again' } })).toMatchObject({
      title: 'Again',
      version: 3,
    });
  });

  test('PATCH questions replaces them (ids sent are kept) and recomputes maxScore', async () => {
    const quiz = await newQuiz({ courseId: tree.courseId, moduleId: tree.unitIds[0]! });
    const kept = quiz.questions[1];
    const patched = await must(200, 'PATCH', `/api/quizzes/${quiz.id}`, {
      as: admin,
      body: { questions: [{ id: kept.id, type: 'multiple', prompt: kept.prompt, options: kept.options, answer: [1, 3], points: 5 }] },
    });
    expect(patched.questions).toEqual([{ ...kept, answer: [1, 3], points: 5 }]);
    expect(patched.maxScore).toBe(5);
  });

  test('PATCH moves a quiz: to a page (needs an existing pageOrder), to another unit', async () => {
    const quiz = await newQuiz({ courseId: tree.courseId, moduleId: tree.unitIds[0]! });
    const missing = await api('PATCH', `/api/quizzes/${quiz.id}`, { as: admin, body: { trigger: 'page' } });
    expectProblem(missing, 400);
    expectIssue(missing.body, /(^|\/)pageOrder$/);
    const toPage = await must(200, 'PATCH', `/api/quizzes/${quiz.id}`, { as: admin, body: { trigger: 'page', pageOrder: 2 } });
    expect(toPage).toMatchObject({ trigger: 'page', moduleId: tree.unitIds[0], pageOrder: 2 });
    const toUnit = await must(200, 'PATCH', `/api/quizzes/${quiz.id}`, { as: admin, body: { trigger: 'unit', moduleId: tree.unitIds[1] } });
    expect(toUnit).toMatchObject({ trigger: 'unit', moduleId: tree.unitIds[1] });
    expect(toUnit).not.toHaveProperty('pageOrder');
    const bad = await api('PATCH', `/api/quizzes/${quiz.id}`, { as: admin, body: { moduleId: newId() } });
    expectProblem(bad, 400);
    expectIssue(bad.body, /(^|\/)moduleId$/);
  });

  test('DELETE: 204, then 404 for everyone; a second DELETE 404', async () => {
    const quiz = await newQuiz({ courseId: tree.courseId, moduleId: tree.unitIds[0]! });
    const res = await api('DELETE', `/api/quizzes/${quiz.id}`, { as: admin, headers: { 'if-match': '"1"' } });
    expect(res.status).toBe(204);
    for (const as of [undefined, await user('student'), admin]) expectProblem(await api('GET', `/api/quizzes/${quiz.id}`, { as }), 404);
    expectProblem(await api('DELETE', `/api/quizzes/${quiz.id}`, { as: admin }), 404);
    expectProblem(await api('PATCH', `/api/quizzes/${quiz.id}`, { as: admin, body: { title: 'x' } }), 404);
  });

  test('quizzes of an archived course can no longer change: 409', async () => {
    const t = await newCourseTree({ units: 1, pages: 1, published: true });
    const quiz = await newQuiz({ courseId: t.courseId, moduleId: t.unitIds[0]! });
    await must(200, 'DELETE', `/api/courses/${t.courseId}`, { as: admin });
    expectProblem(await api('PATCH', `/api/quizzes/${quiz.id}`, { as: admin, body: { title: 'x' } }), 409);
    expectProblem(await api('DELETE', `/api/quizzes/${quiz.id}`, { as: admin }), 409);
  });
});

describe('no answer ever reaches a student', () => {
  test('every student-facing response of a course with unit and page quizzes: no answer keys, questions exactly the student view', async () => {
    const admin = await user('admin');
    const course = await newCourse(admin, await newCategory());
    const unit = await newUnit(admin, course.id);
    await newPage(admin, course.id, unit.id);
    await newPage(admin, course.id, unit.id);
    await must(200, 'POST', `/api/courses/${course.id}/publish`, { as: admin });
    const unitQuiz = await newQuiz({ courseId: course.id, moduleId: unit.id });
    const pageQuiz = await newQuiz({ courseId: course.id, moduleId: unit.id, trigger: 'page', pageOrder: 1 });

    const student = await user('student');
    const attempts = [
      await submit(student, unitQuiz.id, correctAnswers(unitQuiz)),
      await submit(student, unitQuiz.id, correctAnswers(unitQuiz).slice(1)),
      await submit(student, pageQuiz.id, []),
    ];
    for (const attempt of attempts) expectStatus(attempt, 201);
    const c = `/api/courses/${course.id}`;
    const paths = [
      c,
      `${c}/units`,
      `${c}/units/${unit.id}`,
      `${c}/units/${unit.id}/pages`,
      `${c}/units/${unit.id}/pages/1`,
      `${c}/units/${unit.id}/pages/2`,
      `${c}/modules/${unit.id}`,
      `/api/courses?categoryId=${course.categoryId}`,
      `/api/quizzes/${unitQuiz.id}`,
      `/api/quizzes/${pageQuiz.id}`,
      `/api/quizzes/unit/${unit.id}`,
      `/api/quizzes/page/${unit.id}/1`,
    ];
    const bodies: unknown[] = attempts.map((attempt) => attempt.body);
    for (const as of [student, undefined]) {
      for (const path of paths) bodies.push(await must(200, 'GET', path, { as }));
    }
    bodies.push(await must(200, 'GET', `/api/quizzes/${unitQuiz.id}/attempts`, { as: student }));
    bodies.push(await must(200, 'GET', `/api/quizzes/${pageQuiz.id}/attempts`, { as: student }));
    bodies.push(await must(200, 'GET', '/api/gems/me', { as: student }));
    expectNoAnswers(bodies);
    // The quiz bodies themselves held questions: the check above did look at some.
    const text = JSON.stringify(bodies);
    expect(text).toContain('Which are even?');
    expect(text).not.toMatch(/"answer"|"correct/i);
  });
});

describe('bad input is refused and changes nothing', () => {
  let tree: CourseTree;
  let quiz: any;
  beforeAll(async () => {
    tree = await newCourseTree({ units: 1, pages: 1, published: true });
    quiz = await newQuiz({ courseId: tree.courseId, moduleId: tree.unitIds[0]! });
  });
  const create = (t: CourseTree, change: Record<string, unknown>) => ({
    ...quizBody({ courseId: t.courseId, moduleId: t.unitIds[0]! }),
    ...change,
  });
  const question = (change: Record<string, unknown>) => ({ type: 'single', prompt: 'p', options: ['a', 'b'], answer: 0, ...change });

  // Rows always have three cells: a shorter row would make jest pass a `done` callback as the third argument.
  const cases: [
    string,
    (t: CourseTree, quizId: string) => { method: string; path: string; body?: unknown; rawBody?: string; headers?: Record<string, string> },
    RegExp | undefined,
  ][] = [
    [
      'an unknown top-level field',
      (t) => ({ method: 'POST', path: '/api/quizzes', body: create(t, { published: true }) }),
      /^body\/published$/,
    ],
    [
      'an unknown question field',
      (t) => ({ method: 'POST', path: '/api/quizzes', body: create(t, { questions: [question({ correct: 0 })] }) }),
      /^body\/questions\/0\/correct$/,
    ],
    ['a $-key', (t) => ({ method: 'POST', path: '/api/quizzes', body: create(t, { title: { $ne: '' } }) }), /\$ne/],
    [
      'a nested $-key',
      (t) => ({ method: 'POST', path: '/api/quizzes', body: create(t, { questions: [question({ $where: '1' })] }) }),
      /\$where/,
    ],
    [
      'an array answer for a single question',
      (t) => ({ method: 'POST', path: '/api/quizzes', body: create(t, { questions: [question({ answer: [0] })] }) }),
      /^body\/questions\/0\/answer$/,
    ],
    [
      'a number answer for a multiple question',
      (t) => ({ method: 'POST', path: '/api/quizzes', body: create(t, { questions: [question({ type: 'multiple', answer: 0 })] }) }),
      /^body\/questions\/0\/answer$/,
    ],
    [
      'an unknown question type',
      (t) => ({ method: 'POST', path: '/api/quizzes', body: create(t, { questions: [question({ type: 'essay' })] }) }),
      /^body\/questions\/0\/type$/,
    ],
    ['an unknown trigger', (t) => ({ method: 'POST', path: '/api/quizzes', body: create(t, { trigger: 'course' }) }), /^body\/trigger$/],
    ['a string gemReward', (t) => ({ method: 'POST', path: '/api/quizzes', body: create(t, { gemReward: '5' }) }), /^body\/gemReward$/],
    ['a negative gemReward', (t) => ({ method: 'POST', path: '/api/quizzes', body: create(t, { gemReward: -1 }) }), /^body\/gemReward$/],
    [
      'a fractional answer index',
      (t) => ({ method: 'POST', path: '/api/quizzes', body: create(t, { questions: [question({ answer: 0.5 })] }) }),
      /^body\/questions\/0\/answer$/,
    ],
    [
      'questions that are not a list',
      (t) => ({ method: 'POST', path: '/api/quizzes', body: create(t, { questions: 'q' }) }),
      /^body\/questions$/,
    ],
    [
      'a pageOrder of 0',
      (t) => ({ method: 'POST', path: '/api/quizzes', body: create(t, { trigger: 'page', pageOrder: 0 }) }),
      /^body\/pageOrder$/,
    ],
    [
      'a courseId that is not an id',
      (t) => ({ method: 'POST', path: '/api/quizzes', body: create(t, { courseId: 'abc' }) }),
      /^body\/courseId$/,
    ],
    [
      'a moduleId that is not an id',
      (t) => ({ method: 'POST', path: '/api/quizzes', body: create(t, { moduleId: 'abc' }) }),
      /^body\/moduleId$/,
    ],
    [
      'a question id that is not an id',
      (t) => ({ method: 'POST', path: '/api/quizzes', body: create(t, { questions: [question({ id: 'q1' })] }) }),
      /^body\/questions\/0\/id$/,
    ],
    ['a missing title', (t) => ({ method: 'POST', path: '/api/quizzes', body: { ...create(t, {}), title: undefined } }), /^body\/title$/],
    [
      'malformed JSON',
      () => ({ method: 'POST', path: '/api/quizzes', rawBody: '{"title":', headers: { 'content-type': 'application/json' } }),
      undefined,
    ],
    ['an empty PATCH', (_t, id) => ({ method: 'PATCH', path: `/api/quizzes/${id}`, body: {} }), undefined],
    ['an unknown PATCH field', (_t, id) => ({ method: 'PATCH', path: `/api/quizzes/${id}`, body: { version: 9 } }), /^body\/version$/],
    ['a $-key in a PATCH', (_t, id) => ({ method: 'PATCH', path: `/api/quizzes/${id}`, body: { $set: { gemReward: 1e6 } } }), /\$set/],
    ['a quiz id that is not an id', () => ({ method: 'PATCH', path: '/api/quizzes/123', body: { title: 'x' } }), /quizId/],
    [
      'an If-Match that is not a version',
      (_t, id) => ({ method: 'PATCH', path: `/api/quizzes/${id}`, body: { title: 'x' }, headers: { 'if-match': '"v1"' } }),
      undefined,
    ],
    ['a unit id that is not an id', () => ({ method: 'GET', path: '/api/quizzes/unit/xyz' }), /unitId/],
    ['a page order that is not a positive integer', (t) => ({ method: 'GET', path: `/api/quizzes/page/${t.unitIds[0]}/0` }), /pageOrder/],
    ['an unknown query parameter', (t) => ({ method: 'GET', path: `/api/quizzes/unit/${t.unitIds[0]}?sort=title` }), undefined],
    ['a $-key in a query', (t) => ({ method: 'GET', path: `/api/quizzes/unit/${t.unitIds[0]}?$where=1` }), /\$where/],
    ['a limit over 100', (t) => ({ method: 'GET', path: `/api/quizzes/unit/${t.unitIds[0]}?limit=101` }), /limit/],
  ];

  test.each(cases)('%s → 400', async (_name, request, errorPath) => {
    const admin = await user('admin');
    const before = await must(200, 'GET', `/api/quizzes/unit/${tree.unitIds[0]}`, { as: admin });
    const { method, path, ...options } = request(tree, quiz.id);
    const res = await api(method, path, { as: admin, ...options });
    expectProblem(res, 400);
    if (errorPath) expectIssue(res.body, errorPath);
    expect(await must(200, 'GET', `/api/quizzes/unit/${tree.unitIds[0]}`, { as: admin })).toEqual(before);
    expect(await must(200, 'GET', `/api/quizzes/${quiz.id}`, { as: admin })).toEqual(quiz);
  });

  test('a text/plain body is 415; a body over 1 MiB 413', async () => {
    const admin = await user('admin');
    expectProblem(await api('POST', '/api/quizzes', { as: admin, rawBody: 'title=x', headers: { 'content-type': 'text/plain' } }), 415);
    expectProblem(await api('POST', '/api/quizzes', { as: admin, body: create(tree, { title: 'x'.repeat(1024 * 1024 + 10) }) }), 413);
  });
});
