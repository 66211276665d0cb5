/**
 * Scoring an attempt.
 *
 * - A question scores its points when answered correctly, else 0; what is
 *   correct is its type's rule (questions/<type>): for multiple choice only
 *   exactly the right set of options (one option too many or too few scores
 *   0). A question left out, or answered with no option, scores 0.
 * - An answer naming a question the quiz does not have, a question answered
 *   twice, or an answer its type refuses (an option index out of range or
 *   repeated, more than one option for single or trueFalse, a value for an
 *   option question) makes the whole attempt `invalid` (paths
 *   `answers/<i>/questionId`, `answers/<i>/selected[/<j>]`,
 *   `answers/<i>/value`): nothing is recorded.
 * - Passed: score / maxScore ≥ 70 %, compared in whole numbers so that no
 *   rounding decides a boundary case.
 * - Gems: only for a user's first attempt, floor(gemReward × score / maxScore).
 */
import { invalid, type FieldIssue } from '@testmancer/shared';
import { maxScoreOf } from './quiz';
import { isCorrect, type AttemptAnswer, type Question } from './questions';

/** The pass mark, in percent of the maximum score. */
export const PASS_PERCENT = 70;

export interface Score {
  readonly answers: readonly AttemptAnswer[];
  readonly score: number;
  readonly maxScore: number;
  readonly passed: boolean;
}

export function scoreAttempt(questions: readonly Question[], answers: readonly AttemptAnswer[]): Score {
  const issues: FieldIssue[] = [];
  const answered = new Map<string, number>();
  let score = 0;
  answers.forEach((answer, i) => {
    const question = questions.find((q) => q.id === answer.questionId.toLowerCase());
    if (!question) {
      issues.push({ path: `answers/${String(i)}/questionId`, message: 'is not a question of this quiz' });
      return;
    }
    const earlier = answered.get(question.id);
    if (earlier !== undefined) {
      issues.push({ path: `answers/${String(i)}/questionId`, message: `answers the same question as answers/${String(earlier)}` });
      return;
    }
    answered.set(question.id, i);
    if (isCorrect(question, answer, `answers/${String(i)}`, issues)) score += question.points;
  });
  if (issues.length > 0) throw invalid('invalid attempt', issues);
  const maxScore = maxScoreOf(questions);
  return { answers, score, maxScore, passed: passes(score, maxScore) };
}

export const passes = (score: number, maxScore: number): boolean => score * 100 >= maxScore * PASS_PERCENT;

/** floor(gemReward × score / maxScore) for a first attempt, in whole numbers; 0 for any later one. */
export function gemsAwarded(gemReward: number, score: number, maxScore: number, firstAttempt: boolean): number {
  if (!firstAttempt || maxScore === 0) return 0;
  const product = gemReward * score;
  return (product - (product % maxScore)) / maxScore;
}
