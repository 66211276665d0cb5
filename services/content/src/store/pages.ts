import { notFound } from '@testmancer/shared';
import { LRUCache } from 'lru-cache';
import { ObjectId, type AnyBulkWriteOperation, type Collection, type Db } from 'mongodb';
import type { Block, MediaKind, MediaRef, PageState } from '../domain';
import { PageVersions } from './page-versions';
import { untilWritten } from './writes';

interface MediaDocument {
  kind: MediaKind;
  assetId?: string;
  url?: string;
  providerId?: string;
}

interface PageDocument {
  _id: ObjectId;
  courseId: ObjectId;
  unitId: ObjectId;
  title: string;
  blocks: Block[];
  media: MediaDocument[];
  version: number;
  createdAt: Date;
  updatedAt: Date;
  /** Set when the page left its course's order; pages are never hard-deleted. */
  deletedAt?: Date;
}

export interface StoredPage extends PageState {
  readonly media: readonly MediaRef[];
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** FerretDB never answers an update command of 100 statements or more. */
const MAX_BULK_STATEMENTS = 99;

const mediaToDocument = (ref: MediaRef): MediaDocument => ({
  kind: ref.kind,
  ...(ref.assetId && { assetId: ref.assetId }),
  ...(ref.url && { url: ref.url }),
  ...(ref.providerId && { providerId: ref.providerId }),
});

const fromDocument = (doc: PageDocument): StoredPage => ({
  id: doc._id.toHexString(),
  courseId: doc.courseId.toHexString(),
  unitId: doc.unitId.toHexString(),
  title: doc.title,
  blocks: doc.blocks,
  media: doc.media.map((ref) => ({ kind: ref.kind, assetId: ref.assetId ?? '', url: ref.url ?? '', providerId: ref.providerId ?? '' })),
  version: doc.version,
  createdAt: doc.createdAt,
  updatedAt: doc.updatedAt,
});

export interface PageCacheOptions {
  /** How long a page read is served from memory: how soon an edit through another replica shows. */
  ttlMs: number;
  /** Bound on the pages' size in memory, in bytes of their JSON. */
  maxBytes: number;
}

/**
 * Page bodies, by id. Where a page stands is the course's business: a page
 * is live while its course lists it.
 *
 * Reads of several pages are one `findOne` by `_id` each, in parallel: on the
 * local database `_id: { $in }` scans the whole collection (1.7 s over 20,000
 * pages against 0.1 s for 100 parallel reads).
 *
 * What readers see (`read`, `readMany`) is kept in memory for `ttlMs`, the
 * staleness the course cache accepts as well; this store's own writes drop
 * what they change at once, and a read that a write overtakes (the cache
 * aborts its fetch) reads the database instead. Writers read the database.
 */
export class PageStore {
  private readonly pages: Collection<PageDocument>;
  private readonly versions: PageVersions;
  private readonly cache: LRUCache<string, StoredPage>;

  constructor(
    db: Db,
    cache: PageCacheOptions,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.pages = db.collection<PageDocument>('pages');
    this.versions = new PageVersions(db);
    this.cache = new LRUCache<string, StoredPage>({
      maxSize: cache.maxBytes,
      // Computed once, when a page comes in from the database.
      sizeCalculation: (page) => JSON.stringify(page).length,
      ttl: cache.ttlMs,
      fetchMethod: async (id) => {
        const doc = await this.pages.findOne({ _id: new ObjectId(id), deletedAt: { $exists: false } });
        return doc ? fromDocument(doc) : undefined;
      },
    });
  }

  /** The live page of `courseId`, as a reader sees it (from memory within ttlMs). */
  async read(id: string, courseId: string): Promise<StoredPage | undefined> {
    const page = await this.cache.fetch(id).catch(() => this.get(id, courseId));
    return page?.courseId === courseId ? page : undefined;
  }

  /** The live pages of `courseId` among `ids`, in the order of `ids`, as a reader sees them. */
  async readMany(ids: readonly string[], courseId: string): Promise<StoredPage[]> {
    const pages = await Promise.all(ids.map((id) => this.read(id, courseId)));
    return pages.filter((page): page is StoredPage => page !== undefined);
  }

  /** Stores a new page with its first version. */
  async insert(page: Omit<PageState, 'version'>, media: readonly MediaRef[]): Promise<StoredPage> {
    const version = await this.versions.take(page.courseId);
    const now = this.now();
    const doc: PageDocument = {
      _id: new ObjectId(page.id),
      courseId: new ObjectId(page.courseId),
      unitId: new ObjectId(page.unitId),
      title: page.title,
      blocks: [...page.blocks],
      media: media.map(mediaToDocument),
      version,
      createdAt: now,
      updatedAt: now,
    };
    await this.pages.insertOne(doc);
    return fromDocument(doc);
  }

  /** Only for a page that never made it into its course's order. */
  async discard(id: string): Promise<void> {
    await this.pages.deleteOne({ _id: new ObjectId(id) });
    this.cache.delete(id);
  }

  /** The live page of `courseId`, read from the database: what a writer starts from. */
  async get(id: string, courseId: string): Promise<StoredPage | undefined> {
    const doc = await this.pages.findOne({ _id: new ObjectId(id), courseId: new ObjectId(courseId), deletedAt: { $exists: false } });
    return doc ? fromDocument(doc) : undefined;
  }

  /** Titles by page id; ids with no page are left out. */
  async titles(ids: readonly string[]): Promise<Map<string, string>> {
    const docs = await Promise.all(ids.map((id) => this.pages.findOne({ _id: new ObjectId(id) }, { projection: { title: 1 } })));
    return new Map(docs.flatMap((doc) => (doc ? [[doc._id.toHexString(), doc.title] as const] : [])));
  }

  /**
   * Applies `change` to the live page and writes the result, one version up,
   * if its version is still the one read, reading again when another writer
   * won. The course's page counter advances too (see `PageState.version`).
   */
  async change(
    id: string,
    courseId: string,
    change: (page: StoredPage) => StoredPage,
  ): Promise<{ before: StoredPage; after: StoredPage }> {
    return untilWritten('page', async () => {
      const before = await this.get(id, courseId);
      if (!before) throw notFound('page');
      const next = change(before);
      if (next === before) return { before, after: before };
      await this.versions.take(courseId);
      const after = { ...next, version: before.version + 1, updatedAt: this.now() };
      const { matchedCount } = await this.pages.updateOne(
        { _id: new ObjectId(id), version: before.version, deletedAt: { $exists: false } },
        {
          $set: {
            title: after.title,
            blocks: [...after.blocks],
            media: after.media.map(mediaToDocument),
            version: after.version,
            updatedAt: after.updatedAt,
          },
        },
      );
      this.cache.delete(id);
      return matchedCount === 1 ? { before, after } : undefined;
    });
  }

  async markDeleted(ids: readonly string[]): Promise<void> {
    const deletedAt = this.now();
    await this.updateEach(ids.map((id) => ({ updateOne: { filter: { _id: new ObjectId(id) }, update: { $set: { deletedAt } } } })));
    for (const id of ids) this.cache.delete(id);
  }

  /**
   * Gives each of `ids` a new version: they moved, and a page serves its
   * position. A page that meanwhile took a later version (an edit that
   * landed first) keeps it: versions never go back.
   */
  async moved(courseId: string, ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    const first = await this.versions.take(courseId, ids.length);
    const updatedAt = this.now();
    await this.updateEach(
      ids.map((id, i) => {
        const version = first + i;
        return { updateOne: { filter: { _id: new ObjectId(id), version: { $lt: version } }, update: { $set: { version, updatedAt } } } };
      }),
    );
    for (const id of ids) this.cache.delete(id);
  }

  /** One update statement per page, by `_id`, in batches the local database answers. */
  private async updateEach(updates: AnyBulkWriteOperation<PageDocument>[]): Promise<void> {
    for (let start = 0; start < updates.length; start += MAX_BULK_STATEMENTS) {
      await this.pages.bulkWrite(updates.slice(start, start + MAX_BULK_STATEMENTS), { ordered: false });
    }
  }
}
