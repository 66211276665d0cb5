/**
 * The course list as a query: which courses a caller sees (the shared rule,
 * `maySeeCourse`: published ones, and those of the categories they author
 * in), written as clauses a store turns into a filter, so that every page of
 * a list is full.
 */
import { isAdmin, isAuthor, type Caller } from '@testmancer/shared';
import type { CourseStatus } from './types';

/**
 * One alternative of the courses a caller may see: the courses whose status
 * and category are among those listed (a dimension left out matches any).
 */
export interface CourseClause {
  readonly statuses?: readonly CourseStatus[];
  readonly categoryIds?: readonly string[];
}

export interface CourseFilter {
  readonly status?: CourseStatus;
  readonly categoryId?: string;
}

/**
 * The courses `caller` may see that pass `filter`, as alternatives for a
 * query to OR together (an empty list: none at all), with alternatives that
 * another one already covers left out.
 */
export function visibleCourses(caller: Caller, filter: CourseFilter = {}): CourseClause[] {
  const published: CourseClause = { statuses: ['published'] };
  let clauses: CourseClause[];
  if (isAdmin(caller)) clauses = [{}];
  else if (isAuthor(caller) && caller.kind === 'user' && caller.categoryIds.length > 0) {
    // A subadmin: `mayAuthorIn` grants exactly the categories of their scope.
    clauses = [published, { categoryIds: caller.categoryIds.map((id) => id.toLowerCase()) }];
  } else clauses = [published];
  let kept: CourseClause[] = [];
  for (const clause of clauses.flatMap((c) => narrow(c, filter))) {
    if (kept.some((k) => covers(k, clause))) continue;
    kept = [...kept.filter((k) => !covers(clause, k)), clause];
  }
  return kept;
}

function narrow(clause: CourseClause, filter: CourseFilter): CourseClause[] {
  const statuses = narrowDimension(clause.statuses, filter.status);
  const categoryIds = narrowDimension(clause.categoryIds, filter.categoryId?.toLowerCase());
  if (statuses === null || categoryIds === null) return [];
  return [{ ...(statuses && { statuses }), ...(categoryIds && { categoryIds }) }];
}

/** `undefined`: any value; `null`: no value can pass. */
function narrowDimension<T>(allowed: readonly T[] | undefined, wanted: T | undefined): readonly T[] | undefined | null {
  if (wanted === undefined) return allowed;
  return allowed === undefined || allowed.includes(wanted) ? [wanted] : null;
}

/** Whether every course `inner` matches, `outer` matches too. */
function covers(outer: CourseClause, inner: CourseClause): boolean {
  const within = <T>(o: readonly T[] | undefined, i: readonly T[] | undefined) =>
    o === undefined || (i !== undefined && i.every((value) => o.includes(value)));
  return within(outer.statuses, inner.statuses) && within(outer.categoryIds, inner.categoryIds);
}
