import { gemsAwarded, numberedAttempt, PASS_PERCENT, scoreAttempt, type AttemptAnswer, type Question } from '../../src/domain';
import { issues, multiple, oid, quizOf, single, trueFalse } from './helpers';

// Questions q1..q4 (ids oid(1)..oid(4)): single (answer 1, 2 points), multiple (answers 0 and 2, 3 points),
// trueFalse (answer 0, 1 point), multiple (answer 3 alone, 4 points). Max score 10.
const { questions } = quizOf({
  questions: [
    single(1, { id: oid(1), points: 2 }),
    multiple([0, 2], { id: oid(2), points: 3 }),
    trueFalse(0, { id: oid(3), points: 1 }),
    multiple([3], { id: oid(4), points: 4 }),
  ],
});
const answer = (n: number, selected: number[]): AttemptAnswer => ({ questionId: oid(n), selected });
const score = (answers: AttemptAnswer[], qs: readonly Question[] = questions) => scoreAttempt(qs, answers);
const allRight = [answer(1, [1]), answer(2, [2, 0]), answer(3, [0]), answer(4, [3])];

describe('scoreAttempt', () => {
  it('gives full marks for every question right, in any order of answers and options', () => {
    expect(score(allRight)).toEqual({ answers: allRight, score: 10, maxScore: 10, passed: true });
    expect(score([...allRight].reverse()).score).toBe(10);
  });

  it.each<[string, AttemptAnswer[], number]>([
    ['single wrong', [answer(1, [0])], 0],
    ['single right', [answer(1, [1])], 2],
    ['trueFalse right', [answer(3, [0])], 1],
    ['trueFalse wrong', [answer(3, [1])], 0],
    ['multiple exactly right', [answer(2, [0, 2])], 3],
    ['multiple with one option too many', [answer(2, [0, 1, 2])], 0],
    ['multiple with one option too few', [answer(2, [0])], 0],
    ['multiple with every option', [answer(2, [0, 1, 2, 3])], 0],
    ['multiple with a single correct option', [answer(4, [3])], 4],
    ['multiple with the single correct option and another', [answer(4, [3, 0])], 0],
    ['an empty selection', [answer(1, [])], 0],
    ['nothing answered', [], 0],
  ])('scores %s', (_name, answers, expected) => {
    expect(score(answers).score).toBe(expected);
  });

  it('adds the points of the right answers and scores left-out questions 0', () => {
    expect(score([answer(1, [1]), answer(4, [3])])).toMatchObject({ score: 6, maxScore: 10, passed: false });
    expect(score([answer(2, [0, 2]), answer(4, [3])])).toMatchObject({ score: 7, maxScore: 10, passed: true });
  });

  it(`passes at exactly ${String(PASS_PERCENT)} % and not just below`, () => {
    const hundred = Array.from({ length: 100 }, (_, i) => single(0, { id: oid(100 + i) }));
    const { questions: qs } = quizOf({ questions: hundred });
    const rightUpTo = (n: number) => qs.map((q, i) => ({ questionId: q.id, selected: [i < n ? 0 : 1] }));
    expect(score(rightUpTo(70), qs).passed).toBe(true);
    expect(score(rightUpTo(69), qs).passed).toBe(false);
  });

  it('matches question ids whatever their case', () => {
    const { questions: qs } = quizOf({ questions: [single(1, { id: oid(0xabc) })] });
    expect(score([{ questionId: oid(0xabc).toUpperCase(), selected: [1] }], qs).score).toBe(1);
  });

  it.each<[string, AttemptAnswer[], { path: string; message: string }[]]>([
    ['an unknown question', [answer(9, [0])], [{ path: 'answers/0/questionId', message: 'is not a question of this quiz' }]],
    [
      'a question answered twice',
      [answer(1, [1]), answer(1, [0])],
      [{ path: 'answers/1/questionId', message: 'answers the same question as answers/0' }],
    ],
    [
      'an option out of range',
      [answer(1, [3])],
      [{ path: 'answers/0/selected/0', message: 'is not the index of an option of the question' }],
    ],
    [
      'a negative option',
      [answer(2, [0, -1])],
      [{ path: 'answers/0/selected/1', message: 'is not the index of an option of the question' }],
    ],
    ['a repeated option', [answer(2, [0, 2, 0])], [{ path: 'answers/0/selected/2', message: 'repeats an option' }]],
    ['two options for a single', [answer(1, [0, 1])], [{ path: 'answers/0/selected', message: 'must name at most one option' }]],
    ['two options for a trueFalse', [answer(3, [0, 1])], [{ path: 'answers/0/selected', message: 'must name at most one option' }]],
  ])('refuses %s', (_name, answers, expected) => {
    expect(issues(() => score(answers))).toEqual(expected);
  });

  it('names every bad answer, by its position', () => {
    expect(issues(() => score([answer(1, [1]), answer(9, [0]), answer(3, [2])])).map((i) => i.path)).toEqual([
      'answers/1/questionId',
      'answers/2/selected/0',
    ]);
  });
});

describe('gemsAwarded', () => {
  it.each([
    [10, 10, 10, 10],
    [10, 7, 10, 7],
    [10, 0, 10, 0],
    [7, 1, 3, 2], // 2.33 → 2
    [7, 2, 3, 4], // 4.67 → 4 (floor, not round)
    [10_000, 9_999, 10_000, 9_999],
    [1, 9_999, 10_000, 0],
    [0, 5, 5, 0],
  ])('floor(%i × %i / %i) = %i on a first attempt', (reward, got, max, expected) => {
    expect(gemsAwarded(reward, got, max, true)).toBe(expected);
  });

  it('gives nothing for any attempt but the first', () => {
    expect(gemsAwarded(10, 10, 10, false)).toBe(0);
  });
});

describe('numberedAttempt', () => {
  const attempt = {
    id: oid(0xa77),
    quizId: oid(0x500),
    courseId: oid(1),
    userId: oid(0x5e),
    score: score([answer(1, [1]), answer(2, [0, 2]), answer(3, [0])]), // 6 of 10
    gemReward: 25,
    timeTakenMs: 1234,
    createdAt: new Date(0),
  };

  it('records the gems a first attempt owes as a pending grant, keyed by quiz and user', () => {
    expect(numberedAttempt(attempt, 1)).toMatchObject({
      attemptNumber: 1,
      score: 6,
      maxScore: 10,
      passed: false,
      grant: { key: `quiz:${oid(0x500)}:user:${oid(0x5e)}`, amount: 15, status: 'pending', tries: 0 },
    });
  });

  it('owes nothing for a later attempt, nor for a first attempt that earned nothing', () => {
    expect(numberedAttempt(attempt, 2)).not.toHaveProperty('grant');
    expect(numberedAttempt({ ...attempt, score: score([]) }, 1)).not.toHaveProperty('grant');
    expect(numberedAttempt({ ...attempt, gemReward: 0 }, 1)).not.toHaveProperty('grant');
  });
});
