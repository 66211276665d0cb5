import { LRUCache } from 'lru-cache';
import { isGrpcStatus, Status, type Caller, type ServiceClient } from '@testmancer/shared';
import { content } from '@testmancer/contracts';
import { contentV1 } from '@testmancer/proto';
import type { CourseOutline } from '../domain';

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

/** Course outlines kept by id: each is a few hundred bytes per unit. */
const OUTLINES = 10_000;

/**
 * The content service's GetCourse, asked on every request, so that its
 * visibility rules (drafts, archived courses) stay the only ones and a
 * course unpublished a moment ago is refused at once. What is kept here is
 * the outline of each course by version: the call names the version held,
 * and the content service answers `unchanged` (no course tree sent, decoded
 * or mapped) while the course is still at it. A course changes its version
 * with every change, its status included, so an outline of a given version
 * never goes stale; it only makes the answer smaller.
 */
export class ContentCourseDirectory implements CourseDirectory {
  private readonly outlines = new LRUCache<string, { version: number; outline: CourseOutline }>({ max: OUTLINES });

  constructor(private readonly client: ServiceClient<typeof contentV1.ContentServiceService>) {}

  async get(caller: Caller, courseId: string): Promise<CourseOutline | undefined> {
    const held = this.outlines.get(courseId);
    try {
      const { course, unchanged } = await this.client.getCourse({ id: courseId, knownVersion: held?.version ?? 0 }, { caller });
      if (unchanged && held) return held.outline;
      if (!course) return undefined;
      const outline: CourseOutline = {
        id: course.id,
        categoryId: course.categoryId,
        status: content.courseStatusFromProto(course.status) ?? 'draft',
        units: course.units.map((unit) => ({ id: unit.id, pageIds: unit.pages.map((page) => page.id) })),
      };
      // Never replaced by an older version that a slower call brought back.
      if (!held || held.version < course.version) this.outlines.set(courseId, { version: course.version, outline });
      return outline;
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
