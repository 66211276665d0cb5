/**
 * Who may see and who may author a course, decided from the caller and the
 * course's category and status alone. Units and pages follow their course.
 *
 * - Authoring: admins author anything; subadmins author the courses of the
 *   categories in their scope; students and anonymous callers author nothing.
 * - Seeing: everyone sees published courses; authors also see every course
 *   they may author, whatever its status.
 * - A course the caller may not see is NOT_FOUND (its existence is not
 *   revealed); one it sees but may not change is FORBIDDEN.
 */
import type { Caller } from '@testmancer/shared';
import { forbidden, notFound } from './errors';
import type { CourseStatus } from './types';

export interface CourseAccessFacts {
  readonly categoryId: string;
  readonly status: CourseStatus;
}

const sameId = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

export function mayAuthorIn(caller: Caller, categoryId: string): boolean {
  if (caller.kind !== 'user') return false;
  if (caller.role === 'admin') return true;
  return caller.role === 'subadmin' && caller.categoryIds.some((id) => sameId(id, categoryId));
}

export function maySee(caller: Caller, course: CourseAccessFacts): boolean {
  return course.status === 'published' || mayAuthorIn(caller, course.categoryId);
}

export function assertVisible(caller: Caller, course: CourseAccessFacts): void {
  if (!maySee(caller, course)) throw notFound('course');
}

export function assertMayAuthor(caller: Caller, course: CourseAccessFacts): void {
  assertVisible(caller, course);
  if (!mayAuthorIn(caller, course.categoryId)) throw forbidden('you may not change this course');
}

/** Creating a course in, or moving one to, `categoryId`. */
export function assertMayAuthorIn(caller: Caller, categoryId: string): void {
  if (!mayAuthorIn(caller, categoryId)) throw forbidden('you may not author courses in this category');
}

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
  if (caller.kind === 'user' && caller.role === 'admin') clauses = [{}];
  else if (caller.kind === 'user' && caller.role === 'subadmin' && caller.categoryIds.length > 0) {
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
