import { media } from '@testmancer/contracts';
import { invalid, unsupported } from '@testmancer/shared';
import { filetypeinfo } from 'magic-bytes.js';
import { imageSize } from 'image-size';
import type { AssetKind, Format } from './asset';

/** Enough of a file's start to recognise every allowed format (and to read most images' dimensions). */
export const SNIFF_BYTES = 4096;

export interface DetectedFormat {
  readonly format: Format;
  readonly kind: AssetKind;
  readonly mediaType: string;
}

/** magic-bytes.js names for the allowed formats; every other name is refused. */
const BY_SIGNATURE: Readonly<Record<string, Format>> = {
  png: 'png',
  apng: 'png',
  jpg: 'jpg',
  gif: 'gif',
  webp: 'webp',
  avif: 'avif',
  mp4: 'mp4',
  mov: 'mov',
  // Matroska and WebM share their signature; the EBML DocType tells them apart (below).
  mkv: 'webm',
};

/** The EBML DocType element (0x4282), its one-byte size, then "webm". */
const isWebmDocType = (head: Buffer): boolean => {
  const at = head.indexOf(Buffer.from([0x42, 0x82]));
  return at >= 0 && head.subarray(at + 3, at + 7).toString('latin1') === 'webm';
};

/**
 * The format of a file, decided from its first bytes only (never from its
 * name or the type its sender declared); undefined when it is none of the
 * allowed ones. Also what it appears to be, for the refusal's message.
 */
export function detectFormat(head: Buffer): { detected?: DetectedFormat; seenAs?: string } {
  const guesses = filetypeinfo(head);
  for (const guess of guesses) {
    const format = BY_SIGNATURE[guess.typename];
    if (!format || (guess.typename === 'mkv' && !isWebmDocType(head))) continue;
    const { kind, mediaType } = media.FORMATS[format];
    return { detected: { format, kind, mediaType } };
  }
  return guesses[0] ? { seenAs: guesses[0].typename } : {};
}

/** Refuses a file that is not of an allowed format, naming what it looked like. */
export function requireAllowedFormat(head: Buffer): DetectedFormat {
  if (head.length === 0) throw invalid('the file is empty', [{ path: 'file', message: 'empty' }]);
  const { detected, seenAs } = detectFormat(head);
  if (detected) return detected;
  const allowed = Object.keys(media.FORMATS).join(', ');
  throw unsupported(
    `${seenAs ? `the file's content is ${seenAs}, which` : 'the file is of a type that'} is not allowed; allowed: ${allowed}`,
  );
}

const declaredAliases: Readonly<Record<string, string>> = {
  'image/jpg': 'image/jpeg',
  'image/pjpeg': 'image/jpeg',
  'video/mov': 'video/quicktime',
};

/**
 * A sender's declared type must agree with the content when it names one
 * (`application/octet-stream`, or nothing, names none).
 */
export function requireDeclaredTypeMatches(declared: string, detected: DetectedFormat): void {
  const type = declared.split(';')[0]?.trim().toLowerCase() ?? '';
  if (type === '' || type === 'application/octet-stream') return;
  if ((declaredAliases[type] ?? type) === detected.mediaType) return;
  throw unsupported(`the file was sent as ${type} but its content is ${detected.mediaType}`);
}

/** An image's width and height read from its first bytes; undefined when they are not among them. */
export function imageDimensions(head: Buffer): { width: number; height: number } | undefined {
  try {
    const { width, height } = imageSize(head);
    return width > 0 && height > 0 ? { width, height } : undefined;
  } catch {
    return undefined;
  }
}
