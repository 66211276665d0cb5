import { media } from '@testmancer/contracts';
import { unsupported } from '@testmancer/shared';
import type { AssetKind, Format } from './asset';
import { checkSize, type SizeLimits } from './upload';

/**
 * `signed`: the browser may upload under the id until `expiresAt`;
 * `confirmed`: its asset was made and ready (if it is gone, it was
 * deleted); `expired`: the repair is removing whatever the provider holds.
 */
export type DirectUploadStatus = 'signed' | 'confirmed' | 'expired';

/**
 * A signed upload straight to the provider, kept until its signature has
 * expired: what the browser uploads under `id` is no asset until confirmed,
 * and whatever is left under it then (never confirmed, refused, or
 * uploaded again after the asset was deleted) is removed by the repair.
 */
export interface DirectUpload {
  readonly id: string;
  readonly courseId: string;
  /** The kind signed for; undefined when the provider was left to decide. */
  readonly kind?: AssetKind;
  readonly createdBy: string;
  readonly createdAt: Date;
  readonly expiresAt: Date;
  readonly status: DirectUploadStatus;
  readonly version: number;
}

/** What the provider measured of a received file. */
export interface ReceivedFacts {
  readonly format: string | undefined;
  readonly resourceType: string;
  readonly bytes: number;
}

const isFormat = (name: string | undefined): name is Format => name !== undefined && Object.hasOwn(media.FORMATS, name);

/**
 * The checks an upload through the service makes, applied to what the
 * provider reports: an allowed format of the kind signed for, within the
 * kind's size limit.
 */
export function checkReceived(
  file: ReceivedFacts,
  signedKind: AssetKind | undefined,
  limits: SizeLimits,
): { format: Format; kind: AssetKind; mediaType: string } {
  const format = file.format;
  if (!isFormat(format) || media.FORMATS[format].kind !== file.resourceType) {
    throw unsupported(`the uploaded file (${format ?? 'an unknown format'}, ${file.resourceType}) is not a format that is allowed`);
  }
  const { kind, mediaType } = media.FORMATS[format];
  if (signedKind !== undefined && kind !== signedKind) throw unsupported(`the upload was signed for ${signedKind} files, not ${kind}`);
  checkSize(kind, file.bytes, limits);
  return { format, kind, mediaType };
}
