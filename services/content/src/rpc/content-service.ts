import { pageAfter, pageSize, registration, withinAnswerBytes, type ServiceRegistration } from '@testmancer/shared';
import { contentV1 } from '@testmancer/proto';
import type { CategoryCases } from '../application/categories';
import type { CourseAuthoring } from '../application/course-authoring';
import type { PageEditing } from '../application/page-editing';
import type { ProgressCases } from '../application/progress';
import type { UnitType } from '../domain';
import {
  assetUseMessage,
  blocksFromProto,
  categoryMessage,
  courseMessage,
  courseSummaryMessage,
  idFrom,
  idFromList,
  pageMessage,
  progressMessage,
  statusFilter,
  unitMessage,
} from './mapping';

export interface ContentUseCases {
  categories: CategoryCases;
  courses: CourseAuthoring;
  pages: PageEditing;
  progress: ProgressCases;
}

/** gRPC wiring only: decode the request, call one use case, encode its answer. */
export function contentService({ categories, courses, pages, progress }: ContentUseCases): ServiceRegistration {
  const courseId = (request: { courseId: string }) => idFrom(request.courseId, 'courseId');
  const unitId = (request: { unitId: string }) => idFrom(request.unitId, 'unitId');
  const pageAt = (request: { courseId: string; unitId: string; pageOrder: number }) => ({
    courseId: courseId(request),
    unitId: unitId(request),
    pageOrder: request.pageOrder,
  });

  return registration('testmancer.content.v1.ContentService', contentV1.ContentServiceService, {
    // ---- categories
    async createCategory(request, context) {
      return { category: categoryMessage(await categories.createCategory(context.caller, request.name)) };
    },
    async getCategory(request) {
      return { category: categoryMessage(await categories.getCategory(idFrom(request.id, 'id'))) };
    },
    async listCategories(request) {
      const page = await categories.listCategories(pageSize(request.limit), request.cursor);
      return { items: page.items.map(categoryMessage), nextCursor: page.nextCursor };
    },

    // ---- courses
    async createCourse(request, context) {
      const input = {
        title: request.title,
        description: request.description,
        categoryId: idFrom(request.categoryId, 'categoryId'),
        unitType: request.unitType as UnitType,
      };
      return { course: courseMessage(await courses.createCourse(context.caller, input)) };
    },
    async getCourse(request, context) {
      const tree = await courses.getCourse(context.caller, idFrom(request.id, 'courseId'));
      // Visible to the caller (checked above) and unchanged: the caller's copy is current, nothing to send.
      if (request.knownVersion > 0 && tree.course.version === request.knownVersion) return { course: undefined, unchanged: true };
      return { course: courseMessage(tree), unchanged: false };
    },
    async listCourses(request, context) {
      const filter = {
        status: statusFilter(request.status),
        categoryId: request.categoryId ? idFrom(request.categoryId, 'categoryId') : undefined,
      };
      const page = await courses.listCourses(context.caller, filter, pageSize(request.limit), request.cursor);
      return { items: page.items.map(courseSummaryMessage), nextCursor: page.nextCursor };
    },
    async updateCourse(request, context) {
      const patch = {
        title: request.title,
        description: request.description,
        categoryId: request.categoryId === undefined ? undefined : idFrom(request.categoryId, 'categoryId'),
        unitType: request.unitType as UnitType | undefined,
      };
      const tree = await courses.updateCourse(context.caller, idFrom(request.id, 'courseId'), patch, request.expectedVersion);
      return { course: courseMessage(tree) };
    },
    async publishCourse(request, context) {
      return {
        course: courseMessage(
          await courses.changeStatus(context.caller, idFrom(request.id, 'courseId'), 'publish', request.expectedVersion),
        ),
      };
    },
    async unpublishCourse(request, context) {
      return {
        course: courseMessage(
          await courses.changeStatus(context.caller, idFrom(request.id, 'courseId'), 'unpublish', request.expectedVersion),
        ),
      };
    },
    async archiveCourse(request, context) {
      return {
        course: courseMessage(
          await courses.changeStatus(context.caller, idFrom(request.id, 'courseId'), 'archive', request.expectedVersion),
        ),
      };
    },

    // ---- units
    async createUnit(request, context) {
      const input = { title: request.title, position: request.position };
      const { tree, unit } = await courses.createUnit(context.caller, courseId(request), input, request.expectedVersion);
      return { unit: unitMessage(tree, unit), course: courseMessage(tree) };
    },
    async getUnit(request, context) {
      const { tree, unit } = await courses.getUnit(context.caller, courseId(request), unitId(request));
      return { unit: unitMessage(tree, unit) };
    },
    async listUnits(request, context) {
      const { tree, units } = await courses.listUnits(context.caller, courseId(request));
      const page = pageAfter(units, pageSize(request.limit), request.cursor);
      return { items: page.items.map((unit) => unitMessage(tree, unit)), nextCursor: page.nextCursor };
    },
    async updateUnit(request, context) {
      const patch = { title: request.title };
      const { tree, unit } = await courses.updateUnit(context.caller, courseId(request), unitId(request), patch, request.expectedVersion);
      return { unit: unitMessage(tree, unit), course: courseMessage(tree) };
    },
    async deleteUnit(request, context) {
      return {
        course: courseMessage(await courses.deleteUnit(context.caller, courseId(request), unitId(request), request.expectedVersion)),
      };
    },
    async reorderUnits(request, context) {
      const tree = await courses.reorderUnits(context.caller, courseId(request), request.unitIds.map(idFromList), request.expectedVersion);
      return { course: courseMessage(tree) };
    },

    // ---- pages
    async listPages(request, context) {
      const summaries = await pages.listPages(context.caller, courseId(request), unitId(request));
      return pageAfter(summaries, pageSize(request.limit), request.cursor);
    },
    async createPage(request, context) {
      const where = { courseId: courseId(request), unitId: unitId(request) };
      const input = { title: request.title, blocks: blocksFromProto(request.blocks), position: request.position };
      const { placed, tree } = await pages.createPage(context.caller, where, input, request.expectedVersion);
      return { page: pageMessage(placed), course: courseMessage(tree) };
    },
    async getPage(request, context) {
      return { page: pageMessage(await pages.getPage(context.caller, pageAt(request))) };
    },
    async batchGetPages(request, context) {
      const pageIds = request.pageIds.map((id, index) => idFrom(id, `pageIds/${String(index)}`));
      const found = (await pages.batchGetPages(context.caller, courseId(request), pageIds)).map(pageMessage);
      const kept = withinAnswerBytes(found, (page) => contentV1.Page.encode(page).finish().length);
      // Pages come in the order asked, so the next one to ask for follows the last one kept.
      const nextIndex = kept.cut ? request.pageIds.indexOf(kept.items[kept.items.length - 1]!.id) + 1 : 0;
      return { pages: kept.items, nextIndex };
    },
    async updatePage(request, context) {
      const patch = { title: request.title, blocks: request.blocks && blocksFromProto(request.blocks.blocks) };
      const { placed, tree } = await pages.updatePage(context.caller, pageAt(request), patch, request.expectedVersion);
      return { page: pageMessage(placed), course: courseMessage(tree) };
    },
    async deletePage(request, context) {
      return { course: courseMessage(await pages.deletePage(context.caller, pageAt(request), request.expectedVersion)) };
    },
    async reorderPages(request, context) {
      const tree = await pages.reorderPages(
        context.caller,
        courseId(request),
        unitId(request),
        request.pageIds.map(idFromList),
        request.expectedVersion,
      );
      return { course: courseMessage(tree) };
    },
    async locatePage(request, context) {
      const where = await pages.locatePage(context.caller, courseId(request), idFrom(request.pageId, 'pageId'));
      return where ? { exists: true, ...where } : { exists: false, unitId: '', pageOrder: 0 };
    },

    async findAssetUse(request) {
      return assetUseMessage(await pages.findAssetUse(idFrom(request.assetId, 'assetId')));
    },

    async locateUnit(request, context) {
      return { courseId: await courses.locateUnit(context.caller, idFrom(request.unitId, 'unitId')) };
    },

    // ---- progress
    async markPageViewed(request, context) {
      await progress.markPageViewed(context.caller, pageAt(request));
      return { progress: undefined };
    },
    async getProgress(request, context) {
      const userId = request.userId === '' ? '' : idFrom(request.userId, 'userId');
      return { progress: progressMessage(await progress.getProgress(context.caller, courseId(request), userId)) };
    },
  });
}
