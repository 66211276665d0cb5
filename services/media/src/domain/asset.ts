import type { media } from '@testmancer/contracts';

export type AssetKind = media.AssetKind;
export type Format = media.Format;

/**
 * `uploading`: the record exists so that a crash leaves a trace to clean up,
 * but nobody sees the asset yet; `ready`: stored with the provider and
 * visible; `deleting`: on its way out, no longer visible.
 */
export type AssetStatus = 'uploading' | 'ready' | 'deleting';

export interface Rendition {
  readonly width: number;
  readonly url: string;
}

export interface Asset {
  readonly id: string;
  readonly courseId: string;
  readonly kind: AssetKind;
  readonly format: Format;
  readonly mediaType: string;
  readonly bytes: number;
  readonly checksum: string;
  readonly filename: string;
  readonly width?: number;
  readonly height?: number;
  readonly status: AssetStatus;
  /** Which provider holds the bytes, and its id for them; empty while uploading. */
  readonly provider: string;
  readonly providerId: string;
  readonly url: string;
  readonly renditions: readonly Rendition[];
  /** The bytes are served through the media service (the local provider). */
  readonly servedByMedia: boolean;
  readonly createdBy: string;
  readonly createdAt: Date;
  readonly version: number;
}
