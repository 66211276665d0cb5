import { assertMayAuthorIn, notFound, type Caller } from '@testmancer/shared';
import type { Courses } from '../clients/content';

/**
 * Whether the course is published, once `caller` is known to author it: not
 * found (`what`) when they may not see it, forbidden when they see but may
 * not author it. The one authoring check of uploads, signatures and deletes.
 */
export async function authorOf(courses: Courses, caller: Caller, courseId: string, what: string): Promise<boolean> {
  const course = await courses.courseOf(caller, courseId);
  if (course === undefined) throw notFound(what);
  assertMayAuthorIn(caller, course.categoryId);
  return course.published;
}
