import { callerFromProto, type AsyncService } from '@testmancer/shared';
import type { contentV1 } from '@testmancer/proto';
import { pageIdAt } from '../domain';
import { computeProgress, progressOwner, type CourseProgress } from '../domain/progress';
import type { ProgressStore } from '../store/progress';
import type { ContentContext } from './context';
import { idFrom } from './messages';

type Handlers = Partial<AsyncService<typeof contentV1.ContentServiceService>>;

const progressMessage = (courseId: string, userId: string, progress: CourseProgress): contentV1.CourseProgress => ({
  courseId,
  userId,
  completedPages: progress.completedPages,
  totalPages: progress.totalPages,
  percent: progress.percent,
  units: progress.units.map((unit) => ({ ...unit, completedPageOrders: [...unit.completedPageOrders] })),
});

/** Progress is read against the course tree as it is now (through the cache), so it always matches what the caller sees. */
export function progressHandlers({ courses }: ContentContext, progress: ProgressStore): Handlers {
  return {
    async markPageViewed(request) {
      const caller = callerFromProto(request.caller);
      const courseId = idFrom(request.courseId, 'courseId');
      const unitId = idFrom(request.unitId, 'unitId');
      const { course } = await courses.visible(caller, courseId);
      const userId = progressOwner(caller, course, '');
      const viewed = await progress.markViewed(userId, courseId, pageIdAt(course, unitId, request.pageOrder));
      return { progress: progressMessage(courseId, userId, computeProgress(course, viewed)) };
    },

    async getProgress(request) {
      const caller = callerFromProto(request.caller);
      const courseId = idFrom(request.courseId, 'courseId');
      const requested = request.userId === '' ? '' : idFrom(request.userId, 'userId');
      const { course } = await courses.visible(caller, courseId);
      const userId = progressOwner(caller, course, requested);
      const viewed = await progress.viewedPages(userId, courseId);
      return { progress: progressMessage(courseId, userId, computeProgress(course, viewed)) };
    },
  };
}
