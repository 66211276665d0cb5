import { domainError } from '@testmancer/testing';
import type { FieldIssue } from '@testmancer/shared';
import { createQuiz, type CourseOutline, type NewQuiz, type QuestionInput, type QuizState } from '../../src/domain';

/** A 24-hex id that reads as its number: oid(10) = '00000000000000000000000a'. */
export const oid = (n: number): string => n.toString(16).padStart(24, '0');

export const NOW = new Date('2025-01-02T03:04:05Z');
export const CATEGORY = oid(0xca7);

/** New ids in order: oid(0x9000), oid(0x9001), ... */
export function idSequence(start = 0x9000): () => string {
  let next = start;
  return () => oid(next++);
}

/** A published course with units U1..Un (ids oid(100+i)) holding pages with ids oid(1000 + 10·unit + page). */
export function courseWith(pageCounts: readonly number[], status: CourseOutline['status'] = 'published'): CourseOutline {
  return {
    id: oid(1),
    categoryId: CATEGORY,
    status,
    units: pageCounts.map((count, i) => ({
      id: oid(100 + i + 1),
      pageIds: Array.from({ length: count }, (_, p) => oid(1000 + 10 * (i + 1) + p + 1)),
    })),
  };
}

export const single = (answer: number, extra: Record<string, unknown> = {}): QuestionInput => ({
  type: 'single',
  prompt: 'Pick one',
  options: ['a', 'b', 'c'],
  answer: [answer],
  ...extra,
});

export const multiple = (answer: number[], extra: Record<string, unknown> = {}): QuestionInput => ({
  type: 'multiple',
  prompt: 'Pick all that apply',
  options: ['a', 'b', 'c', 'd'],
  answer,
  ...extra,
});

export const trueFalse = (answer: number, extra: Record<string, unknown> = {}): QuestionInput => ({
  type: 'trueFalse',
  prompt: 'True?',
  options: ['True', 'False'],
  answer: [answer],
  ...extra,
});

export const exactNumber = (answer: number, extra: Record<string, unknown> = {}): QuestionInput => ({
  type: 'number',
  prompt: 'How many?',
  answer,
  tolerance: 0,
  ...extra,
});

export const newQuiz = (extra: Partial<NewQuiz> = {}): NewQuiz => ({
  id: oid(0x500),
  createdBy: oid(0xa),
  now: NOW,
  title: 'Check yourself',
  questions: [single(1)],
  gemReward: 10,
  trigger: 'unit',
  unitId: oid(101),
  ...extra,
});

/** A valid quiz in courseWith([2, 3]). */
export const quizOf = (extra: Partial<NewQuiz> = {}, course = courseWith([2, 3])): QuizState =>
  createQuiz(course, newQuiz(extra), idSequence());

export { domainError };

export const issues = (fn: () => unknown): readonly FieldIssue[] => domainError(fn, 'invalid').issues;
