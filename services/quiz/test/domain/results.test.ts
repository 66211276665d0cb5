import { earnedGems, NOT_ATTEMPTED, numberedAttempt, quizResults, scoreAttempt, type AttemptRecord } from '../../src/domain';
import { oid, quizOf, single } from './helpers';

// One question of 2 points (answer 1), 10 gems: a right first attempt earns 10.
const quiz = quizOf({ gemReward: 10, questions: [single(1, { id: oid(1), points: 2 })] });
let ids = 0;
const attempt = (quizId: string, attemptNumber: number, right: boolean): AttemptRecord =>
  numberedAttempt(
    {
      id: oid(0x7000 + ids++),
      quizId,
      courseId: quiz.courseId,
      userId: oid(0x5e),
      score: scoreAttempt(quiz.questions, [{ questionId: oid(1), selected: [right ? 1 : 0] }]),
      gemReward: quiz.gemReward,
      timeTakenMs: 0,
      createdAt: new Date(0),
    },
    attemptNumber,
  );

describe('quizResults and earnedGems', () => {
  it('no attempts: nothing', () => {
    expect(quizResults([])).toEqual(new Map());
    expect(NOT_ATTEMPTED).toEqual({ attempts: 0, bestScore: undefined, passed: false, gemsAwarded: 0 });
    expect(earnedGems([])).toBe(0);
  });

  it('per quiz: how many attempts, the best score, passed by any, the gems of the first', () => {
    const attempts = [attempt('a', 1, false), attempt('b', 1, true), attempt('a', 2, true), attempt('a', 3, false)];
    expect(quizResults(attempts)).toEqual(
      new Map([
        ['a', { attempts: 3, bestScore: 2, passed: true, gemsAwarded: 0 }],
        ['b', { attempts: 1, bestScore: 2, passed: true, gemsAwarded: 10 }],
      ]),
    );
    expect(earnedGems(attempts)).toBe(10);
  });
});
