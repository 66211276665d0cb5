import { createHash } from 'node:crypto';
import { invalid, isDomainError, unavailable, type Logger } from '@testmancer/shared';
import type { Asset } from '../domain/asset';
import { imageDimensions, requireAllowedFormat, requireDeclaredTypeMatches, SNIFF_BYTES, type DetectedFormat } from '../domain/format';
import { checkQuota, checkSize, validateFilename, type SizeLimits } from '../domain/upload';
import { requireCourseId, requireMetadata, type UploadMetadata, type UploadPart } from '../domain/upload-stream';
import type { UploadSlots } from '../domain/upload-slots';
import type { Courses } from '../clients/content';
import type { MediaMetrics } from '../metrics';
import type { MediaProvider } from '../providers/provider';
import type { AssetStore } from '../store/assets';
import type { StagingArea, StagingFile } from '../store/staging';
import type { VisibleAsset } from './assets';
import { authorOf } from './authoring';
import { providerFailure } from './provider-failure';

/** How much of a file's start is kept in memory to read an image's dimensions (JPEG puts them after its metadata). */
const HEAD_BYTES = 256 * 1024;

export interface UploadDependencies {
  assets: AssetStore;
  staging: StagingArea;
  provider: MediaProvider;
  courses: Courses;
  limits: SizeLimits;
  slots: UploadSlots;
  metrics: MediaMetrics;
  logger: Logger;
  newId: () => string;
  now?: () => Date;
}

/** A stream's bytes as they arrive: counted, hashed, the start kept for sniffing. */
class Received {
  bytes = 0;
  readonly hash = createHash('sha256');
  private readonly headChunks: Buffer[] = [];
  private headLength = 0;

  add(chunk: Buffer): void {
    this.bytes += chunk.length;
    this.hash.update(chunk);
    if (this.headLength < HEAD_BYTES) {
      const part = chunk.subarray(0, HEAD_BYTES - this.headLength);
      this.headChunks.push(Buffer.from(part));
      this.headLength += part.length;
    }
  }

  get head(): Buffer {
    return Buffer.concat(this.headChunks, this.headLength);
  }

  get sniffable(): boolean {
    return this.headLength >= SNIFF_BYTES;
  }
}

/**
 * An upload: checked while it streams (format from the first bytes, size
 * limits, author in the course's scope), staged whole on local disk, counted
 * against the course's quota, handed to the provider, and only then a
 * visible asset. Whatever fails on the way leaves no asset and no bytes.
 */
export class Uploads {
  private readonly now: () => Date;

  constructor(private readonly deps: UploadDependencies) {
    this.now = deps.now ?? (() => new Date());
  }

  async upload(parts: AsyncIterable<UploadPart>): Promise<VisibleAsset> {
    const started = process.hrtime.bigint();
    const { metrics, provider } = this.deps;
    try {
      const stored = await this.receive(parts);
      const { asset } = stored;
      metrics.uploads.inc({ provider: provider.name, outcome: 'stored' });
      metrics.uploadedBytes.inc({ provider: provider.name, kind: asset.kind }, asset.bytes);
      this.observe(started, 'stored');
      return stored;
    } catch (error) {
      const outcome = isDomainError(error) && error.kind !== 'unavailable' ? 'rejected' : 'failed';
      metrics.uploads.inc({ provider: provider.name, outcome });
      this.observe(started, outcome);
      throw error;
    }
  }

  private observe(started: bigint, outcome: string): void {
    this.deps.metrics.uploadDuration.observe(
      { provider: this.deps.provider.name, outcome },
      Number(process.hrtime.bigint() - started) / 1e9,
    );
  }

  private async receive(parts: AsyncIterable<UploadPart>): Promise<VisibleAsset> {
    const iterator = parts[Symbol.asyncIterator]();
    const first = await iterator.next();
    const metadata = requireMetadata(first.done ? undefined : first.value);
    const free = this.deps.slots.take(metadata.caller);
    try {
      return await this.receiveFor(metadata, iterator);
    } finally {
      free();
    }
  }

  /**
   * Who may upload to the course, and whether its quota has room for the
   * declared size, are decided before the staging file exists: a refused
   * upload leaves no byte on disk.
   */
  private async receiveFor(metadata: UploadMetadata, iterator: AsyncIterator<UploadPart>): Promise<VisibleAsset> {
    const { limits } = this.deps;
    const filename = validateFilename(metadata.filename);
    if (metadata.declaredSize > 0) checkSize(undefined, metadata.declaredSize, limits);
    const admit = async (courseId: string) => {
      const published = await authorOf(this.deps.courses, metadata.caller, courseId, 'course');
      // Refused before a byte is read when the announced size cannot fit.
      if (metadata.declaredSize > 0)
        checkQuota((await this.deps.assets.bytesOfCourse(courseId)) + metadata.declaredSize, limits.courseQuotaBytes);
      return { courseId, published };
    };
    let course = metadata.courseId === '' ? undefined : await admit(requireCourseId(metadata.courseId));

    const received = new Received();
    let format: DetectedFormat | undefined;
    let staged: StagingFile | undefined;
    try {
      for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
        const part = next.value;
        if (part.type === 'metadata') throw invalid('an upload carries its metadata once, first');
        if (part.type === 'course') {
          if (course || staged) throw invalid('the course of an upload is given once, before its bytes');
          course = await admit(requireCourseId(part.courseId));
          continue;
        }
        if (!course) throw invalid('an upload names its course before its bytes', [{ path: 'courseId', message: 'required first' }]);
        received.add(part.bytes);
        if (metadata.declaredSize > 0 && received.bytes > metadata.declaredSize) throw invalid('the file is longer than its declared size');
        if (!format && received.sniffable) format = this.recognise(received.head, metadata.contentType);
        checkSize(format?.kind, received.bytes, limits);
        staged ??= await this.deps.staging.open();
        await staged.write(part.bytes);
      }
      if (!course) throw invalid('an upload needs the courseId of its course', [{ path: 'courseId', message: 'required' }]);
      format ??= this.recognise(received.head, metadata.contentType);
      if (!staged) throw invalid('the file is empty');
      await staged.close();
      const asset = await this.store(staged, {
        id: this.deps.newId(),
        courseId: course.courseId,
        ...format,
        bytes: received.bytes,
        checksum: received.hash.digest('hex'),
        filename,
        ...(format.kind === 'image' && imageDimensions(received.head)),
        status: 'uploading',
        provider: this.deps.provider.name,
        providerId: '',
        url: '',
        renditions: [],
        servedByMedia: this.deps.provider.servesBytes,
        createdBy: metadata.caller.kind === 'user' ? metadata.caller.userId : '',
        createdAt: this.now(),
        // Ready is version 1.
        version: 0,
      });
      return { asset, published: course.published };
    } finally {
      await staged?.discard();
    }
  }

  private recognise(head: Buffer, declaredType: string): DetectedFormat {
    const format = requireAllowedFormat(head);
    requireDeclaredTypeMatches(declaredType, format);
    return format;
  }

  /** Record (uploading), quota, provider, ready: each step undone when a later one fails. */
  private async store(staged: StagingFile, record: Asset): Promise<Asset> {
    const { assets, provider, limits, logger } = this.deps;
    await assets.insert(record);
    try {
      // Counted after the record exists, so that of two racing uploads the later always sees the earlier.
      checkQuota(await assets.bytesOfCourse(record.courseId), limits.courseQuotaBytes);
      const stored = await provider.store({ ...record, assetId: record.id, path: staged.path }).catch((error: unknown) => {
        throw providerFailure(error, this.deps);
      });
      const ready = await assets.markReady(record.id, {
        provider: provider.name,
        providerId: stored.providerId,
        url: stored.url,
        renditions: stored.renditions,
        servedByMedia: provider.servesBytes,
        ...((stored.width ?? record.width) !== undefined && { width: stored.width ?? record.width }),
        ...((stored.height ?? record.height) !== undefined && { height: stored.height ?? record.height }),
      });
      // Only the repair moves an uploading record, and only long after it was written.
      if (!ready) throw unavailable('the upload was interrupted; try again');
      return ready;
    } catch (error) {
      await this.undo(record).catch((undoError: unknown) =>
        logger.warn({ err: undoError, assetId: record.id }, 'an upload could not be undone; the repair removes it later'),
      );
      throw error;
    }
  }

  /** The provider is asked to remove even after a failed store: a call that timed out may have stored the file. */
  private async undo(record: Asset): Promise<void> {
    await this.deps.provider.remove({
      assetId: record.id,
      courseId: record.courseId,
      kind: record.kind,
      format: record.format,
      providerId: '',
    });
    await this.deps.assets.remove(record.id);
  }
}
