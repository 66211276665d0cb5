import type { content } from '@testmancer/contracts';
/**
 * The quiz service's state as the domain sees it. Ids are 24-hex strings
 * here; the store converts them. The domain never reads the clock.
 */

import type { AttemptAnswer, Question } from './questions';

export const QUIZ_TRIGGERS = ['unit', 'page'] as const;
export type QuizTrigger = (typeof QUIZ_TRIGGERS)[number];

export interface QuizState {
  readonly id: string;
  readonly courseId: string;
  readonly trigger: QuizTrigger;
  /** The unit (REST `moduleId`); empty for a legacy quiz that had none. */
  readonly unitId: string;
  /** Page quizzes: the page they follow, stable across reorders. */
  readonly pageId?: string;
  /** Legacy page quizzes migrated with a position only (no `pageId`): shown after the page now at that position. */
  readonly legacyPageOrder?: number;
  readonly title: string;
  readonly questions: readonly Question[];
  readonly gemReward: number;
  /** Marked orphaned in the data (a migration found its trigger invalid); cleared when an author moves the quiz. */
  readonly markedOrphaned: boolean;
  readonly version: number;
  /** Empty when unknown (legacy data). */
  readonly createdBy: string;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export type CourseStatus = content.CourseStatus;

/** What the quiz service needs of a course (from the content service's GetCourse). */
export interface CourseOutline {
  readonly id: string;
  readonly categoryId: string;
  readonly status: CourseStatus;
  /** In order; `pageIds` in order (a page's order is its index + 1). */
  readonly units: readonly { readonly id: string; readonly pageIds: readonly string[] }[];
}

/** Where a quiz is shown now, resolved against its course at read time. */
export interface QuizLocation {
  /** The course, unit or page is gone (or the data marks it so): authors see it, students never. */
  readonly orphaned: boolean;
  /** Page quizzes that are not orphaned: the page's current 1-based order. */
  readonly pageOrder?: number;
}

export type GrantStatus = 'pending' | 'delivered';

/** Gems a first attempt owes, recorded in the same document as the attempt (the outbox). */
export interface OwedGrant {
  /** The gems ledger's idempotency key: one grant per user and quiz. */
  readonly key: string;
  readonly amount: number;
  readonly status: GrantStatus;
  readonly deliveredAt?: Date;
  /** Delivery tries that failed before it was delivered (written with the delivery). */
  readonly tries: number;
}

export interface AttemptRecord {
  readonly id: string;
  readonly quizId: string;
  readonly courseId: string;
  readonly userId: string;
  readonly attemptNumber: number;
  readonly answers: readonly AttemptAnswer[];
  readonly score: number;
  readonly maxScore: number;
  readonly passed: boolean;
  readonly timeTakenMs: number;
  readonly createdAt: Date;
  /** Only on a first attempt that earned gems. */
  readonly grant?: OwedGrant;
}
