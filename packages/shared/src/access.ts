/**
 * The platform's one authorization rule. Every service and the gateway ask
 * it; none writes its own.
 *
 * - Admins author everything; subadmins author within the categories of
 *   their scope; students and anonymous callers author nothing.
 * - Everyone sees a published course; authors also see every course they
 *   may author, whatever its status. Units, pages and quizzes follow their
 *   course.
 * - A course the caller may not see is NOT_FOUND (its existence is not
 *   revealed); one they see but may not change is FORBIDDEN.
 * - A user's own data (progress, attempts, gems) is theirs to read; another
 *   user's is read by admins, and by the authors of the course it belongs to.
 */
import type { Caller } from './caller';
import { forbidden, notFound } from './errors';

export type SignedIn = Extract<Caller, { kind: 'user' }>;

/** What access to a course depends on. */
export interface CourseAccess {
  readonly categoryId: string;
  readonly status: string;
}

const sameId = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

export const isSignedIn = (caller: Caller): caller is SignedIn => caller.kind === 'user';
export const isAdmin = (caller: Caller): boolean => isSignedIn(caller) && caller.role === 'admin';
/** Admins and subadmins: they author somewhere, so they get author views where their scope allows. */
export const isAuthor = (caller: Caller): boolean => isSignedIn(caller) && caller.role !== 'student';

export function mayAuthorIn(caller: Caller, categoryId: string): boolean {
  if (!isSignedIn(caller)) return false;
  if (caller.role === 'admin') return true;
  return caller.role === 'subadmin' && caller.categoryIds.some((id) => sameId(id, categoryId));
}

export function maySeeCourse(caller: Caller, course: CourseAccess): boolean {
  return course.status === 'published' || mayAuthorIn(caller, course.categoryId);
}

/** Whether `caller` may read `userId`'s data within `course` (own data, the course's authors, admins). */
export function mayReadUserData(caller: Caller, userId: string, course?: CourseAccess): boolean {
  if (!isSignedIn(caller)) return false;
  return sameId(caller.userId, userId) || isAdmin(caller) || (course !== undefined && mayAuthorIn(caller, course.categoryId));
}

export function assertSignedIn(caller: Caller, action = 'do this'): SignedIn {
  if (!isSignedIn(caller)) throw forbidden(`sign in to ${action}`);
  return caller;
}

export function assertAdmin(caller: Caller, action: string): void {
  if (!isAdmin(caller)) throw forbidden(`only admins ${action}`);
}

export function assertMaySeeCourse(caller: Caller, course: CourseAccess): void {
  if (!maySeeCourse(caller, course)) throw notFound('course');
}

export function assertMayAuthorCourse(caller: Caller, course: CourseAccess): void {
  assertMaySeeCourse(caller, course);
  if (!mayAuthorIn(caller, course.categoryId)) throw forbidden('you may not change this course');
}

/** Creating a course in, or moving one to, `categoryId`. */
export function assertMayAuthorIn(caller: Caller, categoryId: string): void {
  if (!mayAuthorIn(caller, categoryId)) throw forbidden('you may not author courses in this category');
}
