/** Use cases of quizzes: authoring them and reading them, each view for whom the shared access rule gives it. */
import {
  assertSignedIn,
  idAfter,
  invalid,
  notFound,
  pageOf,
  pageSize,
  type Caller,
  type CompareAndSet,
  type Page,
} from '@testmancer/shared';
import type { CourseDirectory } from '../clients/courses';
import {
  assertCourseEditable,
  checkQuizVersion,
  createQuiz,
  locate,
  studentView,
  updateQuiz,
  type CourseOutline,
  type QuestionInput,
  type QuizLocation,
  type QuizPatch,
  type QuizState,
  type QuizTrigger,
  type QuizView,
} from '../domain';
import type { QuizStore } from '../store/quizzes';
import { getsAuthorView, hexId, QuizAccess, studentLocation } from './access';

export interface LocatedQuiz {
  readonly quiz: QuizState;
  readonly location: QuizLocation;
}

/** A quiz as one caller gets it: the author view for those who may author its course, else the student view. */
export type QuizForCaller = ({ readonly view: 'author' } & LocatedQuiz) | { readonly view: 'student'; readonly quiz: QuizView };

export interface NewQuizRequest {
  courseId: string;
  title: string;
  questions: readonly QuestionInput[];
  gemReward: number;
  trigger: QuizTrigger | undefined;
  unitId: string;
  pageOrder: number | undefined;
}

export interface QuizListQuery {
  courseId: string;
  unitId: string;
  /** Set: only page quizzes of the page at this order (needs unitId). */
  pageOrder: number | undefined;
  /** Undefined: both triggers. */
  trigger: QuizTrigger | undefined;
  limit: number;
  cursor: string;
  /** Authors only: also list orphaned quizzes. */
  includeOrphaned: boolean;
}

export interface QuizDependencies {
  quizzes: QuizStore;
  courses: CourseDirectory;
  compareAndSet: CompareAndSet;
  newId: () => string;
  now: () => Date;
}

export class QuizUseCases {
  private readonly access: QuizAccess;

  constructor(private readonly deps: QuizDependencies) {
    this.access = new QuizAccess(deps.quizzes, deps.courses);
  }

  async create(caller: Caller, request: NewQuizRequest): Promise<LocatedQuiz> {
    const author = assertSignedIn(caller);
    const course = await this.access.courseToChange(author, hexId(request.courseId, 'courseId'), 'course');
    const quiz = createQuiz(course, { ...request, id: this.deps.newId(), createdBy: author.userId, now: this.deps.now() }, this.deps.newId);
    await this.deps.quizzes.insert(quiz);
    return { quiz, location: locate(quiz, course) };
  }

  async update(caller: Caller, id: string, expectedVersion: number | undefined, patch: QuizPatch): Promise<LocatedQuiz> {
    const author = assertSignedIn(caller);
    return this.deps.compareAndSet.untilWritten('quiz', async () => {
      const quiz = await this.access.quiz(id);
      const course = await this.access.courseToChange(author, quiz.courseId, 'quiz');
      checkQuizVersion(quiz, expectedVersion);
      const updated = updateQuiz(quiz, course, patch, this.deps.newId, this.deps.now());
      if (updated !== quiz && !(await this.deps.quizzes.replace(updated, quiz.version))) return undefined;
      return { quiz: updated, location: locate(updated, course) };
    });
  }

  async delete(caller: Caller, id: string, expectedVersion: number | undefined): Promise<void> {
    const author = assertSignedIn(caller);
    await this.deps.compareAndSet.untilWritten('quiz', async () => {
      const quiz = await this.access.quiz(id);
      const course = await this.access.authoredCourse(author, quiz.courseId, 'quiz', true);
      if (course) assertCourseEditable(course);
      checkQuizVersion(quiz, expectedVersion);
      return (await this.deps.quizzes.delete(quiz.id, quiz.version)) || undefined;
    });
  }

  /** The student view of a quiz the caller may see. */
  async studentView(caller: Caller, id: string): Promise<QuizView> {
    const { quiz, location } = await this.access.visibleQuiz(caller, id);
    return studentView(quiz, location);
  }

  /** The one read of a quiz by id: which view the caller gets is decided here, with one read of the quiz and one of its course. */
  async forCaller(caller: Caller, id: string): Promise<QuizForCaller> {
    const { quiz, course } = await this.access.quizWithCourse(caller, id);
    if (getsAuthorView(caller, course)) return { view: 'author', quiz, location: locate(quiz, course) };
    return { view: 'student', quiz: studentView(quiz, studentLocation(quiz, course)) };
  }

  /** Author view: for authors of every course listed; orphans only when asked for. */
  async list(caller: Caller, query: QuizListQuery): Promise<Page<LocatedQuiz>> {
    return this.listLocated(caller, query, 'author');
  }

  /** Student view; never lists orphans. */
  async listViews(caller: Caller, query: Omit<QuizListQuery, 'includeOrphaned'>): Promise<Page<QuizView>> {
    const page = await this.listLocated(caller, { ...query, includeOrphaned: false }, 'student');
    return { items: page.items.map(({ quiz, location }) => studentView(quiz, location)), nextCursor: page.nextCursor };
  }

  private async assertUnitVisible(caller: Caller, unitId: string): Promise<void> {
    if (!(await this.deps.courses.courseOfUnit(caller, unitId))) throw notFound('unit');
  }

  /** Filter in the store, locate against the courses, drop what the audience must not see, page. */
  private async listLocated(caller: Caller, query: QuizListQuery, audience: 'author' | 'student'): Promise<Page<LocatedQuiz>> {
    const author = audience === 'author' ? assertSignedIn(caller) : undefined;
    if (!query.courseId && !query.unitId) {
      throw invalid('courseId or unitId is required', [{ path: 'courseId', message: 'courseId or unitId is required' }]);
    }
    if (query.pageOrder !== undefined && !query.unitId) {
      throw invalid('pageOrder needs unitId', [{ path: 'pageOrder', message: 'needs unitId' }]);
    }
    const size = pageSize(query.limit);
    const after = idAfter(query.cursor);
    const unitId = query.unitId ? hexId(query.unitId, 'unitId') : undefined;
    const courseId = query.courseId ? hexId(query.courseId, 'courseId') : undefined;
    const trigger = query.pageOrder !== undefined ? 'page' : query.trigger;
    const quizzes = await this.deps.quizzes.list({ courseId, unitId, trigger }, after);

    // Usually one course: the one asked for, or the unit's. Quizzes marked orphaned are orphans whatever
    // their course (locate), and a migrated orphan may name a course that does not exist beside a unit
    // id of a course that does: looking that course up would fail the whole list.
    const courseIds = [...new Set([...(courseId ? [courseId] : []), ...quizzes.filter((q) => !q.markedOrphaned).map((q) => q.courseId)])];
    // Students list a unit's quizzes by unit id alone, and a unit that does not exist or that they may not see is 404 whether or
    // not it has quizzes. Its quizzes' course is checked below; without one, the unit itself is (a lookup that scans on the
    // local database, hence only then). Authors may list the orphans of a unit that is gone.
    if (!author && unitId && courseIds.length === 0) await this.assertUnitVisible(caller, unitId);
    const courses = new Map<string, CourseOutline | undefined>(
      await Promise.all(
        courseIds.map(async (id) => {
          if (author) return [id, await this.access.authoredCourse(author, id, 'course', true)] as const;
          const course = await this.deps.courses.get(caller, id);
          if (!course) throw notFound('course');
          return [id, course] as const;
        }),
      ),
    );
    const shown = quizzes
      .map((quiz) => ({ quiz, location: locate(quiz, courses.get(quiz.courseId)) }))
      .filter(({ location }) => !location.orphaned || (author && query.includeOrphaned))
      .filter(({ location }) => query.pageOrder === undefined || location.pageOrder === query.pageOrder);
    return pageOf(shown, size, ({ quiz }) => quiz.id);
  }
}
