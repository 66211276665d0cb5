import type { CollectionIndexes } from '@testmancer/shared';
import { ObjectId, type Collection, type Db } from 'mongodb';
import type { Asset, AssetKind, AssetStatus, Format, Rendition } from '../domain/asset';

/** Where the provider put the bytes: what turns an uploading record into a ready asset. */
export interface Placement {
  readonly provider: string;
  readonly providerId: string;
  readonly url: string;
  readonly renditions: readonly Rendition[];
  readonly servedByMedia: boolean;
  readonly width?: number;
  readonly height?: number;
}

/** The asset records; each call is one single-document operation (or one read). */
export interface AssetStore {
  insert(asset: Asset): Promise<void>;
  byId(id: string): Promise<Asset | undefined>;
  /** Bytes of the course's assets that count against its quota: ready ones and uploads under way. */
  bytesOfCourse(courseId: string): Promise<number>;
  /** `uploading` → `ready`, one version up; undefined when the record is no longer uploading. */
  markReady(id: string, placement: Placement): Promise<Asset | undefined>;
  /** Compare-and-set from `status` at `version` to `next`; undefined when the record moved. */
  moveStatus(id: string, version: number, status: AssetStatus, next: AssetStatus): Promise<Asset | undefined>;
  remove(id: string): Promise<void>;
  /** Records left `uploading` or `deleting` since before `before` (a process died mid-way), oldest first. */
  unfinished(before: Date, limit: number): Promise<Asset[]>;
}

interface AssetDocument {
  _id: ObjectId;
  courseId: string;
  kind: AssetKind;
  format: Format;
  mediaType: string;
  bytes: number;
  checksum: string;
  filename: string;
  width?: number;
  height?: number;
  status: AssetStatus;
  provider: string;
  providerId: string;
  url: string;
  renditions: Rendition[];
  servedByMedia: boolean;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
  version: number;
}

export const ASSETS_COLLECTION = 'media_assets';

export const assetIndexes: CollectionIndexes[] = [
  {
    collection: ASSETS_COLLECTION,
    indexes: [
      // A course's quota: the bytes of its assets.
      { key: { courseId: 1 }, name: 'course' },
      // The repair's sweep of unfinished records.
      { key: { status: 1 }, name: 'status' },
    ],
  },
];

const COUNTED: AssetStatus[] = ['uploading', 'ready'];

const toAsset = (doc: AssetDocument): Asset => ({
  id: doc._id.toHexString(),
  courseId: doc.courseId,
  kind: doc.kind,
  format: doc.format,
  mediaType: doc.mediaType,
  bytes: doc.bytes,
  checksum: doc.checksum,
  filename: doc.filename,
  ...(doc.width !== undefined && { width: doc.width }),
  ...(doc.height !== undefined && { height: doc.height }),
  status: doc.status,
  provider: doc.provider,
  providerId: doc.providerId,
  url: doc.url,
  renditions: doc.renditions,
  servedByMedia: doc.servedByMedia,
  createdBy: doc.createdBy,
  createdAt: doc.createdAt,
  version: doc.version,
});

const objectId = (id: string): ObjectId | undefined => (ObjectId.isValid(id) && id.length === 24 ? new ObjectId(id) : undefined);

export class MongoAssetStore implements AssetStore {
  private readonly assets: Collection<AssetDocument>;

  constructor(
    db: Db,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.assets = db.collection<AssetDocument>(ASSETS_COLLECTION);
  }

  async insert(asset: Asset): Promise<void> {
    const { id, width, height, ...rest } = asset;
    await this.assets.insertOne({
      ...rest,
      _id: new ObjectId(id),
      ...(width !== undefined && { width }),
      ...(height !== undefined && { height }),
      renditions: [...asset.renditions],
      updatedAt: asset.createdAt,
    });
  }

  async byId(id: string): Promise<Asset | undefined> {
    const _id = objectId(id);
    const doc = _id && (await this.assets.findOne({ _id }));
    return doc ? toAsset(doc) : undefined;
  }

  async bytesOfCourse(courseId: string): Promise<number> {
    // An equality read summed here: the local database scans for any aggregation.
    const docs = await this.assets.find({ courseId, status: { $in: COUNTED } }, { projection: { bytes: 1 } }).toArray();
    return docs.reduce((sum, doc) => sum + doc.bytes, 0);
  }

  async markReady(id: string, placement: Placement): Promise<Asset | undefined> {
    const { width, height, ...rest } = placement;
    const doc = await this.assets.findOneAndUpdate(
      { _id: new ObjectId(id), status: 'uploading' },
      {
        $set: {
          ...rest,
          renditions: [...placement.renditions],
          ...(width !== undefined && { width }),
          ...(height !== undefined && { height }),
          status: 'ready',
          updatedAt: this.now(),
        },
        $inc: { version: 1 },
      },
      { returnDocument: 'after' },
    );
    return doc ? toAsset(doc) : undefined;
  }

  async moveStatus(id: string, version: number, status: AssetStatus, next: AssetStatus): Promise<Asset | undefined> {
    const doc = await this.assets.findOneAndUpdate(
      { _id: new ObjectId(id), status, version },
      { $set: { status: next, updatedAt: this.now() }, $inc: { version: 1 } },
      { returnDocument: 'after' },
    );
    return doc ? toAsset(doc) : undefined;
  }

  async remove(id: string): Promise<void> {
    await this.assets.deleteOne({ _id: new ObjectId(id) });
  }

  async unfinished(before: Date, limit: number): Promise<Asset[]> {
    // Equality reads, filtered and ordered here (a sorted query is a full scan on the local database).
    const docs = await this.assets.find({ status: { $in: ['uploading', 'deleting'] } }).toArray();
    return docs
      .filter((doc) => doc.updatedAt < before)
      .sort((a, b) => a.updatedAt.getTime() - b.updatedAt.getTime())
      .slice(0, limit)
      .map(toAsset);
  }
}
