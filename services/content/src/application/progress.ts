import { assertSignedIn, forbidden, mayReadUserData, type Caller, type CourseAccess } from '@testmancer/shared';
import { LRUCache } from 'lru-cache';
import { computeProgress, pageIdAt, type CourseProgress } from '../domain';
import type { ContentContext } from './context';

export interface UserProgress {
  courseId: string;
  userId: string;
  progress: CourseProgress;
}

/**
 * The user whose progress `caller` asks for: their own (`requestedUserId`
 * empty or their own id), or, for those the shared rule lets read another
 * user's data in this course, anyone's. The course is already known to be
 * visible to the caller, so a refusal is FORBIDDEN. User ids are compared in
 * lower case: they are ObjectIds, which a token may spell in upper case.
 */
export function progressOwner(caller: Caller, course: CourseAccess, requestedUserId: string): string {
  const signedIn = assertSignedIn(caller, 'have progress');
  const wanted = (requestedUserId === '' ? signedIn.userId : requestedUserId).toLowerCase();
  if (!mayReadUserData(caller, wanted, course)) throw forbidden("only the course's authors may read another user's progress");
  return wanted;
}

/** (user, course) pairs whose marked pages a process remembers; each holds at most its course's page ids. */
const REMEMBERED_PROGRESS = 20_000;

/**
 * Progress is read against the course tree as it is now (through the cache), so it always matches what the caller sees.
 *
 * A page mark is one write, and none for a page this process has recorded already: nothing ever
 * removes a viewed page (no reset, a deleted page's id simply stops counting), so a mark once
 * acknowledged stays true, whichever replica wrote it. Only acknowledged writes are remembered.
 */
export function progressCases({ courses, progress }: ContentContext) {
  const marked = new LRUCache<string, Set<string>>({ max: REMEMBERED_PROGRESS });
  return {
    /** Answers who was marked where, not the progress: GetProgress reads it. */
    async markPageViewed(
      caller: Caller,
      where: { courseId: string; unitId: string; pageOrder: number },
    ): Promise<{ courseId: string; userId: string; newlyRecorded: boolean }> {
      const { course } = await courses.visible(caller, where.courseId);
      const userId = progressOwner(caller, course, '');
      const pageId = pageIdAt(course, where.unitId, where.pageOrder);
      const key = `${userId}:${where.courseId}`;
      if (marked.get(key)?.has(pageId)) return { courseId: where.courseId, userId, newlyRecorded: false };
      await progress.markViewed(userId, where.courseId, pageId);
      const pages = marked.get(key) ?? new Set<string>();
      pages.add(pageId);
      marked.set(key, pages);
      return { courseId: where.courseId, userId, newlyRecorded: true };
    },

    /** `userId` empty: the caller's own. */
    async getProgress(caller: Caller, courseId: string, userId: string): Promise<UserProgress> {
      const { course } = await courses.visible(caller, courseId);
      const owner = progressOwner(caller, course, userId);
      const viewed = await progress.viewedPages(owner, courseId);
      return { courseId, userId: owner, progress: computeProgress(course, viewed) };
    },
  };
}

export type ProgressCases = ReturnType<typeof progressCases>;
