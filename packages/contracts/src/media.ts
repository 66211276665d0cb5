/**
 * The media service's contract: what may be uploaded and how big. The media
 * service enforces it (its limits can be raised by configuration, never past
 * what the gateway lets through); the gateway refuses bodies past the largest
 * limit before reading them.
 */

export const ASSET_KINDS = ['image', 'video'] as const;
export type AssetKind = (typeof ASSET_KINDS)[number];

/**
 * The allow-list: every format an asset may have, decided from the file's
 * first bytes. SVG is left out on purpose (it can carry scripts).
 */
export const FORMATS = {
  png: { kind: 'image', mediaType: 'image/png' },
  jpg: { kind: 'image', mediaType: 'image/jpeg' },
  gif: { kind: 'image', mediaType: 'image/gif' },
  webp: { kind: 'image', mediaType: 'image/webp' },
  avif: { kind: 'image', mediaType: 'image/avif' },
  mp4: { kind: 'video', mediaType: 'video/mp4' },
  webm: { kind: 'video', mediaType: 'video/webm' },
  mov: { kind: 'video', mediaType: 'video/quicktime' },
} as const satisfies Record<string, { kind: AssetKind; mediaType: string }>;
export type Format = keyof typeof FORMATS;

const MiB = 1024 * 1024;

/** Default size limits per kind, in bytes (413 beyond). */
export const MAX_BYTES: Record<AssetKind, number> = { image: 20 * MiB, video: 512 * MiB };

/** Default total of the assets of one course, in bytes (413 beyond). */
export const COURSE_QUOTA_BYTES = 5 * 1024 * MiB;

/** Longest file name kept as an asset's label. */
export const MAX_FILENAME_LENGTH = 255;
