/**
 * Which quiz and which course a caller reaches, by the shared access rule:
 * the content service shows a caller only the courses they may see, and
 * `mayAuthorIn` decides who changes them.
 */
import { forbidden, isAdmin, mayAuthorIn, notFound, objectIdFrom, type Caller, type SignedIn } from '@testmancer/shared';
import type { CourseDirectory } from '../clients/courses';
import { locate, type CourseOutline, type QuizLocation, type QuizState } from '../domain';
import type { QuizStore } from '../store/quizzes';

export const hexId = (value: string, field: string): string => objectIdFrom(value, field).toHexString();

export class QuizAccess {
  constructor(
    private readonly quizzes: QuizStore,
    private readonly courses: CourseDirectory,
  ) {}

  async quiz(id: string): Promise<QuizState> {
    const quiz = await this.quizzes.get(hexId(id, 'id'));
    if (!quiz) throw notFound('quiz');
    return quiz;
  }

  /**
   * The course for authoring: not visible is `what` not found, visible but
   * not the caller's to author is forbidden. Admins see every course, so a
   * course an admin cannot get is gone: for reads (and deletes) its quizzes
   * are orphans the admin may still handle (undefined is returned).
   */
  async authoredCourse(caller: SignedIn, courseId: string, what: string, courseMayBeGone: boolean): Promise<CourseOutline | undefined> {
    const course = await this.courses.get(caller, courseId);
    if (!course) {
      if (courseMayBeGone && isAdmin(caller)) return undefined;
      throw notFound(what);
    }
    if (!mayAuthorIn(caller, course.categoryId)) throw forbidden('only authors of the course may do this');
    return course;
  }

  /** The course of a write: it must exist, and be the caller's to author. */
  async courseToChange(caller: SignedIn, courseId: string, what: string): Promise<CourseOutline> {
    const course = await this.authoredCourse(caller, courseId, what, false);
    if (!course) throw notFound(what);
    return course;
  }

  /** The quiz and its course as the caller sees it (undefined: the course does not exist or is hidden from them). */
  async quizWithCourse(caller: Caller, id: string): Promise<{ quiz: QuizState; course: CourseOutline | undefined }> {
    const quiz = await this.quiz(id);
    return { quiz, course: await this.courses.get(caller, quiz.courseId) };
  }

  /** The quiz as a student may see it: its course visible to the caller and the quiz not orphaned. */
  async visibleQuiz(caller: Caller, id: string): Promise<{ quiz: QuizState; location: QuizLocation }> {
    const { quiz, course } = await this.quizWithCourse(caller, id);
    return { quiz, location: studentLocation(quiz, course) };
  }
}

/** Where a student sees the quiz; orphaned (or hidden with its course) is not found. */
export function studentLocation(quiz: QuizState, course: CourseOutline | undefined): QuizLocation {
  const location = locate(quiz, course);
  if (location.orphaned) throw notFound('quiz');
  return location;
}

/** Whether the caller gets a quiz's author view: they may author its course, or, an admin, its course is gone. */
export const getsAuthorView = (caller: Caller, course: CourseOutline | undefined): boolean =>
  course ? mayAuthorIn(caller, course.categoryId) : isAdmin(caller);
