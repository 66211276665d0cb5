import type { Readable } from 'node:stream';
import type { AssetKind, Format, Rendition } from '../domain/asset';

/**
 * An asset's lasting address, whichever provider keeps the bytes: the
 * gateway's path (after `publicBaseUrl`: empty, or a CDN in front of the
 * gateway), which checks who may see the course before anything is served;
 * `width` names one of an image's renditions.
 */
export function lastingUrl(publicBaseUrl: string, assetId: string, width?: number): string {
  return `${publicBaseUrl}/api/media/${assetId}/content${width === undefined ? '' : `?width=${String(width)}`}`;
}

/** How a caller may fetch the bytes of an asset its provider serves (`servesBytes` false), now. */
export interface Delivery {
  /** The asset's course is published: a lasting, cacheable URL. Otherwise one that stops working at `expiresAt`. */
  readonly published: boolean;
  readonly expiresAt: Date;
  /** One of the asset's renditions (an image's smaller width); published courses only, the others get the original. */
  readonly width?: number;
}

/** A file the service has received whole and checked, waiting on local disk for a provider. */
export interface StagedFile {
  readonly assetId: string;
  readonly courseId: string;
  readonly kind: AssetKind;
  readonly format: Format;
  readonly mediaType: string;
  readonly bytes: number;
  /** Where the bytes are; a provider may move the file (it is removed afterwards if still there). */
  readonly path: string;
  readonly width?: number;
  readonly height?: number;
}

/** Where a provider keeps an asset's bytes and how clients fetch them. */
export interface StoredObject {
  readonly providerId: string;
  readonly url: string;
  readonly renditions: readonly Rendition[];
  /** What the provider measured, when it does (preferred to the service's own reading). */
  readonly width?: number;
  readonly height?: number;
  readonly bytes?: number;
}

export interface UploadSignature {
  readonly uploadUrl: string;
  readonly fields: Readonly<Record<string, string>>;
  /** After this, the provider refuses the signed fields. */
  readonly expiresAt: Date;
}

/** What a provider holds under a directly uploaded asset's id, as the provider measured it. */
export interface ReceivedFile extends StoredObject {
  /** The provider's name for the format (`png`, `mp4`, ...), undefined when it recognised none. */
  readonly format: string | undefined;
  /** `image`, `video`, or what else the provider filed it as (`raw`). */
  readonly resourceType: string;
  readonly bytes: number;
  /** The name the browser gave the file, when the provider kept it. */
  readonly filename?: string;
}

/**
 * A failed provider call: the provider answered with an error or not at all.
 * `retryable` when trying again later may work (5xx, timeouts, unreachable).
 */
export class ProviderError extends Error {
  constructor(
    readonly operation: 'store' | 'remove' | 'read' | 'sign' | 'inspect',
    message: string,
    readonly retryable: boolean,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'ProviderError';
  }
}

/**
 * The storage behind the media service, chosen by configuration
 * (`MEDIA_PROVIDER`). Every method throws `ProviderError` when the provider fails.
 */
export interface MediaProvider {
  readonly name: 'local' | 'cloudinary';
  /** Whether the service serves the bytes itself (`read`), or clients fetch them from `url`. */
  readonly servesBytes: boolean;
  store(file: StagedFile): Promise<StoredObject>;
  /**
   * Idempotent: removing what is not there (any more) succeeds. `providerId` is empty when a
   * crash left an upload unfinished; the provider then finds the object from the asset id.
   */
  remove(asset: {
    readonly assetId: string;
    readonly courseId: string;
    readonly kind: AssetKind;
    readonly format: Format;
    readonly providerId: string;
  }): Promise<void>;
  /** Bytes `start`..`end` (inclusive) of a stored object; only when `servesBytes`. */
  read(providerId: string, start: number, end: number): Readable;
  /** Where a caller fetches a stored object from the provider itself, as `delivery` allows; only when not `servesBytes`. */
  deliveryUrl(object: { readonly providerId: string; readonly kind: AssetKind; readonly format: Format }, delivery: Delivery): string;
  /**
   * Whether the browser sends the bytes to the provider itself (`signUpload`'s
   * fields open the provider's own upload API): such uploads become assets
   * only through `received` and a confirmation. Otherwise the signed upload
   * is an upload through the media service.
   */
  readonly receivesDirectUploads: boolean;
  /** Form fields for a browser to upload an asset's file (straight to the provider when it receives direct uploads). */
  signUpload(request: DirectUploadTarget): UploadSignature;
  /** The file a direct upload left under the asset's id; undefined while there is none. */
  received(upload: DirectUploadTarget): Promise<ReceivedFile | undefined>;
  /** Removes whatever a direct upload left under the asset's id; idempotent. */
  removeReceived(upload: DirectUploadTarget): Promise<void>;
}

/** Where a direct upload puts its file: the asset's id in the course's folder, of the kind signed for (any, when none). */
export interface DirectUploadTarget {
  readonly courseId: string;
  readonly assetId: string;
  readonly kind?: AssetKind;
}
