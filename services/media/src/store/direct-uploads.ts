import type { CollectionIndexes } from '@testmancer/shared';
import type { Collection, Db } from 'mongodb';
import type { AssetKind } from '../domain/asset';
import type { DirectUpload, DirectUploadStatus } from '../domain/direct-upload';

/** The signed direct uploads, until the repair has dealt with their expiry; each call is one single-document operation (or one read). */
export interface DirectUploadStore {
  insert(upload: DirectUpload): Promise<void>;
  byId(id: string): Promise<DirectUpload | undefined>;
  /** Compare-and-set from `status` at `version` to `next`; undefined when the record moved. */
  moveStatus(id: string, version: number, status: DirectUploadStatus, next: DirectUploadStatus): Promise<DirectUpload | undefined>;
  remove(id: string): Promise<void>;
  /** Uploads whose signature expired before `before`, the longest expired first. */
  expired(before: Date, limit: number): Promise<DirectUpload[]>;
}

interface DirectUploadDocument {
  /** The asset id the upload becomes (random hex, as the asset's). */
  _id: string;
  courseId: string;
  kind?: AssetKind;
  createdBy: string;
  createdAt: Date;
  expiresAt: Date;
  status: DirectUploadStatus;
  updatedAt: Date;
  version: number;
}

export const DIRECT_UPLOADS_COLLECTION = 'media_direct_uploads';

export const directUploadIndexes: CollectionIndexes[] = [
  // The repair's sweep of expired signatures.
  { collection: DIRECT_UPLOADS_COLLECTION, indexes: [{ key: { expiresAt: 1 }, name: 'expiry' }] },
];

const toDirectUpload = (doc: DirectUploadDocument): DirectUpload => ({
  id: doc._id,
  courseId: doc.courseId,
  ...(doc.kind !== undefined && { kind: doc.kind }),
  createdBy: doc.createdBy,
  createdAt: doc.createdAt,
  expiresAt: doc.expiresAt,
  status: doc.status,
  version: doc.version,
});

export class MongoDirectUploadStore implements DirectUploadStore {
  private readonly uploads: Collection<DirectUploadDocument>;

  constructor(
    db: Db,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.uploads = db.collection<DirectUploadDocument>(DIRECT_UPLOADS_COLLECTION);
  }

  async insert(upload: DirectUpload): Promise<void> {
    const { id, kind, ...rest } = upload;
    await this.uploads.insertOne({ ...rest, _id: id, ...(kind !== undefined && { kind }), updatedAt: upload.createdAt });
  }

  async byId(id: string): Promise<DirectUpload | undefined> {
    const doc = await this.uploads.findOne({ _id: id });
    return doc ? toDirectUpload(doc) : undefined;
  }

  async moveStatus(id: string, version: number, status: DirectUploadStatus, next: DirectUploadStatus): Promise<DirectUpload | undefined> {
    const doc = await this.uploads.findOneAndUpdate(
      { _id: id, status, version },
      { $set: { status: next, updatedAt: this.now() }, $inc: { version: 1 } },
      { returnDocument: 'after' },
    );
    return doc ? toDirectUpload(doc) : undefined;
  }

  async remove(id: string): Promise<void> {
    await this.uploads.deleteOne({ _id: id });
  }

  async expired(before: Date, limit: number): Promise<DirectUpload[]> {
    const docs = await this.uploads.find({ expiresAt: { $lt: before } }, { sort: { expiresAt: 1 }, limit }).toArray();
    return docs.map(toDirectUpload);
  }
}
