/**
 * A user's page-view progress in a course. Only the ids of the pages viewed
 * are stored; everything shown is computed from the course as it is now, so
 * a deleted page stops counting and a moved page counts where it stands.
 */
import type { Caller } from '@testmancer/shared';
import { forbidden } from './errors';
import { mayAuthorIn, type CourseAccessFacts } from './policy';
import type { CourseState } from './types';

export interface UnitProgress {
  readonly unitId: string;
  /** 1-based position of the unit in its course. */
  readonly order: number;
  readonly completedPages: number;
  readonly totalPages: number;
  /** The `pageOrder`s of the viewed pages, ascending. */
  readonly completedPageOrders: readonly number[];
}

export interface CourseProgress {
  readonly completedPages: number;
  readonly totalPages: number;
  readonly percent: number;
  readonly units: readonly UnitProgress[];
}

/** floor(100 × completed / total); 0 when there is nothing to complete. */
export function percentOf(completed: number, total: number): number {
  return total === 0 ? 0 : Math.floor((100 * completed) / total);
}

export function computeProgress(course: CourseState, viewedPageIds: ReadonlySet<string>): CourseProgress {
  const units = course.units.map((unit, index): UnitProgress => {
    const completedPageOrders = unit.pageIds.flatMap((pageId, pageIndex) => (viewedPageIds.has(pageId) ? [pageIndex + 1] : []));
    return {
      unitId: unit.id,
      order: index + 1,
      completedPages: completedPageOrders.length,
      totalPages: unit.pageIds.length,
      completedPageOrders,
    };
  });
  const completedPages = units.reduce((sum, unit) => sum + unit.completedPages, 0);
  const totalPages = units.reduce((sum, unit) => sum + unit.totalPages, 0);
  return { completedPages, totalPages, percent: percentOf(completedPages, totalPages), units };
}

/**
 * The user whose progress `caller` asks for: their own (`requestedUserId`
 * empty or their own id), or, for authors of the course, anyone's. The course
 * is already known to be visible to the caller, so a refusal is FORBIDDEN.
 * User ids are compared in lower case: they are ObjectIds, which a token may
 * spell in upper case.
 */
export function progressOwner(caller: Caller, course: CourseAccessFacts, requestedUserId: string): string {
  if (caller.kind !== 'user') throw forbidden('sign in to have progress');
  const own = caller.userId.toLowerCase();
  const wanted = requestedUserId === '' ? own : requestedUserId.toLowerCase();
  if (wanted !== own && !mayAuthorIn(caller, course.categoryId)) throw forbidden("only the course's authors may read another user's progress");
  return wanted;
}
