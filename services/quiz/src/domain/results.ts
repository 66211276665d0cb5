/** What a user's attempts at a quiz add up to (the progress of a course shows one per quiz). */
import { gemsOf } from './attempt';
import type { AttemptRecord } from './types';

export interface QuizResult {
  readonly attempts: number;
  /** Undefined until the first attempt. */
  readonly bestScore: number | undefined;
  /** Whether any attempt passed. */
  readonly passed: boolean;
  /** Only a first attempt earns gems, so this is what the first attempt earned. */
  readonly gemsAwarded: number;
}

export const NOT_ATTEMPTED: QuizResult = { attempts: 0, bestScore: undefined, passed: false, gemsAwarded: 0 };

/** Per quiz id, what the attempts add up to. */
export function quizResults(attempts: readonly AttemptRecord[]): Map<string, QuizResult> {
  const results = new Map<string, QuizResult>();
  for (const attempt of attempts) {
    const so = results.get(attempt.quizId) ?? NOT_ATTEMPTED;
    results.set(attempt.quizId, {
      attempts: so.attempts + 1,
      bestScore: Math.max(so.bestScore ?? attempt.score, attempt.score),
      passed: so.passed || attempt.passed,
      gemsAwarded: so.gemsAwarded + gemsOf(attempt),
    });
  }
  return results;
}

/** Gems the attempts earned, whatever became of their quizzes: gems once earned stay earned. */
export const earnedGems = (attempts: readonly AttemptRecord[]): number => attempts.reduce((sum, attempt) => sum + gemsOf(attempt), 0);
