import type { CollectionIndexes } from '@testmancer/shared';
import { ObjectId, type AnyBulkWriteOperation, type Collection, type Db } from 'mongodb';
import type { Block, MediaKind, MediaRef, MediaRendition, PageState } from '../domain';
import { PageVersions } from './page-versions';

/** Fields left out are empty: legacy media and pages written before assets were checked have fewer. */
interface MediaDocument {
  kind: MediaKind;
  assetId?: string;
  url?: string;
  providerId?: string;
  width?: number;
  height?: number;
  renditions?: MediaRendition[];
  mediaType?: string;
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

/** A live page that uses an asset: what FindAssetUse answers. */
export interface AssetUser {
  readonly pageId: string;
  readonly courseId: string;
  readonly unitId: string;
  readonly title: string;
}

/**
 * Pages are read by _id. Which page uses an asset (asked before the media
 * service deletes one) is an index read on MongoDB; the local database scans
 * for any dotted filter (docs/local-database.md), which this rare lookup
 * accepts.
 */
export const pageIndexes: CollectionIndexes = {
  collection: 'pages',
  indexes: [{ key: { 'media.assetId': 1 }, name: 'media_asset_ids' }],
};

/** FerretDB never answers an update command of 100 statements or more. */
const MAX_BULK_STATEMENTS = 99;

const mediaToDocument = (ref: MediaRef): MediaDocument => ({
  kind: ref.kind,
  ...(ref.assetId && { assetId: ref.assetId }),
  ...(ref.url && { url: ref.url }),
  ...(ref.providerId && { providerId: ref.providerId }),
  ...(ref.width !== undefined && { width: ref.width }),
  ...(ref.height !== undefined && { height: ref.height }),
  ...(ref.renditions.length > 0 && { renditions: ref.renditions.map(({ width, url }) => ({ width, url })) }),
  ...(ref.mediaType && { mediaType: ref.mediaType }),
});

const mediaFromDocument = (doc: MediaDocument): MediaRef => ({
  kind: doc.kind,
  assetId: doc.assetId ?? '',
  url: doc.url ?? '',
  providerId: doc.providerId ?? '',
  ...(doc.width !== undefined && { width: doc.width }),
  ...(doc.height !== undefined && { height: doc.height }),
  renditions: (doc.renditions ?? []).map(({ width, url }) => ({ width, url })),
  mediaType: doc.mediaType ?? '',
});

const fromDocument = (doc: PageDocument): StoredPage => ({
  id: doc._id.toHexString(),
  courseId: doc.courseId.toHexString(),
  unitId: doc.unitId.toHexString(),
  title: doc.title,
  blocks: doc.blocks,
  media: doc.media.map(mediaFromDocument),
  version: doc.version,
  createdAt: doc.createdAt,
  updatedAt: doc.updatedAt,
});

/**
 * Page bodies, by id: each call is one atomic operation (on one page, or one
 * per page of a batch). Where a page stands is the course's business: a page
 * is live while its course lists it.
 */
export interface PageStore {
  /** The live page of `courseId`, as a reader sees it (a cache may serve it a little old). */
  read(id: string, courseId: string): Promise<StoredPage | undefined>;
  /** The live pages of `courseId` among `ids`, in the order of `ids`, as a reader sees them. */
  readMany(ids: readonly string[], courseId: string): Promise<StoredPage[]>;
  /** The live page of `courseId`, read from the database: what a writer starts from. */
  get(id: string, courseId: string): Promise<StoredPage | undefined>;
  /** Titles by page id; ids with no page are left out. */
  titles(ids: readonly string[]): Promise<Map<string, string>>;
  /** Stores a new page with its first version. */
  insert(page: Omit<PageState, 'version'>, media: readonly MediaRef[]): Promise<StoredPage>;
  /** Only for a page that never made it into its course's order. */
  discard(id: string): Promise<void>;
  /**
   * Compare-and-set: writes `next`'s title, blocks and media one version up
   * if the live page is still at `before`'s version (the course's page
   * counter advances too, see `PageState.version`). The page written, or
   * `undefined` when another writer moved it first (or it was deleted).
   */
  replace(before: StoredPage, next: StoredPage): Promise<StoredPage | undefined>;
  markDeleted(ids: readonly string[]): Promise<void>;
  /**
   * Marks the live page of `courseId` deleted, in one operation with the
   * check that it is still at `expectedVersion` (when given). The time it
   * was marked with, or `undefined` when no such live page was there.
   */
  remove(id: string, courseId: string, expectedVersion?: number): Promise<Date | undefined>;
  /** Undoes `remove`, unless the page was deleted again since (its mark is no longer `deletedAt`). */
  restore(id: string, deletedAt: Date): Promise<void>;
  /**
   * Gives each of `ids` a new version: they moved, and a page serves its
   * position. A page that meanwhile took a later version (an edit that
   * landed first) keeps it: versions never go back.
   */
  moved(courseId: string, ids: readonly string[]): Promise<void>;
  /** A live page whose media holds asset `assetId`, if any (which one, when several do, is unspecified). */
  usingAsset(assetId: string): Promise<AssetUser | undefined>;
}

/**
 * Reads of several pages are one `findOne` by `_id` each, in parallel: on the
 * local database `_id: { $in }` scans the whole collection (1.7 s over 20,000
 * pages against 0.1 s for 100 parallel reads).
 */
export class MongoPageStore implements PageStore {
  private readonly pages: Collection<PageDocument>;
  private readonly versions: PageVersions;

  constructor(
    db: Db,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.pages = db.collection<PageDocument>('pages');
    this.versions = new PageVersions(db);
  }

  read(id: string, courseId: string): Promise<StoredPage | undefined> {
    return this.get(id, courseId);
  }

  async readMany(ids: readonly string[], courseId: string): Promise<StoredPage[]> {
    const pages = await Promise.all(ids.map((id) => this.read(id, courseId)));
    return pages.filter((page): page is StoredPage => page !== undefined);
  }

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

  async discard(id: string): Promise<void> {
    await this.pages.deleteOne({ _id: new ObjectId(id) });
  }

  async get(id: string, courseId: string): Promise<StoredPage | undefined> {
    const doc = await this.pages.findOne({ _id: new ObjectId(id), courseId: new ObjectId(courseId), deletedAt: { $exists: false } });
    return doc ? fromDocument(doc) : undefined;
  }

  async titles(ids: readonly string[]): Promise<Map<string, string>> {
    const docs = await Promise.all(ids.map((id) => this.pages.findOne({ _id: new ObjectId(id) }, { projection: { title: 1 } })));
    return new Map(docs.flatMap((doc) => (doc ? [[doc._id.toHexString(), doc.title] as const] : [])));
  }

  async replace(before: StoredPage, next: StoredPage): Promise<StoredPage | undefined> {
    await this.versions.take(before.courseId);
    const after = { ...next, version: before.version + 1, updatedAt: this.now() };
    const { matchedCount } = await this.pages.updateOne(
      { _id: new ObjectId(before.id), version: before.version, deletedAt: { $exists: false } },
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
    return matchedCount === 1 ? after : undefined;
  }

  async markDeleted(ids: readonly string[]): Promise<void> {
    const deletedAt = this.now();
    await this.updateEach(ids.map((id) => ({ updateOne: { filter: { _id: new ObjectId(id) }, update: { $set: { deletedAt } } } })));
  }

  async remove(id: string, courseId: string, expectedVersion?: number): Promise<Date | undefined> {
    const deletedAt = this.now();
    const { matchedCount } = await this.pages.updateOne(
      {
        _id: new ObjectId(id),
        courseId: new ObjectId(courseId),
        deletedAt: { $exists: false },
        ...(expectedVersion !== undefined && { version: expectedVersion }),
      },
      { $set: { deletedAt } },
    );
    return matchedCount === 1 ? deletedAt : undefined;
  }

  async restore(id: string, deletedAt: Date): Promise<void> {
    await this.pages.updateOne({ _id: new ObjectId(id), deletedAt }, { $unset: { deletedAt: '' } });
  }

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
  }

  async usingAsset(assetId: string): Promise<AssetUser | undefined> {
    const doc = await this.pages.findOne(
      { 'media.assetId': assetId, deletedAt: { $exists: false } },
      { projection: { courseId: 1, unitId: 1, title: 1 } },
    );
    return doc
      ? { pageId: doc._id.toHexString(), courseId: doc.courseId.toHexString(), unitId: doc.unitId.toHexString(), title: doc.title }
      : undefined;
  }

  /** One update statement per page, by `_id`, in batches the local database answers. */
  private async updateEach(updates: AnyBulkWriteOperation<PageDocument>[]): Promise<void> {
    for (let start = 0; start < updates.length; start += MAX_BULK_STATEMENTS) {
      await this.pages.bulkWrite(updates.slice(start, start + MAX_BULK_STATEMENTS), { ordered: false });
    }
  }
}
