import { callerFromProto, invalid, pageSize, type AsyncService } from '@testmancer/shared';
import type { commonV1, contentV1 } from '@testmancer/proto';
import { ObjectId } from 'mongodb';
import {
  addUnit,
  archive,
  assertMayAuthorIn,
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
  type CourseState,
  type UnitState,
  type UnitType,
} from '../domain';
import type { ContentContext } from './context';
import { courseMessage, courseSummaryMessage, idFrom, idFromList, pageAfter, roleOf, statusFilter, unitMessage } from './messages';

type Handlers = Partial<AsyncService<typeof contentV1.ContentServiceService>>;

interface StatusRequest {
  caller?: commonV1.Caller | undefined;
  id: string;
  expectedVersion?: number | undefined;
}

export function courseHandlers({ courses, pages, categories, metrics, now }: ContentContext): Handlers {
  async function assertCategoryExists(categoryId: string): Promise<void> {
    if (!(await categories.exists(categoryId))) {
      throw invalid('unknown category', [{ path: 'categoryId', message: 'unknown category' }]);
    }
  }

  const changeStatus = (apply: (course: CourseState) => CourseState) => async (request: StatusRequest) => {
    const tree = await courses.change(callerFromProto(request.caller), idFrom(request.id, 'courseId'), (course) => {
      checkVersion(course, request.expectedVersion);
      return apply(course);
    });
    return { course: courseMessage(tree) };
  };

  return {
    async createCourse(request) {
      const caller = callerFromProto(request.caller);
      const categoryId = idFrom(request.categoryId, 'categoryId');
      assertMayAuthorIn(caller, categoryId);
      const course = createCourse({
        id: new ObjectId().toHexString(),
        title: request.title,
        description: request.description,
        categoryId,
        unitType: request.unitType as UnitType,
        createdBy: caller.kind === 'user' ? caller.userId : '',
        now: now(),
      });
      await assertCategoryExists(categoryId);
      return { course: courseMessage(await courses.create(course)) };
    },

    async getCourse(request) {
      return { course: courseMessage(await courses.visible(callerFromProto(request.caller), idFrom(request.id, 'courseId'))) };
    },

    async listCourses(request) {
      const filter = {
        status: statusFilter(request.status),
        categoryId: request.categoryId ? idFrom(request.categoryId, 'categoryId') : undefined,
      };
      const page = await courses.list(callerFromProto(request.caller), filter, pageSize(request.limit), request.cursor);
      return { items: page.items.map(courseSummaryMessage), nextCursor: page.nextCursor };
    },

    async updateCourse(request) {
      const caller = callerFromProto(request.caller);
      const id = idFrom(request.id, 'courseId');
      const categoryId = request.categoryId === undefined ? undefined : idFrom(request.categoryId, 'categoryId');
      if (categoryId !== undefined) {
        // In this order: an unseen course is 404, a category out of scope 403, an unknown one 400.
        const current = await courses.authored(caller, id);
        if (categoryId !== current.categoryId) {
          assertMayAuthorIn(caller, categoryId);
          await assertCategoryExists(categoryId);
        }
      }
      const patch = { title: request.title, description: request.description, categoryId, unitType: request.unitType as UnitType | undefined };
      const tree = await courses.change(caller, id, (course) => {
        checkVersion(course, request.expectedVersion);
        if (categoryId !== undefined && categoryId !== course.categoryId) assertMayAuthorIn(caller, categoryId);
        return updateCourse(course, patch);
      });
      return { course: courseMessage(tree) };
    },

    publishCourse: changeStatus(publish),
    unpublishCourse: changeStatus(unpublish),
    archiveCourse: changeStatus(archive),

    async createUnit(request) {
      const caller = callerFromProto(request.caller);
      const unitId = new ObjectId().toHexString();
      const tree = await courses.change(caller, idFrom(request.courseId, 'courseId'), (course) => {
        checkVersion(course, request.expectedVersion);
        return addUnit(course, { id: unitId, title: request.title }, request.position);
      });
      metrics.unitsCreated.inc({ role: roleOf(caller) });
      return { unit: unitMessage(tree, unitView(tree.course, unitId)), course: courseMessage(tree) };
    },

    async getUnit(request) {
      const tree = await courses.visible(callerFromProto(request.caller), idFrom(request.courseId, 'courseId'));
      return { unit: unitMessage(tree, unitView(tree.course, idFrom(request.unitId, 'unitId'))) };
    },

    async listUnits(request) {
      const tree = await courses.visible(callerFromProto(request.caller), idFrom(request.courseId, 'courseId'));
      const page = pageAfter(unitViews(tree.course), pageSize(request.limit), request.cursor);
      return { items: page.items.map((unit) => unitMessage(tree, unit)), nextCursor: page.nextCursor };
    },

    async updateUnit(request) {
      const unitId = idFrom(request.unitId, 'unitId');
      const tree = await courses.change(callerFromProto(request.caller), idFrom(request.courseId, 'courseId'), (course) => {
        checkUnitVersion(course, unitId, request.expectedVersion);
        return request.title === undefined ? course : renameUnit(course, unitId, request.title);
      });
      return { unit: unitMessage(tree, unitView(tree.course, unitId)), course: courseMessage(tree) };
    },

    async deleteUnit(request) {
      const unitId = idFrom(request.unitId, 'unitId');
      let removed: UnitState | undefined;
      const tree = await courses.change(callerFromProto(request.caller), idFrom(request.courseId, 'courseId'), (course) => {
        checkUnitVersion(course, unitId, request.expectedVersion);
        const result = removeUnit(course, unitId);
        removed = result.removed;
        return result.course;
      });
      await pages.markDeleted(removed?.pageIds ?? []);
      return { course: courseMessage(tree) };
    },

    async reorderUnits(request) {
      const tree = await courses.change(callerFromProto(request.caller), idFrom(request.courseId, 'courseId'), (course) => {
        checkVersion(course, request.expectedVersion);
        return reorderUnits(course, request.unitIds.map(idFromList));
      });
      return { course: courseMessage(tree) };
    },
  };
}
