import { api, expectProblem, newId, user } from '../support/api';
import { expectStatus, must, newCourseTree, type CourseTree } from '../support/content';
import { correctAnswers, expectNoAnswers, grantsFor, newKey, newQuiz, submit, type AttemptAnswer } from '../support/quiz';

// The sample quiz (test/support/quiz.ts): gemReward 7, maxScore 6.
// q0 single, 2 points, answer 1; q1 multiple, 3 points, answer [0, 2]; q2 trueFalse, 1 point, answer 0.
let tree: CourseTree;
let quiz: any;
let q: [string, string, string];
beforeAll(async () => {
  tree = await newCourseTree({ units: 1, pages: 1, published: true });
  quiz = await newQuiz({ courseId: tree.courseId, moduleId: tree.unitIds[0]! });
  q = quiz.questions.map((question: { id: string }) => question.id);
});

const answers = (q0?: number | number[], q1?: number[], q2?: number | number[]): AttemptAnswer[] =>
  [
    [q[0], q0],
    [q[1], q1],
    [q[2], q2],
  ]
    .filter(([, selected]) => selected !== undefined)
    .map(([questionId, selected]) => ({ questionId: questionId as string, selected: selected as number | number[] }));

describe('scoring over HTTP', () => {
  const cases: [string, () => AttemptAnswer[], number, boolean][] = [
    ['every question right', () => answers(1, [0, 2], 0), 6, true],
    ['trueFalse wrong', () => answers(1, [0, 2], 1), 5, true],
    ['the single question wrong (4/6 is under the 70 % pass mark)', () => answers(0, [0, 2], 0), 4, false],
    ['multiple choice with one option too many scores 0 for it', () => answers(1, [0, 1, 2], 0), 3, false],
    ['multiple choice with one option too few scores 0 for it', () => answers(1, [0], 0), 3, false],
    ['multiple choice in another order is right', () => answers(0, [2, 0], 1), 3, false],
    ['single and trueFalse answered as one-element lists', () => answers([1], undefined, [0]), 3, false],
    ['left-out questions score 0', () => answers(undefined, undefined, 0), 1, false],
    ['nothing answered', () => [], 0, false],
  ];

  test.each(cases)('%s → score %d', async (_name, attemptAnswers, score, passed) => {
    const student = await user('student');
    const res = await submit(student, quiz.id, attemptAnswers());
    expectStatus(res, 201);
    const gemsAwarded = Math.floor((7 * score) / 6);
    expect(res.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{24}$/),
      quizId: quiz.id,
      attemptNumber: 1,
      score,
      maxScore: 6,
      passed,
      firstAttempt: true,
      gemsAwarded,
      gemsStatus: gemsAwarded > 0 ? 'granted' : 'none',
      timeTakenMs: 0,
      createdAt: expect.any(String),
    });
    expectNoAnswers(res.body);
    const balance = await must(200, 'GET', '/api/gems/me', { as: student });
    expect(balance.earnedGems).toBe(gemsAwarded);
    expect(grantsFor(balance, quiz.id)).toHaveLength(gemsAwarded > 0 ? 1 : 0);
  });

  test('the floor rule: 3 of 6 points of 7 gems is 3 (3.5 rounded down), 5 of 6 is 5 (5.83)', async () => {
    const [half, most] = await Promise.all([
      submit(await user('student'), quiz.id, answers(undefined, [0, 2])),
      submit(await user('student'), quiz.id, answers(1, [0, 2], 1)),
    ]);
    expect([half.body.gemsAwarded, most.body.gemsAwarded]).toEqual([3, 5]);
  });

  test('later attempts are scored and recorded but grant nothing', async () => {
    const student = await user('student');
    const first = await submit(student, quiz.id, answers(0));
    expect(first.body).toMatchObject({ attemptNumber: 1, firstAttempt: true, score: 0, gemsAwarded: 0, gemsStatus: 'none' });
    const second = await api('POST', `/api/quizzes/${quiz.id}/attempts`, {
      as: student,
      body: { answers: correctAnswers(quiz), timeTakenMs: 4200 },
    });
    expectStatus(second, 201);
    expect(second.body).toMatchObject({
      attemptNumber: 2,
      firstAttempt: false,
      score: 6,
      passed: true,
      gemsAwarded: 0,
      gemsStatus: 'none',
      timeTakenMs: 4200,
    });
    expect(await must(200, 'GET', '/api/gems/me', { as: student })).toEqual({ userId: student.sub, earnedGems: 0, history: [] });
  });
});

describe('attempts: idempotency and listing', () => {
  test('a retry with the same Idempotency-Key answers the recorded attempt; a new key records another', async () => {
    const student = await user('student');
    const key = newKey();
    const first = await submit(student, quiz.id, correctAnswers(quiz), { key });
    const retries = await Promise.all(Array.from({ length: 5 }, () => submit(student, quiz.id, correctAnswers(quiz), { key })));
    for (const retry of retries) {
      expectStatus(retry, 201);
      expect(retry.body).toEqual(first.body);
    }
    const other = await submit(student, quiz.id, correctAnswers(quiz), { key: newKey() });
    expect(other.body).toMatchObject({ attemptNumber: 2, firstAttempt: false, gemsAwarded: 0 });
    const list = await must(200, 'GET', `/api/quizzes/${quiz.id}/attempts`, { as: student });
    expect(list.items.map((a: any) => a.id)).toEqual([first.body.id, other.body.id]);
    const balance = await must(200, 'GET', '/api/gems/me', { as: student });
    expect(balance.earnedGems).toBe(7);
    expect(grantsFor(balance, quiz.id)).toHaveLength(1);
  });

  test("GET .../attempts lists the caller's own attempts, oldest first, in pages", async () => {
    const [alice, bob] = [await user('student'), await user('student')];
    const made = [];
    for (const selected of [0, 1, 2]) made.push((await submit(alice, quiz.id, answers(selected))).body);
    expect(made.map((a) => a.attemptNumber)).toEqual([1, 2, 3]);
    expect(await must(200, 'GET', `/api/quizzes/${quiz.id}/attempts`, { as: alice })).toEqual({ items: made, nextCursor: null });
    expect(await must(200, 'GET', `/api/quizzes/${quiz.id}/attempts`, { as: bob })).toEqual({ items: [], nextCursor: null });
    const page1 = await must(200, 'GET', `/api/quizzes/${quiz.id}/attempts?limit=2`, { as: alice });
    expect(page1.items).toEqual(made.slice(0, 2));
    const page2 = await must(200, 'GET', `/api/quizzes/${quiz.id}/attempts?limit=2&cursor=${encodeURIComponent(page1.nextCursor)}`, {
      as: alice,
    });
    expect(page2).toEqual({ items: made.slice(2), nextCursor: null });
  });
});

describe('attempt statuses', () => {
  test('students only: anonymous 401, authors 403 (submit and list)', async () => {
    const body = { answers: correctAnswers(quiz) };
    for (const [as, status] of [
      [undefined, 401],
      [await user('admin'), 403],
      [await user('subadmin', [tree.categoryId]), 403],
    ] as const) {
      expectProblem(await api('POST', `/api/quizzes/${quiz.id}/attempts`, { as, body }), status);
      expectProblem(await api('GET', `/api/quizzes/${quiz.id}/attempts`, { as }), status);
    }
  });

  test('an unknown quiz or one of a draft course is 404, and records nothing', async () => {
    const student = await user('student');
    expectProblem(await submit(student, newId(), []), 404);
    expectProblem(await api('GET', `/api/quizzes/${newId()}/attempts`, { as: student }), 404);
    const draft = await newCourseTree({ units: 1, pages: 0 });
    const hidden = await newQuiz({ courseId: draft.courseId, moduleId: draft.unitIds[0]! });
    expectProblem(await submit(student, hidden.id, correctAnswers(hidden)), 404);
  });

  test('the attempts of a quiz the student may not see are 404, as the quiz is: its existence does not leak', async () => {
    const student = await user('student');
    const draft = await newCourseTree({ units: 1, pages: 0 });
    const hidden = await newQuiz({ courseId: draft.courseId, moduleId: draft.unitIds[0]! });
    expectProblem(await api('GET', `/api/quizzes/${hidden.id}`, { as: student }), 404);
    expectProblem(await api('GET', `/api/quizzes/${hidden.id}/attempts`, { as: student }), 404);

    // Attempted while published, then unpublished: hidden with its quiz, and listed again once it is back.
    const t = await newCourseTree({ units: 1, pages: 1, published: true });
    const shown = await newQuiz({ courseId: t.courseId, moduleId: t.unitIds[0]! });
    expectStatus(await submit(student, shown.id, correctAnswers(shown)), 201);
    const admin = await user('admin');
    await must(200, 'POST', `/api/courses/${t.courseId}/unpublish`, { as: admin });
    expectProblem(await api('GET', `/api/quizzes/${shown.id}/attempts`, { as: student }), 404);
    await must(200, 'POST', `/api/courses/${t.courseId}/publish`, { as: admin });
    expect((await must(200, 'GET', `/api/quizzes/${shown.id}/attempts`, { as: student })).items).toHaveLength(1);
  });

  // Rows always have three cells: a shorter row would make jest pass a `done` callback as the third argument.
  const invalid: [
    string,
    () => { body?: unknown; rawBody?: string; headers?: Record<string, string>; path?: string },
    RegExp | undefined,
  ][] = [
    ['a question the quiz does not have', () => ({ body: { answers: [{ questionId: newId(), selected: 0 }] } }), /answers\/0\/questionId/],
    ['an option index out of range', () => ({ body: { answers: answers(3) } }), /answers\/0\/selected/],
    ['two options for a single question', () => ({ body: { answers: answers([0, 1]) } }), /answers\/0\/selected/],
    ['a repeated option', () => ({ body: { answers: answers(undefined, [0, 0]) } }), /answers\/0\/selected/],
    ['the same question twice', () => ({ body: { answers: [...answers(1), ...answers(1)] } }), /answers\/1\/questionId/],
    ['a string as selected', () => ({ body: { answers: [{ questionId: q[0], selected: '1' }] } }), /^body\/answers\/0\/selected$/],
    ['a negative option index', () => ({ body: { answers: [{ questionId: q[0], selected: -1 }] } }), /^body\/answers\/0\/selected/],
    [
      'a questionId that is not an id',
      () => ({ body: { answers: [{ questionId: 'q0', selected: 1 }] } }),
      /^body\/answers\/0\/questionId$/,
    ],
    ['no answers field', () => ({ body: {} }), /^body\/answers$/],
    ['answers that are not a list', () => ({ body: { answers: { [q[0]]: 1 } } }), /^body\/answers$/],
    ['an unknown field', () => ({ body: { answers: [], score: 6 } }), /^body\/score$/],
    [
      'an unknown answer field',
      () => ({ body: { answers: [{ questionId: q[0], selected: 1, correct: true }] } }),
      /^body\/answers\/0\/correct$/,
    ],
    ['a $-key', () => ({ body: { answers: [{ questionId: q[0], selected: { $gt: -1 } }] } }), /\$gt/],
    ['a negative timeTakenMs', () => ({ body: { answers: [], timeTakenMs: -5 } }), /^body\/timeTakenMs$/],
    [
      'an Idempotency-Key over 200 characters',
      () => ({ body: { answers: [] }, headers: { 'idempotency-key': 'k'.repeat(201) } }),
      /^headers\/idempotency-key$/,
    ],
    ['a quiz id that is not an id', () => ({ body: { answers: [] }, path: '/api/quizzes/xyz/attempts' }), /quizId/],
    ['malformed JSON', () => ({ rawBody: '{"answers": [', headers: { 'content-type': 'application/json' } }), undefined],
  ];
  test.each(invalid)('%s → 400, nothing recorded', async (_name, request, errorPath) => {
    const student = await user('student');
    const { path, ...options } = request();
    const res = await api('POST', path ?? `/api/quizzes/${quiz.id}/attempts`, { as: student, ...options });
    expectProblem(res, 400);
    if (errorPath)
      expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ path: expect.stringMatching(errorPath) })]));
    expect((await must(200, 'GET', `/api/quizzes/${quiz.id}/attempts`, { as: student })).items).toEqual([]);
    // The first valid attempt is still the first.
    expect((await submit(student, quiz.id, [])).body).toMatchObject({ attemptNumber: 1, firstAttempt: true });
  });
});
