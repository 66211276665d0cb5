import { media } from '@testmancer/contracts';
import { invalid, tooLarge } from '@testmancer/shared';
import type { AssetKind } from './asset';

export interface SizeLimits {
  readonly maxBytes: Readonly<Record<AssetKind, number>>;
  readonly courseQuotaBytes: number;
}

export const DEFAULT_LIMITS: SizeLimits = { maxBytes: media.MAX_BYTES, courseQuotaBytes: media.COURSE_QUOTA_BYTES };

const MiB = 1024 * 1024;
const inMiB = (bytes: number) => `${(bytes / MiB).toFixed(bytes % MiB === 0 ? 0 : 1)} MiB`;

/** The largest file any kind allows: a stream past it is refused before its kind is known. */
export const largestAllowed = (limits: SizeLimits): number => Math.max(...Object.values(limits.maxBytes));

export function checkSize(kind: AssetKind | undefined, bytes: number, limits: SizeLimits): void {
  const limit = kind ? limits.maxBytes[kind] : largestAllowed(limits);
  if (bytes > limit) throw tooLarge(`${kind ? `${kind} files are` : 'files are'} limited to ${inMiB(limit)}`);
}

export function checkQuota(usedBytes: number, courseQuotaBytes: number): void {
  if (usedBytes > courseQuotaBytes) {
    throw tooLarge(`this upload would take the course's media past its quota of ${inMiB(courseQuotaBytes)}`);
  }
}

// Control characters, path separators and the characters Windows forbids in names.
// eslint-disable-next-line no-control-regex
const UNSAFE_IN_NAME = /[\u0000-\u001f\u007f/\\:*?"<>|]/;

/**
 * A file name is kept as a label only (assets are stored under their id), but
 * a name that tries to be a path is refused rather than silently changed:
 * its sender is told, and no later consumer of the label can be tricked.
 */
export function validateFilename(filename: string): string {
  const name = filename.normalize('NFC');
  const problem =
    name.trim() === ''
      ? 'the file needs a name'
      : name.length > media.MAX_FILENAME_LENGTH
        ? `file names are limited to ${media.MAX_FILENAME_LENGTH} characters`
        : UNSAFE_IN_NAME.test(name) || name === '.' || name === '..' || name.startsWith('..')
          ? 'the file name must be a plain name, without path separators, ".." or control characters'
          : undefined;
  if (problem) throw invalid(problem, [{ path: 'file/filename', message: problem }]);
  return name;
}
