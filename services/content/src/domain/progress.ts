/**
 * A user's page-view progress in a course. Only the ids of the pages viewed
 * are stored; everything shown is computed from the course as it is now, so
 * a deleted page stops counting and a moved page counts where it stands.
 */
import type { CourseState } from './types';

export interface UnitProgress {
  readonly unitId: string;
  /** 1-based position of the unit in its course. */
  readonly order: number;
  readonly completedPages: number;
  readonly totalPages: number;
  /** The `pageOrder`s of the viewed pages, ascending. */
  readonly completedPageOrders: readonly number[];
  /** Every page viewed: true for a unit without pages, which leaves nothing to view. */
  readonly completed: boolean;
}

export interface CourseProgress {
  readonly completedPages: number;
  readonly totalPages: number;
  readonly percent: number;
  readonly units: readonly UnitProgress[];
  /** Every page of the course viewed (`percent` is 100): false for a course without pages, whose percent is 0. */
  readonly completed: boolean;
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
      completed: completedPageOrders.length === unit.pageIds.length,
    };
  });
  const completedPages = units.reduce((sum, unit) => sum + unit.completedPages, 0);
  const totalPages = units.reduce((sum, unit) => sum + unit.totalPages, 0);
  const percent = percentOf(completedPages, totalPages);
  return { completedPages, totalPages, percent, units, completed: totalPages > 0 && completedPages === totalPages };
}
