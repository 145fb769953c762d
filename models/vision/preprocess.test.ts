import { describe, expect, it } from 'vitest';
import { encode as encodePng } from 'fast-png';
import jpeg from 'jpeg-js';
import { CLIP_MEAN, CLIP_STD } from '../zoo/clip/config.ts';
import { ImageDecodeError, decodeImage, readDimensions } from './decode.ts';
import { halve, preprocessBatch, preprocessBytes, resizeAndCrop } from './preprocess.ts';
import type { Rgb8 } from './normalize.ts';

const solid = (w: number, h: number, rgb: [number, number, number]): Rgb8 => {
  const data = new Uint8Array(w * h * 3);
  for (let i = 0; i < w * h; i++) data.set(rgb, i * 3);
  return { width: w, height: h, data };
};
const png = (img: Rgb8) => encodePng({ width: img.width, height: img.height, data: img.data, channels: 3, depth: 8 });
const norm = (v: number, c: number) => (v / 255 - CLIP_MEAN[c]) / CLIP_STD[c];
const codeOf = (f: () => unknown): string => {
  try { f(); } catch (e) { return e instanceof ImageDecodeError ? e.code : `other: ${(e as Error).message}`; }
  return 'no error';
};

describe('decodeImage', () => {
  it('rejects empty and non-image bytes with a clear error', () => {
    expect(codeOf(() => decodeImage(new Uint8Array(0)))).toBe('empty');
    const text = new TextEncoder().encode('hello, this is not an image');
    expect(codeOf(() => decodeImage(text))).toBe('not-an-image');
    expect(() => decodeImage(text)).toThrow(/not a PNG or JPEG image \(27 bytes starting 68 65/);
  });

  it('reports a truncated PNG as corrupt instead of crashing', () => {
    const bytes = png(solid(32, 32, [10, 20, 30]));
    expect(codeOf(() => decodeImage(bytes.subarray(0, 40)))).toBe('corrupt');
    expect(codeOf(() => decodeImage(bytes.subarray(0, 12)))).toBe('corrupt');
  });

  it('rejects an 8000×8000 image from its header, before allocating pixels', () => {
    // A real 8000×8000 PNG would need 192 MB just to build here; the decoder never reaches the
    // pixel data for it anyway, because the IHDR size is checked first. So: a valid small PNG
    // whose IHDR says 8000×8000.
    const bytes = png(solid(4, 4, [0, 0, 0])).slice();
    const dv = new DataView(bytes.buffer);
    dv.setUint32(16, 8000);
    dv.setUint32(20, 8000);
    expect(readDimensions(bytes, 'png')).toEqual({ width: 8000, height: 8000 });
    expect(() => decodeImage(bytes)).toThrow(/8000×8000 \(64\.0 MP\); the limit is 40 MP/);
    expect(codeOf(() => decodeImage(bytes))).toBe('too-large');
  });

  it('decodes JPEG (size from the SOF marker) and composites PNG alpha over white', () => {
    const w = 16, h = 8, rgba = new Uint8Array(w * h * 4);
    for (let i = 0; i < w * h; i++) rgba.set([200, 40, 40, 255], i * 4);
    const jpg = jpeg.encode({ width: w, height: h, data: rgba }, 95).data;
    expect(readDimensions(jpg, 'jpeg')).toEqual({ width: 16, height: 8 });
    const img = decodeImage(jpg);
    expect([img.width, img.height]).toEqual([16, 8]);
    expect(Math.abs(img.data[0] - 200)).toBeLessThan(8);
    const half = encodePng({ width: 1, height: 1, data: Uint8Array.of(0, 0, 0, 128), channels: 4, depth: 8 });
    expect(Array.from(decodeImage(half).data)).toEqual([127, 127, 127]);
  });
});

describe('preprocess', () => {
  it('upscales a 1×1 image to a full, constant, normalized input', () => {
    const px = preprocessBytes(png(solid(1, 1, [255, 0, 128])), 64);
    expect(px.length).toBe(3 * 64 * 64);
    for (let c = 0; c < 3; c++) {
      const v = [255, 0, 128][c];
      expect(px[c * 4096]).toBeCloseTo(norm(v, c), 5);
      expect(px[c * 4096 + 4095]).toBeCloseTo(norm(v, c), 5);
    }
  });

  it('resizes the shorter side and center-crops (left/right thirds of a wide image are cut)', () => {
    // 300×100: red | green | blue thirds. Shorter side 100 → 64; the centered crop is all green.
    const img = solid(300, 100, [0, 0, 0]);
    for (let y = 0; y < 100; y++) for (let x = 0; x < 300; x++) img.data.set(x < 100 ? [255, 0, 0] : x < 200 ? [0, 255, 0] : [0, 0, 255], (y * 300 + x) * 3);
    const out = resizeAndCrop(img, 64);
    expect([out.width, out.height]).toEqual([64, 64]);
    const px = (x: number, y: number) => Array.from(out.data.subarray((y * 64 + x) * 3, (y * 64 + x) * 3 + 3));
    expect(px(1, 1)).toEqual([0, 255, 0]);
    expect(px(62, 62)).toEqual([0, 255, 0]);
  });

  it('downscales a large image progressively and keeps its layout', () => {
    // 1600×1200, top half white, bottom half black: after 1600×1200 → … → 64×64 the rows flip at the middle.
    const img = solid(1600, 1200, [0, 0, 0]);
    img.data.fill(255, 0, 1600 * 600 * 3);
    const out = resizeAndCrop(img, 64);
    expect(out.data[(5 * 64 + 32) * 3]).toBe(255);
    expect(out.data[(58 * 64 + 32) * 3]).toBe(0);
    expect(halve(solid(5, 3, [9, 9, 9]))).toMatchObject({ width: 2, height: 1 });
  });

  it('stacks images of different sizes into one batch', () => {
    const b = preprocessBatch([solid(10, 20, [0, 0, 0]), solid(3, 3, [255, 255, 255])], 8);
    expect(b.dims).toEqual([2, 3, 8, 8]);
    expect(b.data[0]).toBeCloseTo(norm(0, 0), 5);
    expect(b.data[3 * 64]).toBeCloseTo(norm(255, 0), 5);
    expect(() => resizeAndCrop(solid(2, 2, [0, 0, 0]), 0)).toThrow(RangeError);
  });
});
