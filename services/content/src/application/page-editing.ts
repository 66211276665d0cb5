import { invalid, notFound, stale, type Caller } from '@testmancer/shared';
import {
  addPage,
  assertEditable,
  assetsToResolve,
  LIMITS,
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
  type AssetFacts,
  type BlockCandidate,
  type CourseState,
  type MediaRef,
  type PageLocation,
  type UnitView,
} from '../domain';
import type { CourseTree } from '../store/course-cache';
import type { AssetUser, StoredPage } from '../store/pages';
import { roleOf, type ContentContext } from './context';

/** A page and where it stands. */
export interface PlacedPage {
  page: StoredPage;
  where: PageLocation;
}

/** The pages of a unit, as its course lists them. */
export interface PageSummary {
  id: string;
  pageOrder: number;
  title: string;
}

export const pageSummaries = (tree: CourseTree, unit: UnitView): PageSummary[] =>
  unit.pageIds.map((id, index) => ({ id, pageOrder: index + 1, title: tree.titles.get(id) ?? '' }));

/** Pages: their bodies in their own documents, their order in the course's. */
export function pageEditing({ courses, pages, assets, metrics, logger, compareAndSet, newId }: ContentContext) {
  /**
   * The media service's answers for `assetIds`, each asked once, all at once:
   * what `pageMedia` checks a write's new assets against. Asked before a
   * compare-and-set loop, never in it: a retry does not ask again.
   */
  async function lookUpAssets(caller: Caller, assetIds: readonly string[]): Promise<Map<string, AssetFacts | undefined>> {
    return new Map(await Promise.all(assetIds.map(async (id) => [id, await assets.describe(caller, id)] as const)));
  }

  /**
   * The assets an edit adds, looked up: those its blocks use that the page
   * does not carry when the edit begins (`carried`, which a retry after
   * another writer's edit still counts as the page's). An edit that sends no
   * blocks reads and asks nothing; one that fails validation or its If-Match
   * fails here, before any lookup.
   */
  async function assetsOfEdit(
    caller: Caller,
    where: { pageId: string; courseId: string },
    patch: { title?: string; blocks?: readonly BlockCandidate[] },
    expectedVersion?: number,
  ): Promise<{ found: Map<string, AssetFacts | undefined>; carried: readonly MediaRef[] }> {
    if (patch.blocks === undefined) return { found: new Map(), carried: [] };
    const page = await pages.get(where.pageId, where.courseId);
    if (!page) throw notFound('page');
    checkPageVersion(page, expectedVersion);
    const next = updatePage(page, patch);
    return { found: await lookUpAssets(caller, assetsToResolve(next.blocks, page.media)), carried: page.media };
  }

  /**
   * Applies `change` to the live page and writes it one version up with
   * compare-and-set, reading again when another writer won.
   */
  function changePage(pageId: string, courseId: string, change: (page: StoredPage) => StoredPage) {
    return compareAndSet.untilWritten('page', async () => {
      const before = await pages.get(pageId, courseId);
      if (!before) throw notFound('page');
      const next = change(before);
      if (next === before) return { before, after: before };
      const after = await pages.replace(before, next);
      return after && { before, after };
    });
  }

  /**
   * A page's title shows in its course's tree, which replicas cache by the
   * course's version, so a rename must move that version too. The protocol:
   *
   * 1. The page document first: a tree rebuilt in between shows the new
   *    title under the old version, never the old title under the new one
   *    (which no later read would correct).
   * 2. Then the course version, retried by compare-and-set while other
   *    writers win.
   * 3. If that fails (the course was archived meanwhile, the database
   *    failed), the page edit is undone by another compare-and-set from the
   *    version just written back to the old content, and the error is
   *    answered: the page and every replica's tree then agree on the old
   *    title, and the client retries the whole edit. An edit that another
   *    writer made on top of ours in between is not undone; should the undo
   *    itself fail, the mismatch is logged (it lasts until the course's next
   *    change). What this does not close: a replica that rebuilt its tree
   *    from the database between 1 and 3 (its cached entry had expired
   *    then) keeps the new title until the course's next change.
   */
  async function retitle(
    caller: Caller,
    where: { courseId: string; unitId: string },
    before: StoredPage,
    after: StoredPage,
  ): Promise<CourseTree> {
    try {
      return await courses.change(
        caller,
        where.courseId,
        (c) => retitlePage(c, where.unitId, after.id),
        new Map([[after.id, after.title]]),
      );
    } catch (error) {
      const undo = { ...after, title: before.title, blocks: before.blocks, media: before.media };
      await pages.replace(after, undo).then(
        (undone) => undone ?? logger.error({ pageId: after.id }, 'a page rename whose course bump failed was overtaken by another edit'),
        (err: unknown) => logger.error({ err, pageId: after.id }, 'could not undo a page rename whose course bump failed'),
      );
      throw error;
    }
  }

  return {
    async listPages(caller: Caller, courseId: string, unitId: string): Promise<PageSummary[]> {
      const tree = await courses.visible(caller, courseId);
      return pageSummaries(tree, unitView(tree.course, unitId));
    },

    async createPage(
      caller: Caller,
      where: { courseId: string; unitId: string },
      input: { title: string; blocks: readonly BlockCandidate[]; position?: number },
      expectedVersion?: number,
    ): Promise<{ placed: PlacedPage; tree: CourseTree }> {
      const { courseId, unitId } = where;
      const page = createPage({ id: newId(), courseId, unitId, title: input.title, blocks: input.blocks });
      const place = (course: CourseState) => {
        checkVersion(course, expectedVersion);
        return addPage(course, unitId, page.id, input.position);
      };
      // Refused now rather than after the page document exists.
      place(await courses.authored(caller, courseId));
      const found = await lookUpAssets(caller, assetsToResolve(page.blocks));
      const stored = await pages.insert(page, pageMedia({ courseId, blocks: page.blocks, found }));
      let tree;
      try {
        tree = await courses.change(caller, courseId, place, new Map([[page.id, page.title]]));
      } catch (error) {
        await pages
          .discard(page.id)
          .catch((err: unknown) => logger.error({ err, pageId: page.id }, 'could not discard a page its course did not take'));
        throw error;
      }
      metrics.pagesCreated.inc({ role: roleOf(caller) });
      return { placed: { page: stored, where: { unitId, pageOrder: pageOrderOf(tree.course, unitId, page.id) } }, tree };
    },

    async getPage(caller: Caller, where: { courseId: string; unitId: string; pageOrder: number }): Promise<PlacedPage> {
      const tree = await courses.visible(caller, where.courseId);
      const page = await pages.read(pageIdAt(tree.course, where.unitId, where.pageOrder), where.courseId);
      if (!page) throw notFound('page');
      return { page, where: { unitId: where.unitId, pageOrder: where.pageOrder } };
    },

    /** The pages among `pageIds` that the course lists, in the order asked; the others are left out. */
    async batchGetPages(caller: Caller, courseId: string, pageIds: readonly string[]): Promise<PlacedPage[]> {
      if (pageIds.length > LIMITS.pagesPerBatchGet) {
        throw invalid('too many page ids', [{ path: 'pageIds', message: `must have at most ${String(LIMITS.pagesPerBatchGet)} items` }]);
      }
      const tree = await courses.visible(caller, courseId);
      const located = pageIds.flatMap((id) => {
        const where = locatePage(tree.course, id);
        return where ? [{ id, where }] : [];
      });
      const found = new Map(
        (
          await pages.readMany(
            located.map(({ id }) => id),
            courseId,
          )
        ).map((page) => [page.id, page]),
      );
      return located.flatMap(({ id, where }) => {
        const page = found.get(id);
        return page ? [{ page, where }] : [];
      });
    },

    async updatePage(
      caller: Caller,
      where: { courseId: string; unitId: string; pageOrder: number },
      patch: { title?: string; blocks?: readonly BlockCandidate[] },
      expectedVersion?: number,
    ): Promise<{ placed: PlacedPage; tree: CourseTree }> {
      const { courseId, unitId } = where;
      const course = await courses.authored(caller, courseId);
      assertEditable(course);
      // The page at that order now. No other page of the course has ever had its version, so an
      // If-Match served for the page that stood there before a reorder (or insert, or delete) is a
      // 412, whether or not the moved pages' new versions have landed yet.
      const pageId = pageIdAt(course, unitId, where.pageOrder);
      const { found, carried } = await assetsOfEdit(caller, { pageId, courseId }, patch, expectedVersion);
      const { before, after } = await changePage(pageId, courseId, (page) => {
        checkPageVersion(page, expectedVersion);
        const next = updatePage(page, patch);
        // Blocks left as they were keep the media they had.
        if (next === page || next.blocks === page.blocks) return next;
        return {
          ...next,
          media: pageMedia({ courseId, blocks: next.blocks, found, previous: page, carried: [...page.media, ...carried] }),
        };
      });
      const tree =
        after.title === before.title ? await courses.visible(caller, courseId) : await retitle(caller, { courseId, unitId }, before, after);
      return { placed: { page: after, where: { unitId, pageOrder: pageOrderOf(tree.course, unitId, pageId) } }, tree };
    },

    /**
     * The page document is marked deleted first, in one operation with the
     * If-Match check: an edit that landed since makes it a 412, and one that
     * comes after finds no live page (404), so no edit answered 200 is ever
     * lost. Then the course's order drops the page; if that fails (the
     * course was archived meanwhile, say), the mark is undone. In between,
     * a reader may briefly meet a listed page that reads as not found.
     */
    async deletePage(
      caller: Caller,
      where: { courseId: string; unitId: string; pageOrder: number },
      expectedVersion?: number,
    ): Promise<CourseTree> {
      const { courseId, unitId } = where;
      const course = await courses.authored(caller, courseId);
      assertEditable(course);
      // The page at that order now (If-Match as in updatePage); the course change below removes this page, wherever it moves meanwhile.
      const pageId = pageIdAt(course, unitId, where.pageOrder);
      const deletedAt = await pages.remove(pageId, courseId, expectedVersion);
      if (!deletedAt) {
        const current = await pages.get(pageId, courseId);
        throw current ? stale('page', current.version) : notFound('page');
      }
      try {
        return await courses.change(caller, courseId, (c) => removePage(c, unitId, pageId));
      } catch (error) {
        await pages
          .restore(pageId, deletedAt)
          .catch((err: unknown) => logger.error({ err, pageId }, 'could not restore a page its course did not let go'));
        throw error;
      }
    },

    reorderPages(
      caller: Caller,
      courseId: string,
      unitId: string,
      pageIds: readonly string[],
      expectedVersion?: number,
    ): Promise<CourseTree> {
      return courses.change(caller, courseId, (course) => {
        checkVersion(course, expectedVersion);
        return reorderPages(course, unitId, pageIds);
      });
    },

    /**
     * A live page whose media holds asset `assetId`, if any: what the media
     * service asks before it deletes one. A page its course no longer lists
     * but not yet marked deleted counts too: an asset is kept rather than
     * lost.
     */
    findAssetUse(assetId: string): Promise<AssetUser | undefined> {
      return pages.usingAsset(assetId);
    },

    /** Where the course lists `pageId`, or `undefined`. */
    async locatePage(caller: Caller, courseId: string, pageId: string): Promise<PageLocation | undefined> {
      return locatePage((await courses.visible(caller, courseId)).course, pageId);
    },
  };
}

export type PageEditing = ReturnType<typeof pageEditing>;
