import { callerFromProto, invalid, notFound, pageSize, type AsyncService } from '@testmancer/shared';
import type { contentV1 } from '@testmancer/proto';
import { ObjectId } from 'mongodb';
import {
  addPage,
  assertEditable,
  checkPageVersion,
  checkVersion,
  createPage,
  locatePage,
  pageIdAt,
  pageMedia,
  pageOrderOf,
  removePage,
  reorderPages,
  retitlePage,
  unitView,
  updatePage,
  type CourseState,
} from '../domain';
import type { ContentContext } from './context';
import { blocksFromProto, courseMessage, idFrom, idFromList, pageAfter, pageMessage, pageSummaries, roleOf } from './messages';

type Handlers = Partial<AsyncService<typeof contentV1.ContentServiceService>>;

const BATCH_GET_MAX = 100;

export function pageHandlers({ courses, pages, metrics, logger }: ContentContext): Handlers {
  return {
    async listPages(request) {
      const tree = await courses.visible(callerFromProto(request.caller), idFrom(request.courseId, 'courseId'));
      const unit = unitView(tree.course, idFrom(request.unitId, 'unitId'));
      return pageAfter(pageSummaries(tree, unit), pageSize(request.limit), request.cursor);
    },

    async createPage(request) {
      const caller = callerFromProto(request.caller);
      const courseId = idFrom(request.courseId, 'courseId');
      const unitId = idFrom(request.unitId, 'unitId');
      const page = createPage({ id: new ObjectId().toHexString(), courseId, unitId, title: request.title, blocks: blocksFromProto(request.blocks) });
      const place = (course: CourseState) => {
        checkVersion(course, request.expectedVersion);
        return addPage(course, unitId, page.id, request.position);
      };
      // Refused now rather than after the page document exists.
      place(await courses.authored(caller, courseId));
      const stored = await pages.insert(page, pageMedia(page.blocks));
      let tree;
      try {
        tree = await courses.change(caller, courseId, place, new Map([[page.id, page.title]]));
      } catch (error) {
        await pages.discard(page.id).catch((err: unknown) => logger.error({ err, pageId: page.id }, 'could not discard a page its course did not take'));
        throw error;
      }
      metrics.pagesCreated.inc({ role: roleOf(caller) });
      return { page: pageMessage(stored, { unitId, pageOrder: pageOrderOf(tree.course, unitId, page.id) }), course: courseMessage(tree) };
    },

    async getPage(request) {
      const courseId = idFrom(request.courseId, 'courseId');
      const unitId = idFrom(request.unitId, 'unitId');
      const tree = await courses.visible(callerFromProto(request.caller), courseId);
      const page = await pages.read(pageIdAt(tree.course, unitId, request.pageOrder), courseId);
      if (!page) throw notFound('page');
      return { page: pageMessage(page, { unitId, pageOrder: request.pageOrder }) };
    },

    async batchGetPages(request) {
      if (request.pageIds.length > BATCH_GET_MAX) {
        throw invalid('too many page ids', [{ path: 'pageIds', message: `must have at most ${String(BATCH_GET_MAX)} items` }]);
      }
      const pageIds = request.pageIds.map((id, index) => idFrom(id, `pageIds/${String(index)}`));
      const courseId = idFrom(request.courseId, 'courseId');
      const tree = await courses.visible(callerFromProto(request.caller), courseId);
      const located = pageIds.flatMap((id) => {
        const where = locatePage(tree.course, id);
        return where ? [{ id, where }] : [];
      });
      const found = new Map((await pages.readMany(located.map(({ id }) => id), courseId)).map((page) => [page.id, page]));
      return {
        pages: located.flatMap(({ id, where }) => {
          const page = found.get(id);
          return page ? [pageMessage(page, where)] : [];
        }),
      };
    },

    async updatePage(request) {
      const caller = callerFromProto(request.caller);
      const courseId = idFrom(request.courseId, 'courseId');
      const unitId = idFrom(request.unitId, 'unitId');
      const course = await courses.authored(caller, courseId);
      assertEditable(course);
      // The page at that order now. No other page of the course has ever had its version, so an
      // If-Match served for the page that stood there before a reorder (or insert, or delete) is a
      // 412, whether or not the moved pages' new versions have landed yet.
      const pageId = pageIdAt(course, unitId, request.pageOrder);
      const patch = { title: request.title, blocks: request.blocks && blocksFromProto(request.blocks.blocks) };
      const { before, after } = await pages.change(pageId, courseId, (page) => {
        checkPageVersion(page, request.expectedVersion);
        const next = updatePage(page, patch);
        return next === page ? page : { ...next, media: pageMedia(next.blocks, page) };
      });
      // The page document first: a tree rebuilt in between shows the new title under the old version, never the reverse.
      const tree =
        after.title === before.title
          ? await courses.visible(caller, courseId)
          : await courses.change(caller, courseId, (c) => retitlePage(c, unitId, pageId), new Map([[pageId, after.title]]));
      return { page: pageMessage(after, { unitId, pageOrder: pageOrderOf(tree.course, unitId, pageId) }), course: courseMessage(tree) };
    },

    async deletePage(request) {
      const caller = callerFromProto(request.caller);
      const courseId = idFrom(request.courseId, 'courseId');
      const unitId = idFrom(request.unitId, 'unitId');
      // The page at that order now (If-Match as in updatePage); retries below remove this page, wherever it moves meanwhile.
      const pageId = pageIdAt(await courses.authored(caller, courseId), unitId, request.pageOrder);
      if (request.expectedVersion !== undefined) {
        const page = await pages.get(pageId, courseId);
        if (!page) throw notFound('page');
        checkPageVersion(page, request.expectedVersion);
      }
      const tree = await courses.change(caller, courseId, (course) => removePage(course, unitId, pageId));
      await pages.markDeleted([pageId]);
      return { course: courseMessage(tree) };
    },

    async reorderPages(request) {
      const unitId = idFrom(request.unitId, 'unitId');
      const tree = await courses.change(callerFromProto(request.caller), idFrom(request.courseId, 'courseId'), (course) => {
        checkVersion(course, request.expectedVersion);
        return reorderPages(course, unitId, request.pageIds.map(idFromList));
      });
      return { course: courseMessage(tree) };
    },

    async locatePage(request) {
      const pageId = idFrom(request.pageId, 'pageId');
      const tree = await courses.visible(callerFromProto(request.caller), idFrom(request.courseId, 'courseId'));
      const where = locatePage(tree.course, pageId);
      return where ? { exists: true, ...where } : { exists: false, unitId: '', pageOrder: 0 };
    },
  };
}
