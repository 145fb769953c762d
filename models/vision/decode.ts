/**
 * Image bytes → 8-bit RGB, in Node and workers without a canvas: PNG through fast-png, JPEG
 * through jpeg-js. Bad input never crashes the caller with an obscure error: non-image bytes,
 * truncated files and images above MAX_PIXELS throw an ImageDecodeError with a code and a
 * sentence for the user. The size check reads the header first, so a 8000×8000 file is
 * rejected before any pixel buffer is allocated. Alpha is composited over white (renders and
 * icons with transparent backgrounds then look as they do on a page).
 * (Browser main thread / worker with createImageBitmap: decodeBrowser.ts.)
 */
import { convertIndexedToRgb, decode as decodePngRaw, hasPngSignature } from 'fast-png';
import jpeg from 'jpeg-js';
import type { Rgb8 } from './normalize.ts';

/** 40 megapixels (e.g. 8000×5000): larger inputs are rejected with a clear message. */
export const MAX_PIXELS = 40_000_000;

export type ImageDecodeCode = 'empty' | 'not-an-image' | 'corrupt' | 'too-large';

export class ImageDecodeError extends Error {
  constructor(readonly code: ImageDecodeCode, message: string) {
    super(message);
    this.name = 'ImageDecodeError';
  }
}

export type ImageFormat = 'png' | 'jpeg';

export function sniffFormat(bytes: Uint8Array): ImageFormat | null {
  if (bytes.length >= 8 && hasPngSignature(bytes)) return 'png';
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  return null;
}

/** Width and height from the header (PNG IHDR; JPEG's first SOF marker), or null when absent. */
export function readDimensions(bytes: Uint8Array, format: ImageFormat): { width: number; height: number } | null {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (format === 'png') return bytes.length >= 24 ? { width: dv.getUint32(16), height: dv.getUint32(20) } : null;
  let o = 2;
  while (o + 9 < bytes.length) {
    if (bytes[o] !== 0xff) { o++; continue; }
    const marker = bytes[o + 1];
    const len = dv.getUint16(o + 2);
    // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC).
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) return { height: dv.getUint16(o + 5), width: dv.getUint16(o + 7) };
    o += 2 + len;
  }
  return null;
}

function describe(bytes: Uint8Array): string {
  const head = Array.from(bytes.subarray(0, 8), (b) => b.toString(16).padStart(2, '0')).join(' ');
  return `${bytes.length} bytes starting ${head}`;
}

export function decodeImage(bytes: Uint8Array, opts: { maxPixels?: number } = {}): Rgb8 {
  if (!(bytes instanceof Uint8Array) || bytes.length === 0) throw new ImageDecodeError('empty', 'no image data (empty file)');
  const format = sniffFormat(bytes);
  if (!format) throw new ImageDecodeError('not-an-image', `not a PNG or JPEG image (${describe(bytes)})`);
  const dims = readDimensions(bytes, format);
  if (!dims || dims.width < 1 || dims.height < 1) throw new ImageDecodeError('corrupt', `corrupt ${format.toUpperCase()}: no valid image size in the header`);
  const max = opts.maxPixels ?? MAX_PIXELS;
  if (dims.width * dims.height > max) {
    throw new ImageDecodeError('too-large', `image is ${dims.width}×${dims.height} (${(dims.width * dims.height / 1e6).toFixed(1)} MP); the limit is ${(max / 1e6).toFixed(0)} MP — downscale it first`);
  }
  try {
    return format === 'png' ? decodePng(bytes) : decodeJpeg(bytes, max);
  } catch (e) {
    if (e instanceof ImageDecodeError) throw e;
    throw new ImageDecodeError('corrupt', `corrupt ${format.toUpperCase()}: ${(e as Error).message}`);
  }
}

function decodeJpeg(bytes: Uint8Array, maxPixels: number): Rgb8 {
  const j = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: false, maxResolutionInMP: Math.ceil(maxPixels / 1e6), maxMemoryUsageInMB: 1024 });
  return { width: j.width, height: j.height, data: new Uint8Array(j.data.buffer, j.data.byteOffset, j.data.byteLength) };
}

function decodePng(bytes: Uint8Array): Rgb8 {
  const png = decodePngRaw(bytes);
  const { width, height } = png;
  let ch = png.channels;
  let src: ArrayLike<number> = png.data;
  let maxV = png.depth === 16 ? 65535 : 255;
  if (png.palette) {
    src = convertIndexedToRgb(png);
    ch = png.palette[0]?.length ?? 3;
    maxV = 255;
  } else if (png.depth < 8) {
    src = unpackBits(png.data as Uint8Array, width, height, ch, png.depth);
    maxV = (1 << png.depth) - 1;
  }
  const n = width * height;
  if (src.length < n * ch) throw new ImageDecodeError('corrupt', `corrupt PNG: ${src.length} samples for ${width}×${height}×${ch}`);
  const out = new Uint8Array(n * 3);
  const hasAlpha = ch === 2 || ch === 4;
  for (let i = 0; i < n; i++) {
    const a = hasAlpha ? src[i * ch + ch - 1] / maxV : 1;
    for (let c = 0; c < 3; c++) {
      const v = (ch >= 3 ? src[i * ch + c] : src[i * ch]) / maxV;
      out[i * 3 + c] = Math.round(255 * (v * a + (1 - a)));
    }
  }
  return { width, height, data: out };
}

/** Sub-byte samples (1/2/4-bit gray) to one sample per entry; rows are byte-aligned. */
function unpackBits(data: Uint8Array, w: number, h: number, ch: number, depth: number): Uint8Array {
  const out = new Uint8Array(w * h * ch);
  const rowBytes = Math.ceil((w * ch * depth) / 8), mask = (1 << depth) - 1;
  for (let y = 0; y < h; y++) for (let x = 0; x < w * ch; x++) {
    const bit = x * depth;
    out[y * w * ch + x] = (data[y * rowBytes + (bit >> 3)] >> (8 - depth - (bit & 7))) & mask;
  }
  return out;
}
