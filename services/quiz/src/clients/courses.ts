import { isGrpcStatus, Status, type Caller, type ServiceClient } from '@testmancer/shared';
import { contentV1 } from '@testmancer/proto';
import type { CourseOutline, CourseStatus } from '../domain';

/** The courses the use cases see, as the content service shows them to a caller. */
export interface CourseDirectory {
  /** The course as `caller` may see it; undefined when it does not exist or is not visible to them. */
  get(caller: Caller, courseId: string): Promise<CourseOutline | undefined>;
  /** The id of the course holding `unitId`; undefined when there is no such unit or `caller` may not see its course. */
  courseOfUnit(caller: Caller, unitId: string): Promise<string | undefined>;
}

const absentWhenNotFound = (error: unknown): undefined => {
  if (isGrpcStatus(error) && error.code === Status.NOT_FOUND) return undefined;
  throw error;
};

const statusOf: Partial<Record<contentV1.CourseStatus, CourseStatus>> = {
  [contentV1.CourseStatus.DRAFT]: 'draft',
  [contentV1.CourseStatus.PUBLISHED]: 'published',
  [contentV1.CourseStatus.ARCHIVED]: 'archived',
};

/**
 * The content service's GetCourse. No cache here: the content service caches
 * course trees by version, and asking it on every request keeps its
 * visibility rules (drafts, archived courses) the only ones.
 */
export class ContentCourseDirectory implements CourseDirectory {
  constructor(private readonly client: ServiceClient<typeof contentV1.ContentServiceService>) {}

  async get(caller: Caller, courseId: string): Promise<CourseOutline | undefined> {
    try {
      const { course } = await this.client.getCourse({ id: courseId }, { caller });
      if (!course) return undefined;
      return {
        id: course.id,
        categoryId: course.categoryId,
        status: statusOf[course.status] ?? 'draft',
        units: course.units.map((unit) => ({ id: unit.id, pageIds: unit.pages.map((page) => page.id) })),
      };
    } catch (error) {
      return absentWhenNotFound(error);
    }
  }

  async courseOfUnit(caller: Caller, unitId: string): Promise<string | undefined> {
    try {
      return (await this.client.locateUnit({ unitId }, { caller })).courseId;
    } catch (error) {
      return absentWhenNotFound(error);
    }
  }
}
