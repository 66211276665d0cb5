import { quizV1 } from '@testmancer/proto';
import { studentView, type QuizState } from '../../src/domain';
import { quizMessage, quizViewMessage } from '../../src/rpc/messages';
import { multiple, oid, quizOf, single, trueFalse } from './helpers';

// Answers that appear nowhere else in the quiz, so finding one in a view means a leak.
const quiz: QuizState = quizOf({
  trigger: 'page',
  unitId: oid(102),
  pageOrder: 2,
  questions: [
    single(2, { prompt: 'First', options: ['x1', 'x2', 'x3'], points: 3 }),
    multiple([1, 3], { prompt: 'Second', options: ['y1', 'y2', 'y3', 'y4'] }),
    trueFalse(1, { prompt: 'Third' }),
  ],
});
const location = { orphaned: false, pageOrder: 2 };

/** Every key anywhere in a JSON value. */
function keysIn(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(keysIn);
  if (value !== null && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => [k, ...keysIn(v)]);
  return [];
}

describe('studentView', () => {
  const view = studentView(quiz, location);

  it('shows the questions with their options and points, in order', () => {
    expect(view).toEqual({
      id: quiz.id,
      courseId: quiz.courseId,
      trigger: 'page',
      unitId: oid(102),
      pageOrder: 2,
      title: quiz.title,
      questions: quiz.questions.map((question) => ({
        id: question.id,
        type: question.type,
        prompt: question.prompt,
        options: 'options' in question ? question.options : [],
        points: question.points,
      })),
      gemReward: 10,
      version: 1,
      maxScore: 5,
    });
  });

  it('carries no answer, no grading key and no authoring data, as a value or on the wire', () => {
    const forbiddenKeys = ['answer', 'answers', 'correct', 'pageId', 'orphaned', 'createdBy', 'createdAt', 'updatedAt', 'markedOrphaned'];
    const json = JSON.stringify(view);
    const wire = JSON.stringify(quizV1.QuizView.toJSON(quizViewMessage(view)));
    for (const serialized of [json, wire]) {
      const keys = keysIn(JSON.parse(serialized));
      expect(keys.filter((k) => forbiddenKeys.some((f) => f.toLowerCase() === k.toLowerCase()))).toEqual([]);
    }
  });

  it('leaks no answer through the bytes either: decoded as an author Quiz, every answer is empty', () => {
    const decoded = quizV1.Quiz.decode(quizV1.QuizView.encode(quizViewMessage(view)).finish());
    const answerOf = (q: quizV1.Question) => (q.kind?.$case === 'number' ? [q.kind.value.answer] : q.kind?.value.answer);
    expect(decoded.questions.map(answerOf)).toEqual([[], [], []]);
    // ...while the author message really does carry them.
    const author = quizV1.Quiz.decode(quizV1.Quiz.encode(quizMessage(quiz, location)).finish());
    expect(author.questions.map(answerOf)).toEqual([[2], [1, 3], [1]]);
  });

  it('answers a unit quiz without a page order', () => {
    expect(studentView(quizOf(), { orphaned: false })).not.toHaveProperty('pageOrder');
    expect(quizViewMessage(studentView(quizOf(), { orphaned: false })).pageOrder).toBeUndefined();
  });
});
