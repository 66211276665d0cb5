import type { Caller } from '@testmancer/shared';
import type { CourseOutline } from './types';

/**
 * Who may author a course's quizzes: whoever may author the course, by the
 * content service's rule (`mayAuthorIn` in services/content/src/domain/policy.ts),
 * repeated here because services do not import each other: admins author
 * anything, subadmins the courses whose category is in their scope.
 */
export function canAuthor(caller: Caller, course: CourseOutline): boolean {
  if (caller.kind !== 'user') return false;
  if (caller.role === 'admin') return true;
  return caller.role === 'subadmin' && caller.categoryIds.some((id) => id.toLowerCase() === course.categoryId.toLowerCase());
}

export const isAdmin = (caller: Caller): boolean => caller.kind === 'user' && caller.role === 'admin';
