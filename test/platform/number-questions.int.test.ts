import { api, expectProblem, user } from '../support/api';
import { expectStatus, must, newCourseTree } from '../support/content';
import { awaitBalances, expectNoAnswers, grantsFor, newQuiz, submit } from '../support/quiz';

// A number question (42 within 0.5, 3 points) beside a single-choice one (answer 1, 1 point): maxScore 4, gemReward 8.
const questions = () => [
  { type: 'number', prompt: 'How many legs has a spider, times five, plus two?', answer: 42, tolerance: 0.5, points: 3 },
  { type: 'single', prompt: 'Which is prime?', options: ['4', '7', '9'], answer: 1 },
];

describe('number questions', () => {
  test('the OpenAPI document describes the type: its answer, its tolerance, and how students answer it', async () => {
    const { body } = await api('GET', '/openapi.json');
    const input = JSON.stringify(body.components.schemas.QuestionInput);
    for (const text of ['"number"', 'tolerance', '{ questionId, value }']) expect(input).toContain(text);
  });

  let quiz: any;
  beforeAll(async () => {
    const tree = await newCourseTree({ units: 1, pages: 1, published: true });
    quiz = await newQuiz({ courseId: tree.courseId, moduleId: tree.unitIds[0]!, gemReward: 8, questions: questions() });
  });

  test('authors create and read one: answer and tolerance as sent, no options', async () => {
    expect(quiz.questions[0]).toEqual({
      id: expect.any(String),
      type: 'number',
      prompt: expect.any(String),
      options: [],
      answer: 42,
      tolerance: 0.5,
      points: 3,
    });
    expect(quiz.maxScore).toBe(4);
    expect((await must(200, 'GET', `/api/quizzes/${quiz.id}`, { as: await user('admin') })).questions[0]).toEqual(quiz.questions[0]);
  });

  test('the tolerance defaults to 0: exactly the answer', async () => {
    const tree = await newCourseTree({ units: 1, pages: 0 });
    const exact = await newQuiz({
      courseId: tree.courseId,
      moduleId: tree.unitIds[0]!,
      questions: [{ type: 'number', prompt: 'p', answer: -2.5 }],
    });
    expect(exact.questions[0]).toMatchObject({ answer: -2.5, tolerance: 0, points: 1 });
  });

  test('students see the question without its answer or tolerance', async () => {
    const view = await must(200, 'GET', `/api/quizzes/${quiz.id}`, { as: await user('student') });
    expectNoAnswers(view);
    expect(view.questions[0]).toEqual({
      id: quiz.questions[0].id,
      type: 'number',
      prompt: quiz.questions[0].prompt,
      options: [],
      points: 3,
    });
  });

  test('a right number (within the tolerance) scores its points; the first attempt earns gems, a later wrong one scores 0 and earns none', async () => {
    const student = await user('student');
    const [numberId, singleId] = quiz.questions.map((q: { id: string }) => q.id);
    const first = await submit(student, quiz.id, [
      { questionId: numberId, value: 42.4 },
      { questionId: singleId, selected: 0 },
    ] as any);
    expectStatus(first, 201);
    // 3 of 4 points: passed (75 %), floor(8 × 3 / 4) = 6 gems.
    expect(first.body).toMatchObject({ attemptNumber: 1, score: 3, maxScore: 4, passed: true, firstAttempt: true, gemsAwarded: 6 });

    const second = await submit(student, quiz.id, [{ questionId: numberId, value: 41 }] as any);
    expectStatus(second, 201);
    expect(second.body).toMatchObject({ attemptNumber: 2, score: 0, passed: false, gemsAwarded: 0 });

    const balances = await awaitBalances([student.sub], () => 6);
    expect(grantsFor(balances.get(student.sub)!, quiz.id)).toEqual([expect.objectContaining({ amount: 6 })]);
  });

  test('bad answers and bad questions are 400 naming the field, and nothing is recorded', async () => {
    const student = await user('student');
    const [numberId, singleId] = quiz.questions.map((q: { id: string }) => q.id);
    for (const [answers, path] of [
      [[{ questionId: numberId, selected: 0 }], /answers\/0\/selected/],
      [[{ questionId: singleId, value: 1 }], /answers\/0\/value/],
      [[{ questionId: numberId, value: '42' }], /^body\/answers\/0\/value$/],
      [[{ questionId: numberId, value: 42, selected: 1 }], /^body\/answers\/0\/selected$/],
    ] as const) {
      const res = await submit(student, quiz.id, answers as any);
      expectProblem(res, 400);
      expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ path: expect.stringMatching(path) })]));
    }
    expect((await must(200, 'GET', `/api/quizzes/${quiz.id}/attempts`, { as: student })).items).toEqual([]);

    const admin = await user('admin');
    for (const [question, path] of [
      [{ type: 'number', prompt: 'p', answer: 1, tolerance: -1 }, /questions\/0\/tolerance/],
      [{ type: 'number', prompt: 'p', answer: 1e16 }, /questions\/0\/answer/],
      [{ type: 'number', prompt: 'p', answer: 1, options: ['a', 'b'] }, /questions\/0\/options/],
      [{ type: 'number', prompt: 'p' }, /questions\/0\/answer/],
    ] as const) {
      const res = await api('POST', '/api/quizzes', { as: admin, body: { ...quizBodyOf(quiz), questions: [question] } });
      expectProblem(res, 400);
      expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ path: expect.stringMatching(path) })]));
    }
  });
});

const quizBodyOf = (quiz: any) => ({
  courseId: quiz.courseId,
  trigger: 'unit',
  moduleId: quiz.moduleId,
  title: 'Numbers',
  questions: [],
  gemReward: 1,
});
