import { notFound, type Caller } from '@testmancer/shared';
import { assertMayAuthor, assertVisible, visibleCourses, type CourseFilter, type CourseState } from './domain';
import type { CourseCache, CourseTree } from './store/course-cache';
import type { CourseStore, CourseSummary } from './store/courses';

/**
 * Where the policy meets the store: courses read as the caller may see them
 * (through the cache), and changed as the caller may author them (on the
 * stored course, with compare-and-set, the cache updated after each write).
 */
export class Courses {
  constructor(
    private readonly store: CourseStore,
    private readonly cache: CourseCache,
  ) {}

  async visible(caller: Caller, id: string): Promise<CourseTree> {
    const tree = await this.cache.read(id);
    if (!tree) throw notFound('course');
    assertVisible(caller, tree.course);
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
    assertMayAuthor(caller, course);
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
    const { before, after } = await this.store.change(id, (course) => {
      assertMayAuthor(caller, course);
      return change(course);
    });
    return this.cache.wrote(before, after, newTitles);
  }
}
