import { domainError } from '@testmancer/testing';

import { createCourse, type CourseState } from '../../src/domain';

/** A 24-hex id that reads as its number: oid(10) = '00000000000000000000000a'. */
export const oid = (n: number): string => n.toString(16).padStart(24, '0');

/** Freezes a value and everything it holds, so any mutation in the code under test throws. */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

export { domainError };

export const NOW = new Date('2025-01-02T03:04:05Z');
export const CATEGORY = oid(0xca7);

/** A frozen draft course with units U1..Un (ids oid(100+i)) holding the given page counts. */
export function courseWith(pageCounts: readonly number[] = []): CourseState {
  let nextPage = 1000;
  const base = createCourse({
    id: oid(1),
    title: 'Algebra',
    categoryId: CATEGORY,
    unitType: 'module',
    createdBy: 'u1',
    now: NOW,
  });
  return deepFreeze({
    ...base,
    units: pageCounts.map((count, i) => ({
      id: oid(100 + i + 1),
      title: `U${String(i + 1)}`,
      version: 1,
      pageIds: Array.from({ length: count }, () => oid(nextPage++)),
    })),
  });
}

export const unitIds = (course: CourseState): string[] => course.units.map((u) => u.id);
