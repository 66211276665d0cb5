import { invalid } from '@testmancer/shared';
import type { MediaProvider } from '../providers/provider';
import type { VisibleAsset } from './assets';
import type { SignedUrls } from './signed-urls';

/** The short-lived URLs that come with an asset, for one caller who may see it. */
export interface AssetUrls {
  /** The lasting URL with a signature that opens it for a while: when the course is not published. */
  readonly signedUrl: string;
  /** Where the provider serves the bytes (or the rendition of `width`), when the provider serves them. */
  readonly deliveryUrl: string;
}

/**
 * Who may fetch the bytes is decided once, when the asset is read for a
 * caller (`Assets.visible`): these URLs carry that decision to elements that
 * send no token and to the provider's own servers, and expire together.
 */
export class Delivery {
  constructor(
    private readonly signedUrls: SignedUrls,
    private readonly provider: Pick<MediaProvider, 'deliveryUrl'>,
  ) {}

  urlsOf({ asset, published }: VisibleAsset, width?: number): AssetUrls {
    if (width !== undefined && !asset.renditions.some((rendition) => rendition.width === width)) {
      throw invalid(`the asset has no rendition ${String(width)} pixels wide`);
    }
    return {
      signedUrl: published ? '' : this.signedUrls.sign(asset),
      deliveryUrl: asset.servedByMedia
        ? ''
        : this.provider.deliveryUrl(asset, { published, expiresAt: this.signedUrls.expiresAt(), ...(width !== undefined && { width }) }),
    };
  }
}
