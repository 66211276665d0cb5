import { mp4, png } from '@testmancer/testing';
import { DomainError } from '@testmancer/shared';
import { detectFormat, imageDimensions, requireAllowedFormat, requireDeclaredTypeMatches } from '../../src/domain/format';
import { checkQuota, checkSize, DEFAULT_LIMITS, validateFilename } from '../../src/domain/upload';

const kindOf = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return error instanceof DomainError ? error.kind : 'other';
  }
  return 'none';
};

const ebml = (docType: string) =>
  Buffer.concat([
    Buffer.from('1a45dfa39f4286810142f7810142f2810442f381084282', 'hex'),
    Buffer.from([0x80 | docType.length]),
    Buffer.from(docType),
  ]);

describe('format from the first bytes', () => {
  test.each([
    ['png', png(2, 2)],
    ['jpg', Buffer.from('ffd8ffe000104a46494600', 'hex')],
    ['gif', Buffer.from('GIF89a\x01\x00\x01\x00', 'latin1')],
    ['webp', Buffer.concat([Buffer.from('RIFF\0\0\0\0WEBPVP8 ', 'latin1')])],
    ['mp4', mp4(10)],
    ['mov', Buffer.concat([Buffer.from('00000014', 'hex'), Buffer.from('ftypqt  \0\0\0\0qt  ', 'latin1')])],
    ['webm', ebml('webm')],
  ])('%s is recognised', (format, head) => {
    expect(detectFormat(head).detected?.format).toBe(format);
  });

  test('Matroska that is not WebM, SVG, scripts, PDF and ELF are refused (415), naming what they look like when known', () => {
    for (const head of [
      ebml('matroska'),
      Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'),
      Buffer.from('#!/bin/sh\n'),
      Buffer.from('%PDF-1.7\n'),
    ]) {
      expect(kindOf(() => requireAllowedFormat(head))).toBe('unsupported');
    }
    expect(() => requireAllowedFormat(Buffer.from('%PDF-1.7\n'))).toThrow(/pdf/i);
  });

  test('an empty file is invalid (400), not unsupported', () => {
    expect(kindOf(() => requireAllowedFormat(Buffer.alloc(0)))).toBe('invalid');
  });

  test('a declared type must agree with the content; octet-stream and nothing declare none', () => {
    const detected = requireAllowedFormat(png(2, 2));
    for (const declared of ['', 'application/octet-stream', 'image/png', 'IMAGE/PNG; charset=binary']) {
      expect(kindOf(() => requireDeclaredTypeMatches(declared, detected))).toBe('none');
    }
    expect(kindOf(() => requireDeclaredTypeMatches('image/jpeg', detected))).toBe('unsupported');
    expect(kindOf(() => requireDeclaredTypeMatches('image/jpg', requireAllowedFormat(Buffer.from('ffd8ffe000104a46494600', 'hex'))))).toBe(
      'none',
    );
  });

  test('image dimensions from the head; none from a truncated one', () => {
    expect(imageDimensions(png(640, 480))).toEqual({ width: 640, height: 480 });
    expect(imageDimensions(png(640, 480).subarray(0, 12))).toBeUndefined();
  });
});

describe('limits and names', () => {
  test('per kind, and the largest before the kind is known', () => {
    expect(kindOf(() => checkSize('image', DEFAULT_LIMITS.maxBytes.image, DEFAULT_LIMITS))).toBe('none');
    expect(kindOf(() => checkSize('image', DEFAULT_LIMITS.maxBytes.image + 1, DEFAULT_LIMITS))).toBe('too_large');
    expect(kindOf(() => checkSize(undefined, DEFAULT_LIMITS.maxBytes.image + 1, DEFAULT_LIMITS))).toBe('none');
    expect(kindOf(() => checkSize(undefined, DEFAULT_LIMITS.maxBytes.video + 1, DEFAULT_LIMITS))).toBe('too_large');
    expect(kindOf(() => checkQuota(11, 10))).toBe('too_large');
  });

  test.each(['../x.png', 'a/b.png', 'a\\b.png', '..', 'C:evil.png', 'tab\there.png', '', ' ', 'x'.repeat(256)])(
    'the name %j is refused',
    (name) => {
      expect(kindOf(() => validateFilename(name))).toBe('invalid');
    },
  );

  test.each(['photo.png', 'My holiday (1).jpg', 'résumé.webp', 'a..b.png'])('the name %j is kept', (name) => {
    expect(validateFilename(name)).toBe(name);
  });
});
