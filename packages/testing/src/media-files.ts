import { crc32, deflateSync } from 'node:zlib';

const pngChunk = (type: string, data: Buffer) => {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typed = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typed));
  return Buffer.concat([length, typed, crc]);
};

/**
 * A real PNG of `width` × `height` RGB pixels. `noise` makes the pixels random (the file then
 * stays about 3 bytes a pixel); `padding` adds that many bytes in an ancillary chunk, to make a
 * file of a given size cheaply.
 */
export function png(width: number, height: number, options: { noise?: boolean; padding?: number } = {}): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.writeUInt8(8, 8); // bit depth
  header.writeUInt8(2, 9); // RGB
  const row = 1 + width * 3;
  const pixels = Buffer.alloc(row * height);
  let seed = 7;
  if (options.noise)
    for (let i = 0; i < pixels.length; i++) if (i % row !== 0) pixels[i] = (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 24;
  return Buffer.concat([
    Buffer.from('89504e470d0a1a0a', 'hex'),
    pngChunk('IHDR', header),
    ...(options.padding ? [pngChunk('zzZz', Buffer.alloc(options.padding, 0x61))] : []),
    pngChunk('IDAT', deflateSync(pixels, { level: options.noise ? 0 : 6 })),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/** The first bytes of an MP4 (an `ftyp` box), then `payload` bytes: what format checks look at is the signature. */
export function mp4(payload = 2000): Buffer {
  const ftyp = Buffer.concat([
    Buffer.from('00000018', 'hex'),
    Buffer.from('ftypisom', 'latin1'),
    Buffer.from('00000200', 'hex'),
    Buffer.from('isomiso2', 'latin1'),
  ]);
  return Buffer.concat([ftyp, Buffer.alloc(payload, 1)]);
}
