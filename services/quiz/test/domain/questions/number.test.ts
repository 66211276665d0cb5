import { quizV1 } from '@testmancer/proto';
import { scoreAttempt, studentView, type AttemptAnswer } from '../../../src/domain';
import { quizMessage, quizViewMessage } from '../../../src/rpc/messages';
import { exactNumber, issues, oid, quizOf, single } from '../helpers';

// q1: 42 exactly (2 points); q2: 3.14 within 0.01 (1 point); q3: single, answer 1 (1 point). Max score 4.
const quiz = quizOf({
  questions: [exactNumber(42, { id: oid(1), points: 2 }), exactNumber(3.14, { id: oid(2), tolerance: 0.01 }), single(1, { id: oid(3) })],
});
const value = (n: number, v: number): AttemptAnswer => ({ questionId: oid(n), value: v });
const score = (answers: AttemptAnswer[]) => scoreAttempt(quiz.questions, answers).score;

describe('number questions: validation', () => {
  it('keeps the answer and the tolerance as sent', () => {
    expect(quiz.questions.slice(0, 2)).toEqual([
      { id: oid(1), type: 'number', prompt: 'How many?', answer: 42, tolerance: 0, points: 2 },
      { id: oid(2), type: 'number', prompt: 'How many?', answer: 3.14, tolerance: 0.01, points: 1 },
    ]);
  });

  it.each<[string, number, number, string]>([
    ['an infinite answer', Infinity, 0, 'questions/0/answer'],
    ['an answer past 1e15', 2e15, 0, 'questions/0/answer'],
    ['a negative tolerance', 1, -0.5, 'questions/0/tolerance'],
    ['a NaN tolerance', 1, NaN, 'questions/0/tolerance'],
  ])('refuses %s', (_name, answer, tolerance, path) => {
    expect(issues(() => quizOf({ questions: [exactNumber(answer, { tolerance })] })).map((issue) => issue.path)).toEqual([path]);
  });
});

describe('number questions: scoring', () => {
  it.each<[string, AttemptAnswer[], number]>([
    ['the exact number', [value(1, 42)], 2],
    ['another number', [value(1, 41)], 0],
    ['within the tolerance', [value(2, 3.145)], 1],
    ['at the edge of the tolerance', [value(2, 3.15)], 1],
    ['past the tolerance', [value(2, 3.2)], 0],
    ['left unanswered', [{ questionId: oid(1) }], 0],
    ['every question right, with an option question beside', [value(1, 42), value(2, 3.14), { questionId: oid(3), selected: [1] }], 4],
  ])('scores %s', (_name, answers, expected) => {
    expect(score(answers)).toBe(expected);
  });

  it('refuses option indexes for a number question, a value for an option question, and a number out of range', () => {
    expect(issues(() => score([{ questionId: oid(1), selected: [0] }])).map((issue) => issue.path)).toEqual(['answers/0/selected']);
    expect(issues(() => score([value(3, 1)])).map((issue) => issue.path)).toEqual(['answers/0/value']);
    expect(issues(() => score([value(1, Infinity)])).map((issue) => issue.path)).toEqual(['answers/0/value']);
  });
});

describe('number questions: what students see', () => {
  const location = { orphaned: false };

  it('is the type, the prompt and the points: no answer, no tolerance', () => {
    expect(studentView(quiz, location).questions[0]).toEqual({ id: oid(1), type: 'number', prompt: 'How many?', points: 2 });
  });

  it('carries no answer on the wire; the author message does', () => {
    const decoded = quizV1.Quiz.decode(quizV1.QuizView.encode(quizViewMessage(studentView(quiz, location))).finish());
    expect(decoded.questions[0]?.kind).toEqual({ $case: 'number', value: { answer: 0, tolerance: 0 } });
    const author = quizV1.Quiz.decode(quizV1.Quiz.encode(quizMessage(quiz, location)).finish());
    expect(author.questions[1]?.kind).toEqual({ $case: 'number', value: { answer: 3.14, tolerance: 0.01 } });
  });
});
