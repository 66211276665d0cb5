import type { ServiceIdentity } from '@testmancer/shared';
import type { Asset } from '../domain/asset';

/** What a signed URL's query carries. */
export interface UrlSignature {
  /** Milliseconds since the epoch. */
  readonly expires: number;
  readonly signature: string;
}

/** Signatures of URLs are never mistaken for another signature of this service's key. */
const PURPOSE = 'testmancer.media.v1 asset url';
/** Expiry times are rounded up to this, so that reads close together hand out the same URL (a browser caches it once). */
const ROUNDING_MS = 60_000;

/**
 * Short-lived URLs of the bytes of assets whose course is not published, for
 * the elements that cannot send a token (`<img>`, `<video>`), whichever
 * provider keeps them. Signed with
 * this service's own key, so only a media pod can make one and any media pod
 * can check it; valid for one asset until it expires.
 */
export class SignedUrls {
  constructor(
    private readonly identity: Pick<ServiceIdentity, 'signOwn' | 'verifyOwn'>,
    private readonly lifetimeMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** When a URL signed now stops working. */
  expiresAt(): Date {
    return new Date(Math.ceil((this.now() + this.lifetimeMs) / ROUNDING_MS) * ROUNDING_MS);
  }

  /** `asset.url` with a signature that expires after the lifetime. */
  sign(asset: Pick<Asset, 'id' | 'url'>): string {
    const expires = this.expiresAt().getTime();
    const signature = this.identity.signOwn(PURPOSE, `${asset.id}:${String(expires)}`);
    return `${asset.url}${asset.url.includes('?') ? '&' : '?'}expires=${String(expires)}&signature=${signature}`;
  }

  /** Whether `signature` opens `assetId` now. */
  accepts(assetId: string, signature: UrlSignature | undefined): boolean {
    if (!signature || !Number.isSafeInteger(signature.expires) || signature.expires <= this.now()) return false;
    return this.identity.verifyOwn(PURPOSE, `${assetId}:${String(signature.expires)}`, signature.signature);
  }
}
