import { conflict, invalid, notFound, stale, type Caller, type Logger } from '@testmancer/shared';
import type { Readable } from 'node:stream';
import type { Asset } from '../domain/asset';
import type { Courses } from '../clients/content';
import type { MediaMetrics } from '../metrics';
import type { MediaProvider } from '../providers/provider';
import type { AssetStore } from '../store/assets';
import { authorOf } from './authoring';
import { providerFailure } from './provider-failure';
import type { SignedUrls, UrlSignature } from './signed-urls';

export interface AssetDependencies {
  assets: AssetStore;
  provider: MediaProvider;
  courses: Courses;
  signedUrls: SignedUrls;
  metrics: MediaMetrics;
  logger: Logger;
  newId: () => string;
}

/** An asset as one caller may see it: whether its course is published (anyone may cache its bytes). */
export interface VisibleAsset {
  readonly asset: Asset;
  readonly published: boolean;
}

/** A byte range of a stored file, inclusive, as a reader asked for it. */
export interface ByteRange {
  readonly start: number;
  readonly end: number;
}

/** Reading and deleting: every use case of an asset once it exists. */
export class Assets {
  constructor(private readonly deps: AssetDependencies) {}

  /** A ready asset; anything else (unknown, still uploading, being deleted) is not found. */
  private async get(id: string): Promise<Asset> {
    const asset = await this.deps.assets.byId(id);
    if (asset?.status !== 'ready') throw notFound('media asset');
    return asset;
  }

  /**
   * A ready asset `caller` may see: its course is visible to them (the
   * content service decides: published ones to everybody, the others to
   * their authors), or they hold a valid signed URL of it. Not found
   * otherwise, so that an id tells nothing about a course one may not see.
   */
  async visible(caller: Caller, id: string, signature?: UrlSignature): Promise<VisibleAsset> {
    const asset = await this.get(id);
    if (this.deps.signedUrls.accepts(asset.id, signature)) return { asset, published: false };
    const course = await this.deps.courses.courseOf(caller, asset.courseId);
    if (!course) throw notFound('media asset');
    return { asset, published: course.published };
  }

  /**
   * Marks the asset as leaving first, so that no page can start using it
   * while the content service is asked whether one does.
   */
  async delete(caller: Caller, id: string, expectedVersion?: number): Promise<void> {
    const asset = await this.get(id);
    await authorOf(this.deps.courses, caller, asset.courseId, 'media asset');
    if (expectedVersion !== undefined && expectedVersion !== asset.version) throw stale('media asset', asset.version);
    const leaving = await this.deps.assets.moveStatus(id, asset.version, 'ready', 'deleting');
    if (!leaving) throw stale('media asset', (await this.get(id)).version);
    const use = await this.deps.courses.findAssetUse(id).catch(async (error: unknown) => {
      await this.deps.assets.moveStatus(id, leaving.version, 'deleting', 'ready');
      throw error;
    });
    if (use) {
      await this.deps.assets.moveStatus(id, leaving.version, 'deleting', 'ready');
      throw conflict(`the asset is used by the page "${use.pageTitle}" (${use.pageId}); remove it from the page first`);
    }
    await this.removeStored(leaving);
  }

  /** Provider first, record last: a failure in between leaves a `deleting` record for the repair. */
  async removeStored(asset: Asset): Promise<void> {
    await this.deps.provider.remove({ ...asset, assetId: asset.id }).catch((error: unknown) => {
      throw providerFailure(error, this.deps);
    });
    await this.deps.assets.remove(asset.id);
  }

  /** The bytes of a locally stored asset `caller` may see, from `offset`, `length` of them (0: to the end). */
  async read(
    caller: Caller,
    id: string,
    offset: number,
    length: number,
    signature?: UrlSignature,
  ): Promise<{ asset: Asset; range: ByteRange; bytes: Readable }> {
    const { asset } = await this.visible(caller, id, signature);
    if (!asset.servedByMedia) throw invalid('the asset is served by its provider: fetch its delivery URL');
    if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0 || offset >= asset.bytes) {
      throw invalid(`the range must start within the asset's ${asset.bytes} bytes`);
    }
    const end = length === 0 ? asset.bytes - 1 : Math.min(asset.bytes, offset + length) - 1;
    try {
      const bytes = this.deps.provider.read(asset.providerId, offset, end);
      bytes.on('data', (chunk: Buffer) => this.deps.metrics.servedBytes.inc({ provider: this.deps.provider.name }, chunk.length));
      return { asset, range: { start: offset, end }, bytes };
    } catch (error) {
      throw providerFailure(error, this.deps);
    }
  }
}
