import { conflict, isDuplicateKey, notFound, unavailable, type Caller, type Logger } from '@testmancer/shared';
import type { Asset, AssetKind } from '../domain/asset';
import { checkReceived, type DirectUpload } from '../domain/direct-upload';
import { checkQuota, largestAllowed, validateFilename, type SizeLimits } from '../domain/upload';
import type { Courses } from '../clients/content';
import type { MediaMetrics } from '../metrics';
import type { MediaProvider, ReceivedFile, UploadSignature } from '../providers/provider';
import type { AssetStore } from '../store/assets';
import type { DirectUploadStore } from '../store/direct-uploads';
import type { VisibleAsset } from './assets';
import { authorOf } from './authoring';
import { providerFailure } from './provider-failure';

export interface DirectUploadDependencies {
  assets: AssetStore;
  directUploads: DirectUploadStore;
  provider: MediaProvider;
  courses: Courses;
  limits: SizeLimits;
  metrics: MediaMetrics;
  logger: Logger;
  newId: () => string;
  now?: () => Date;
}

/** A signed upload: the provider's form fields, and for a direct upload the asset it becomes once confirmed. */
export interface SignedUpload extends UploadSignature {
  readonly assetId: string;
  readonly maxBytes: number;
}

/** A confirmation's answer: the asset, and whether this confirmation made it. */
export interface ConfirmedUpload extends VisibleAsset {
  readonly created: boolean;
}

/**
 * Uploads the browser sends straight to the provider: signed for one asset
 * id under the course's folder, then confirmed, when the file the provider
 * holds passes the checks an upload through the service passes (format,
 * kind, size, the course's quota), or removed.
 */
export class DirectUploads {
  private readonly now: () => Date;

  constructor(private readonly deps: DirectUploadDependencies) {
    this.now = deps.now ?? (() => new Date());
  }

  /** Parameters for a browser to upload a file of the course, for one of its authors. */
  async sign(caller: Caller, courseId: string, kind?: AssetKind): Promise<SignedUpload> {
    const { provider, limits } = this.deps;
    await authorOf(this.deps.courses, caller, courseId, 'course');
    const maxBytes = kind ? limits.maxBytes[kind] : largestAllowed(limits);
    if (!provider.receivesDirectUploads) return { ...this.signWithProvider(courseId, kind, ''), assetId: '', maxBytes };
    // A course already at its quota gets no signature: nothing could be confirmed.
    checkQuota((await this.deps.assets.bytesOfCourse(courseId)) + 1, limits.courseQuotaBytes);
    const assetId = this.deps.newId();
    const signature = this.signWithProvider(courseId, kind, assetId);
    // Recorded before the fields are handed out: whatever is uploaded under them is found by the repair.
    await this.deps.directUploads.insert({
      id: assetId,
      courseId,
      ...(kind && { kind }),
      createdBy: caller.kind === 'user' ? caller.userId : '',
      createdAt: this.now(),
      expiresAt: signature.expiresAt,
      status: 'signed',
      version: 0,
    });
    return { ...signature, assetId, maxBytes };
  }

  private signWithProvider(courseId: string, kind: AssetKind | undefined, assetId: string): UploadSignature {
    try {
      return this.deps.provider.signUpload({ courseId, assetId, ...(kind && { kind }) });
    } catch (error) {
      throw providerFailure(error, this.deps);
    }
  }

  /**
   * Takes the file the provider holds under the upload's id, or refuses it
   * and removes it. Of two confirmations at once, the one whose asset record
   * is written first takes the upload; the other answers the asset, or a 409
   * while it is being made.
   */
  async confirm(caller: Caller, id: string): Promise<ConfirmedUpload> {
    const upload = await this.deps.directUploads.byId(id);
    // Past its expiry an upload belongs to the repair, which may be removing its file this moment.
    if (!upload || upload.status === 'expired' || (upload.status === 'signed' && upload.expiresAt <= this.now()))
      throw notFound('media upload');
    const published = await authorOf(this.deps.courses, caller, upload.courseId, 'media upload');
    // Confirmed means its asset was ready: if none is there now, it was deleted.
    if (upload.status === 'confirmed') return { asset: await this.readyAsset(id), published, created: false };

    const file = await this.received(upload);
    if (!file) throw conflict('nothing has been uploaded with this signature yet; upload the file, then confirm it');
    let checked: ReturnType<typeof checkReceived>;
    try {
      checked = checkReceived(file, upload.kind, this.deps.limits);
    } catch (refusal) {
      await this.removeFile(upload);
      throw refusal;
    }
    const made = await this.record(upload, file, checked);
    if (!made) return { asset: await this.assetBeingConfirmed(id), published, created: false };
    return { asset: made, published, created: true };
  }

  /** The asset of a confirmed upload. */
  private async readyAsset(id: string): Promise<Asset> {
    const asset = await this.deps.assets.byId(id);
    if (asset?.status === 'ready') return asset;
    throw notFound('media upload');
  }

  /** The asset another confirmation is making: a 409 until it is ready, or if it was refused a moment ago. */
  private async assetBeingConfirmed(id: string): Promise<Asset> {
    const asset = await this.deps.assets.byId(id);
    if (asset?.status === 'ready') return asset;
    throw conflict('the upload is being confirmed; ask again in a moment');
  }

  private async received(upload: DirectUpload): Promise<ReceivedFile | undefined> {
    try {
      return await this.deps.provider.received({
        courseId: upload.courseId,
        assetId: upload.id,
        ...(upload.kind && { kind: upload.kind }),
      });
    } catch (error) {
      throw providerFailure(error, this.deps);
    }
  }

  /** Removes a refused file; the upload stays signed, so that a file sent again before its expiry is removed by the repair. */
  private async removeFile(upload: DirectUpload): Promise<void> {
    await this.deps.provider
      .removeReceived({ assetId: upload.id, courseId: upload.courseId, ...(upload.kind && { kind: upload.kind }) })
      .catch((error: unknown) => {
        throw providerFailure(error, this.deps);
      });
    this.deps.metrics.uploads.inc({ provider: this.deps.provider.name, outcome: 'rejected' });
  }

  /**
   * Record (uploading), quota, ready, as an upload through the service, then
   * the upload confirmed; over the quota, the record and the file are removed.
   * Undefined when another confirmation wrote the record first.
   */
  private async record(upload: DirectUpload, file: ReceivedFile, checked: ReturnType<typeof checkReceived>): Promise<Asset | undefined> {
    const { assets, provider, limits, metrics } = this.deps;
    const record: Asset = {
      id: upload.id,
      courseId: upload.courseId,
      ...checked,
      bytes: file.bytes,
      // The bytes never passed through the service: the provider's own measure is all there is.
      checksum: '',
      filename: labelOf(file, upload.id, checked.format),
      ...(file.width !== undefined && { width: file.width }),
      ...(file.height !== undefined && { height: file.height }),
      status: 'uploading',
      provider: provider.name,
      providerId: '',
      url: '',
      renditions: [],
      servedByMedia: false,
      createdBy: upload.createdBy,
      createdAt: this.now(),
      version: 0,
    };
    try {
      // The asset id is unique: of two confirmations, exactly one writes it.
      await assets.insert(record);
    } catch (error) {
      if (isDuplicateKey(error)) return undefined;
      throw error;
    }
    try {
      // Counted after the record exists, so that of two racing confirmations (or uploads) the later sees the earlier.
      checkQuota(await assets.bytesOfCourse(record.courseId), limits.courseQuotaBytes);
    } catch (refusal) {
      await assets.remove(record.id);
      await this.removeFile(upload);
      throw refusal;
    }
    const ready = await assets.markReady(record.id, {
      provider: provider.name,
      providerId: file.providerId,
      url: file.url,
      renditions: file.renditions,
      servedByMedia: false,
      ...(file.width !== undefined && { width: file.width }),
      ...(file.height !== undefined && { height: file.height }),
    });
    // Only the repair moves an uploading record, and only long after it was written.
    if (!ready) throw unavailable('the confirmation was interrupted; try again');
    // Should this fail (the repair expired the upload meanwhile), the asset stands: the repair removes no file under an asset.
    await this.deps.directUploads.moveStatus(upload.id, upload.version, 'signed', 'confirmed');
    metrics.uploads.inc({ provider: provider.name, outcome: 'stored' });
    metrics.uploadedBytes.inc({ provider: provider.name, kind: ready.kind }, ready.bytes);
    return ready;
  }
}

/** The browser's name for the file when it is a plain name, else one made from the id. */
function labelOf(file: ReceivedFile, id: string, format: string): string {
  const name = file.filename ? `${file.filename}.${format}` : '';
  try {
    return validateFilename(name);
  } catch {
    return `${id}.${format}`;
  }
}
