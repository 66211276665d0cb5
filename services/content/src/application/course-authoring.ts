import { assertMayAuthorIn, invalid, type Caller } from '@testmancer/shared';
import {
  addUnit,
  archive,
  checkUnitVersion,
  checkVersion,
  createCourse,
  publish,
  removeUnit,
  renameUnit,
  reorderUnits,
  unitView,
  unitViews,
  unpublish,
  updateCourse,
  type CourseFilter,
  type CourseState,
  type CoursePatch,
  type UnitState,
  type UnitType,
  type UnitView,
} from '../domain';
import type { CourseTree } from '../store/course-cache';
import type { CourseSummary } from '../store/courses';
import { roleOf, type ContentContext } from './context';

export type CourseStatusChange = 'publish' | 'unpublish' | 'archive';

const statusChanges: Record<CourseStatusChange, (course: CourseState) => CourseState> = { publish, unpublish, archive };

export interface ListPage<T> {
  items: T[];
  nextCursor: string;
}

/** Courses and their units: reading them as the caller may see them, changing them as the caller may author them. */
export function courseAuthoring({ courses, pages, categories, metrics, now, newId }: ContentContext) {
  async function assertCategoryExists(categoryId: string): Promise<void> {
    if (!(await categories.exists(categoryId))) {
      throw invalid('unknown category', [{ path: 'categoryId', message: 'unknown category' }]);
    }
  }

  return {
    async createCourse(
      caller: Caller,
      input: { title: string; description?: string; categoryId: string; unitType: UnitType },
    ): Promise<CourseTree> {
      assertMayAuthorIn(caller, input.categoryId);
      const course = createCourse({ ...input, id: newId(), createdBy: caller.kind === 'user' ? caller.userId : '', now: now() });
      await assertCategoryExists(input.categoryId);
      return courses.create(course);
    },

    getCourse: (caller: Caller, courseId: string): Promise<CourseTree> => courses.visible(caller, courseId),

    listCourses: (caller: Caller, filter: CourseFilter, size: number, cursor: string): Promise<ListPage<CourseSummary>> =>
      courses.list(caller, filter, size, cursor),

    async updateCourse(caller: Caller, courseId: string, patch: CoursePatch, expectedVersion?: number): Promise<CourseTree> {
      const { categoryId } = patch;
      if (categoryId !== undefined) {
        // In this order: an unseen course is 404, a category out of scope 403, an unknown one 400.
        const current = await courses.authored(caller, courseId);
        if (categoryId !== current.categoryId) {
          assertMayAuthorIn(caller, categoryId);
          await assertCategoryExists(categoryId);
        }
      }
      return courses.change(caller, courseId, (course) => {
        checkVersion(course, expectedVersion);
        if (categoryId !== undefined && categoryId !== course.categoryId) assertMayAuthorIn(caller, categoryId);
        return updateCourse(course, patch);
      });
    },

    changeStatus(caller: Caller, courseId: string, change: CourseStatusChange, expectedVersion?: number): Promise<CourseTree> {
      return courses.change(caller, courseId, (course) => {
        checkVersion(course, expectedVersion);
        return statusChanges[change](course);
      });
    },

    async createUnit(
      caller: Caller,
      courseId: string,
      input: { title: string; position?: number },
      expectedVersion?: number,
    ): Promise<{ tree: CourseTree; unit: UnitView }> {
      const unitId = newId();
      const tree = await courses.change(caller, courseId, (course) => {
        checkVersion(course, expectedVersion);
        return addUnit(course, { id: unitId, title: input.title }, input.position);
      });
      metrics.unitsCreated.inc({ role: roleOf(caller) });
      return { tree, unit: unitView(tree.course, unitId) };
    },

    async getUnit(caller: Caller, courseId: string, unitId: string): Promise<{ tree: CourseTree; unit: UnitView }> {
      const tree = await courses.visible(caller, courseId);
      return { tree, unit: unitView(tree.course, unitId) };
    },

    /** The course of a unit known by its id alone. */
    async locateUnit(caller: Caller, unitId: string): Promise<string> {
      return (await courses.ofUnit(caller, unitId)).course.id;
    },

    async listUnits(caller: Caller, courseId: string): Promise<{ tree: CourseTree; units: UnitView[] }> {
      const tree = await courses.visible(caller, courseId);
      return { tree, units: unitViews(tree.course) };
    },

    async updateUnit(
      caller: Caller,
      courseId: string,
      unitId: string,
      patch: { title?: string },
      expectedVersion?: number,
    ): Promise<{ tree: CourseTree; unit: UnitView }> {
      const tree = await courses.change(caller, courseId, (course) => {
        checkUnitVersion(course, unitId, expectedVersion);
        return patch.title === undefined ? course : renameUnit(course, unitId, patch.title);
      });
      return { tree, unit: unitView(tree.course, unitId) };
    },

    async deleteUnit(caller: Caller, courseId: string, unitId: string, expectedVersion?: number): Promise<CourseTree> {
      let removed: UnitState | undefined;
      const tree = await courses.change(caller, courseId, (course) => {
        checkUnitVersion(course, unitId, expectedVersion);
        const result = removeUnit(course, unitId);
        removed = result.removed;
        return result.course;
      });
      await pages.markDeleted(removed?.pageIds ?? []);
      return tree;
    },

    reorderUnits(caller: Caller, courseId: string, unitIds: readonly string[], expectedVersion?: number): Promise<CourseTree> {
      return courses.change(caller, courseId, (course) => {
        checkVersion(course, expectedVersion);
        return reorderUnits(course, unitIds);
      });
    },
  };
}

export type CourseAuthoring = ReturnType<typeof courseAuthoring>;
