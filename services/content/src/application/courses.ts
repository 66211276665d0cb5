import {
  assertMayAuthorCourse,
  assertMaySeeCourse,
  KeyedQueue,
  maySeeCourse,
  notFound,
  type Caller,
  type CompareAndSet,
  type Logger,
} from '@testmancer/shared';
import { movedPages, visibleCourses, type CourseFilter, type CourseState } from '../domain';
import type { CourseCache, CourseTree } from '../store/course-cache';
import type { CourseStore, CourseSummary } from '../store/courses';
import type { PageStore } from '../store/pages';

/** What one compare-and-set round saw and wrote. */
interface CourseChange {
  readonly before: CourseState;
  readonly after: CourseState;
}

/**
 * Where the access rule meets the store: courses read as the caller may see
 * them (through the cache), and changed as the caller may author them (on
 * the stored course, with compare-and-set, the cache updated after each
 * write, then the pages the write moved given new versions).
 */
export class Courses {
  /** Changes to one course from this process take turns: they would only lose to each other. */
  private readonly turns = new KeyedQueue();

  constructor(
    private readonly store: CourseStore,
    private readonly cache: CourseCache,
    private readonly pages: Pick<PageStore, 'moved'>,
    private readonly compareAndSet: CompareAndSet,
    private readonly logger: Pick<Logger, 'error'>,
  ) {}

  async visible(caller: Caller, id: string): Promise<CourseTree> {
    const tree = await this.cache.read(id);
    if (!tree) throw notFound('course');
    assertMaySeeCourse(caller, tree.course);
    return tree;
  }

  /** The course holding `unitId`, if the caller may see it; a unit they may not see does not exist for them. */
  async ofUnit(caller: Caller, unitId: string): Promise<CourseTree> {
    const courseId = await this.store.courseOfUnit(unitId);
    if (!courseId) throw notFound('unit');
    const tree = await this.cache.read(courseId);
    if (!tree || !maySeeCourse(caller, tree.course)) throw notFound('unit');
    return tree;
  }

  /** Visibility is part of the query, so that every page is full. */
  list(caller: Caller, filter: CourseFilter, size: number, cursor: string): Promise<{ items: CourseSummary[]; nextCursor: string }> {
    return this.store.list(visibleCourses(caller, filter), size, cursor);
  }

  /** The stored course, not a cached copy: what a change is about to act on. */
  async authored(caller: Caller, id: string): Promise<CourseState> {
    const course = await this.store.get(id);
    if (!course) throw notFound('course');
    assertMayAuthorCourse(caller, course);
    return course;
  }

  async create(course: CourseState): Promise<CourseTree> {
    await this.store.insert(course);
    return this.cache.wrote(course, course);
  }

  /**
   * Applies `change` to the current course, checking the caller against every
   * state it reads; `newTitles` are the page titles the change sets.
   */
  async change(
    caller: Caller,
    id: string,
    change: (course: CourseState) => CourseState,
    newTitles?: ReadonlyMap<string, string>,
  ): Promise<CourseTree> {
    const { before, after } = await this.turns.run(id, () =>
      this.compareAndSet.untilWritten('course', async (): Promise<CourseChange | undefined> => {
        const current = await this.store.get(id);
        if (!current) throw notFound('course');
        assertMayAuthorCourse(caller, current);
        const next = change(current);
        if (next === current) return { before: current, after: current };
        const written = await this.store.replace(current, next);
        return written && { before: current, after: written };
      }),
    );
    const tree = await this.cache.wrote(before, after, newTitles);
    await this.bumpMoved(id, movedPages(before, after));
    return tree;
  }

  /**
   * After the course write, not in it (pages are other documents). ETags do
   * not depend on it: page versions are unique within a course, so until
   * this lands (or if it never does) a moved page's version still names only
   * that page. Hence a failure is logged, not answered: the change itself
   * has landed, and a client retrying it would only meet a 412.
   */
  private async bumpMoved(courseId: string, pageIds: readonly string[]): Promise<void> {
    try {
      await this.pages.moved(courseId, pageIds);
    } catch (err) {
      this.logger.error({ err, courseId, pages: pageIds.length }, 'could not give moved pages new versions');
    }
  }
}
