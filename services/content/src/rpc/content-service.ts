import { callerFromProto, implement, pageSize, type Logger, type Metrics, type ServiceRegistration } from '@testmancer/shared';
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
  pageAfter,
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
export function contentService(
  { categories, courses, pages, progress }: ContentUseCases,
  wrapper: { logger: Logger; metrics: Metrics },
): ServiceRegistration {
  const caller = (request: { caller?: Parameters<typeof callerFromProto>[0] }) => callerFromProto(request.caller);
  const courseId = (request: { courseId: string }) => idFrom(request.courseId, 'courseId');
  const unitId = (request: { unitId: string }) => idFrom(request.unitId, 'unitId');
  const pageAt = (request: { courseId: string; unitId: string; pageOrder: number }) => ({
    courseId: courseId(request),
    unitId: unitId(request),
    pageOrder: request.pageOrder,
  });

  return {
    name: 'testmancer.content.v1.ContentService',
    definition: contentV1.ContentServiceService,
    implementation: implement(
      contentV1.ContentServiceService,
      {
        // ---- categories
        async createCategory(request) {
          return { category: categoryMessage(await categories.createCategory(caller(request), request.name)) };
        },
        async getCategory(request) {
          return { category: categoryMessage(await categories.getCategory(idFrom(request.id, 'id'))) };
        },
        async listCategories(request) {
          const page = await categories.listCategories(pageSize(request.limit), request.cursor);
          return { items: page.items.map(categoryMessage), nextCursor: page.nextCursor };
        },

        // ---- courses
        async createCourse(request) {
          const input = {
            title: request.title,
            description: request.description,
            categoryId: idFrom(request.categoryId, 'categoryId'),
            unitType: request.unitType as UnitType,
          };
          return { course: courseMessage(await courses.createCourse(caller(request), input)) };
        },
        async getCourse(request) {
          return { course: courseMessage(await courses.getCourse(caller(request), idFrom(request.id, 'courseId'))) };
        },
        async listCourses(request) {
          const filter = {
            status: statusFilter(request.status),
            categoryId: request.categoryId ? idFrom(request.categoryId, 'categoryId') : undefined,
          };
          const page = await courses.listCourses(caller(request), filter, pageSize(request.limit), request.cursor);
          return { items: page.items.map(courseSummaryMessage), nextCursor: page.nextCursor };
        },
        async updateCourse(request) {
          const patch = {
            title: request.title,
            description: request.description,
            categoryId: request.categoryId === undefined ? undefined : idFrom(request.categoryId, 'categoryId'),
            unitType: request.unitType as UnitType | undefined,
          };
          const tree = await courses.updateCourse(caller(request), idFrom(request.id, 'courseId'), patch, request.expectedVersion);
          return { course: courseMessage(tree) };
        },
        async publishCourse(request) {
          return {
            course: courseMessage(
              await courses.changeStatus(caller(request), idFrom(request.id, 'courseId'), 'publish', request.expectedVersion),
            ),
          };
        },
        async unpublishCourse(request) {
          return {
            course: courseMessage(
              await courses.changeStatus(caller(request), idFrom(request.id, 'courseId'), 'unpublish', request.expectedVersion),
            ),
          };
        },
        async archiveCourse(request) {
          return {
            course: courseMessage(
              await courses.changeStatus(caller(request), idFrom(request.id, 'courseId'), 'archive', request.expectedVersion),
            ),
          };
        },

        // ---- units
        async createUnit(request) {
          const input = { title: request.title, position: request.position };
          const { tree, unit } = await courses.createUnit(caller(request), courseId(request), input, request.expectedVersion);
          return { unit: unitMessage(tree, unit), course: courseMessage(tree) };
        },
        async getUnit(request) {
          const { tree, unit } = await courses.getUnit(caller(request), courseId(request), unitId(request));
          return { unit: unitMessage(tree, unit) };
        },
        async listUnits(request) {
          const { tree, units } = await courses.listUnits(caller(request), courseId(request));
          const page = pageAfter(units, pageSize(request.limit), request.cursor);
          return { items: page.items.map((unit) => unitMessage(tree, unit)), nextCursor: page.nextCursor };
        },
        async updateUnit(request) {
          const patch = { title: request.title };
          const { tree, unit } = await courses.updateUnit(
            caller(request),
            courseId(request),
            unitId(request),
            patch,
            request.expectedVersion,
          );
          return { unit: unitMessage(tree, unit), course: courseMessage(tree) };
        },
        async deleteUnit(request) {
          return {
            course: courseMessage(await courses.deleteUnit(caller(request), courseId(request), unitId(request), request.expectedVersion)),
          };
        },
        async reorderUnits(request) {
          const tree = await courses.reorderUnits(
            caller(request),
            courseId(request),
            request.unitIds.map(idFromList),
            request.expectedVersion,
          );
          return { course: courseMessage(tree) };
        },

        // ---- pages
        async listPages(request) {
          const summaries = await pages.listPages(caller(request), courseId(request), unitId(request));
          return pageAfter(summaries, pageSize(request.limit), request.cursor);
        },
        async createPage(request) {
          const where = { courseId: courseId(request), unitId: unitId(request) };
          const input = { title: request.title, blocks: blocksFromProto(request.blocks), position: request.position };
          const { placed, tree } = await pages.createPage(caller(request), where, input, request.expectedVersion);
          return { page: pageMessage(placed), course: courseMessage(tree) };
        },
        async getPage(request) {
          return { page: pageMessage(await pages.getPage(caller(request), pageAt(request))) };
        },
        async batchGetPages(request) {
          const pageIds = request.pageIds.map((id, index) => idFrom(id, `pageIds/${String(index)}`));
          const found = await pages.batchGetPages(caller(request), courseId(request), pageIds);
          return { pages: found.map(pageMessage) };
        },
        async updatePage(request) {
          const patch = { title: request.title, blocks: request.blocks && blocksFromProto(request.blocks.blocks) };
          const { placed, tree } = await pages.updatePage(caller(request), pageAt(request), patch, request.expectedVersion);
          return { page: pageMessage(placed), course: courseMessage(tree) };
        },
        async deletePage(request) {
          return { course: courseMessage(await pages.deletePage(caller(request), pageAt(request), request.expectedVersion)) };
        },
        async reorderPages(request) {
          const tree = await pages.reorderPages(
            caller(request),
            courseId(request),
            unitId(request),
            request.pageIds.map(idFromList),
            request.expectedVersion,
          );
          return { course: courseMessage(tree) };
        },
        async locatePage(request) {
          const where = await pages.locatePage(caller(request), courseId(request), idFrom(request.pageId, 'pageId'));
          return where ? { exists: true, ...where } : { exists: false, unitId: '', pageOrder: 0 };
        },

        async findAssetUse(request) {
          return assetUseMessage(await pages.findAssetUse(idFrom(request.assetId, 'assetId')));
        },

        async locateUnit(request) {
          return { courseId: await courses.locateUnit(caller(request), idFrom(request.unitId, 'unitId')) };
        },

        // ---- progress
        async markPageViewed(request) {
          return { progress: progressMessage(await progress.markPageViewed(caller(request), pageAt(request))) };
        },
        async getProgress(request) {
          const userId = request.userId === '' ? '' : idFrom(request.userId, 'userId');
          return { progress: progressMessage(await progress.getProgress(caller(request), courseId(request), userId)) };
        },
      },
      wrapper,
    ),
  };
}
