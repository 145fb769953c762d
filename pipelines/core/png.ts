/**
 * PNG encode/decode (fast-png) with tEXt chunks, so every saved output carries its recipe.
 *
 *   const bytes = encodePng({ width, height, channels: 3, data: rgb }, { recipe: JSON.stringify(r) });
 *   const img = decodePng(bytes);   // img.text.recipe
 *
 * Always 8-bit RGB or RGBA out of decode (gray, palette and 16-bit inputs are converted), so callers
 * handle one layout. Bad bytes throw a PngError with a readable message instead of a library stack.
 */
import { decode, encode, convertIndexedToRgb, hasPngSignature } from 'fast-png';

export interface RasterImage {
  width: number;
  height: number;
  /** 3 (RGB) or 4 (RGBA), interleaved, row 0 at the top. */
  channels: 3 | 4;
  data: Uint8Array;
}

export interface DecodedImage extends RasterImage {
  /** tEXt key/value pairs found in the file. */
  text: Record<string, string>;
}

export class PngError extends Error {
  override name = 'PngError';
}

/** tEXt keywords are 1-79 Latin-1 characters; values are Latin-1 (non-Latin-1 is escaped). */
function checkKeyword(key: string): void {
  if (!/^[\x20-\x7e\xa1-\xff]{1,79}$/.test(key) || key.startsWith(' ') || key.endsWith(' ')) {
    throw new PngError(`invalid PNG tEXt keyword ${JSON.stringify(key)}`);
  }
}

/** tEXt is Latin-1: escape anything else as \uXXXX so JSON recipes with emoji survive the trip. */
function toLatin1(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const code = s.charCodeAt(i);
    // NUL ends a tEXt field and "\u" starts our escapes: escape both, plus everything above Latin-1.
    if (code === 0 || code > 0xff || (s[i] === '\\' && s[i + 1] === 'u')) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += s[i];
  }
  return out;
}

function fromLatin1(s: string): string {
  return s.replace(/\\u([0-9a-f]{4})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
}

export function encodePng(img: RasterImage, text: Record<string, string> = {}): Uint8Array {
  const { width, height, channels, data } = img;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new PngError(`bad PNG size ${width}x${height}`);
  }
  if (data.length !== width * height * channels) {
    throw new PngError(`data has ${data.length} bytes, expected ${width}x${height}x${channels}`);
  }
  const chunks: Record<string, string> = {};
  for (const [k, v] of Object.entries(text)) {
    checkKeyword(k);
    chunks[k] = toLatin1(v);
  }
  return encode({ width, height, channels, depth: 8, data, text: chunks });
}

/** 1/2/4-bit samples are packed MSB-first, each row starting on a byte boundary (PNG §7.2). */
function unpackBits(data: ArrayLike<number>, width: number, height: number, channels: number, depth: number): Uint8Array {
  const perRow = width * channels;
  const rowBytes = Math.ceil((perRow * depth) / 8);
  const mask = (1 << depth) - 1;
  const out = new Uint8Array(perRow * height);
  for (let y = 0; y < height; y++) {
    for (let k = 0; k < perRow; k++) {
      const bit = k * depth;
      const byte = data[y * rowBytes + (bit >> 3)];
      out[y * perRow + k] = (byte >> (8 - depth - (bit & 7))) & mask;
    }
  }
  return out;
}

export function decodePng(bytes: Uint8Array): DecodedImage {
  if (!hasPngSignature(bytes)) throw new PngError('not a PNG file (bad signature)');
  let png;
  try {
    png = decode(bytes);
  } catch (e) {
    throw new PngError(`corrupt PNG: ${(e as Error).message}`);
  }
  const text: Record<string, string> = {};
  for (const [k, v] of Object.entries(png.text ?? {})) text[k] = fromLatin1(v);
  let channels = png.channels;
  let src: ArrayLike<number> = png.data;
  if (png.palette) {
    src = convertIndexedToRgb(png);
    channels = png.palette[0]?.length ?? 3;
  } else if (png.depth < 8) {
    src = unpackBits(png.data, png.width, png.height, channels, png.depth);
  }
  const n = png.width * png.height;
  const shift = png.depth === 16 ? 8 : 0;
  const scale = png.depth < 8 && !png.palette ? 255 / ((1 << png.depth) - 1) : 1;
  const outCh: 3 | 4 = channels === 2 || channels === 4 ? 4 : 3;
  const out = new Uint8Array(n * outCh);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < outCh; c++) {
      let v: number;
      if (channels >= 3) v = c < channels ? src[i * channels + c] : 255;
      else v = c < 3 ? src[i * channels] : src[i * channels + 1]; // gray (+ alpha)
      out[i * outCh + c] = Math.round((v >> shift) * scale);
    }
  }
  return { width: png.width, height: png.height, channels: outCh, data: out, text };
}
