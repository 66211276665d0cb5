import { gemsAwarded, type Score } from './scoring';
import type { AttemptRecord } from './types';

/** The gems ledger's idempotency key for what a user's first attempt at a quiz earned: one per (quiz, user). */
export const grantKey = (quizId: string, userId: string): string => `quiz:${quizId}:user:${userId}`;

export interface UnnumberedAttempt {
  id: string;
  quizId: string;
  courseId: string;
  userId: string;
  score: Score;
  gemReward: number;
  timeTakenMs: number;
  createdAt: Date;
}

/**
 * The attempt as it is recorded with `attemptNumber`. Number 1 is the first
 * attempt: it carries the gems it earned as a pending grant in the same
 * document, so the attempt and the debt are written together or not at all.
 */
export function numberedAttempt(attempt: UnnumberedAttempt, attemptNumber: number): AttemptRecord {
  const { score, maxScore, passed, answers } = attempt.score;
  const amount = gemsAwarded(attempt.gemReward, score, maxScore, attemptNumber === 1);
  return {
    id: attempt.id,
    quizId: attempt.quizId,
    courseId: attempt.courseId,
    userId: attempt.userId,
    attemptNumber,
    answers,
    score,
    maxScore,
    passed,
    timeTakenMs: attempt.timeTakenMs,
    createdAt: attempt.createdAt,
    ...(amount > 0 ? { grant: { key: grantKey(attempt.quizId, attempt.userId), amount, status: 'pending' as const, tries: 0 } } : {}),
  };
}

/** What an attempt awarded: its grant's amount, 0 for any attempt but the first (and for a first one that earned none). */
export const gemsOf = (attempt: AttemptRecord): number => attempt.grant?.amount ?? 0;

/**
 * The number of a user's next attempt at a quiz, after every attempt in either
 * system: its own attempts (ids and numbers) and the monolith's that the
 * migration may not have copied yet (ids; a copied one has the same id in
 * both). Past the highest number taken, and past the count of distinct
 * attempts, so that the legacy ones still to come keep their places by time
 * and a user with any legacy attempt never gets number 1.
 */
export function nextAttemptNumber(own: readonly { id: string; attemptNumber: number }[], legacyIds: readonly string[]): number {
  const distinct = new Set([...own.map((attempt) => attempt.id), ...legacyIds]).size;
  return Math.max(distinct, ...own.map((attempt) => attempt.attemptNumber)) + 1;
}
