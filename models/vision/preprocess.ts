/**
 * CLIP image preprocessing: resize so the shorter side equals the model's input size, center
 * crop to a square, normalize with CLIP's mean/std into [3, S, S] float32.
 *
 *   const px = preprocessBytes(pngOrJpegBytes, 224);   // Float32Array(3·224·224)
 *   const batch = preprocessBatch([imgA, imgB], 64);   // { data, dims: [2, 3, 64, 64] }
 *
 * Large inputs are first halved repeatedly with a 2×2 box filter (cheap and alias-free) while
 * the shorter side stays ≥ 2·S, then bilinearly resampled; tiny inputs (down to 1×1) are
 * bilinearly upscaled. HF's CLIPImageProcessor uses bicubic resampling, so values differ from
 * it slightly at edges; the geometry (shortest edge, then center crop) is the same.
 */
import { decodeImage } from './decode.ts';
import { type Rgb8, normalizeInto } from './normalize.ts';

/** 2×2 box downscale (odd trailing row/column folded into the last output pixel's neighbour). */
export function halve(img: Rgb8): Rgb8 {
  const w = Math.max(1, img.width >> 1), h = Math.max(1, img.height >> 1);
  const out = new Uint8Array(w * h * 3);
  const sw = img.width, sh = img.height, src = img.data;
  for (let y = 0; y < h; y++) {
    const y0 = Math.min(sh - 1, 2 * y), y1 = Math.min(sh - 1, 2 * y + 1);
    for (let x = 0; x < w; x++) {
      const x0 = Math.min(sw - 1, 2 * x), x1 = Math.min(sw - 1, 2 * x + 1);
      for (let c = 0; c < 3; c++) {
        const s = src[(y0 * sw + x0) * 3 + c] + src[(y0 * sw + x1) * 3 + c] + src[(y1 * sw + x0) * 3 + c] + src[(y1 * sw + x1) * 3 + c];
        out[(y * w + x) * 3 + c] = (s + 2) >> 2;
      }
    }
  }
  return { width: w, height: h, data: out };
}

/** Bilinear resample to exactly w×h (pixel centers aligned, edges clamped). */
export function resizeBilinear(img: Rgb8, w: number, h: number): Rgb8 {
  const out = new Uint8Array(w * h * 3);
  const sx = img.width / w, sy = img.height / h, src = img.data, sw = img.width;
  for (let y = 0; y < h; y++) {
    const fy = Math.min(img.height - 1, Math.max(0, (y + 0.5) * sy - 0.5));
    const y0 = Math.floor(fy), y1 = Math.min(img.height - 1, y0 + 1), ty = fy - y0;
    for (let x = 0; x < w; x++) {
      const fx = Math.min(img.width - 1, Math.max(0, (x + 0.5) * sx - 0.5));
      const x0 = Math.floor(fx), x1 = Math.min(img.width - 1, x0 + 1), tx = fx - x0;
      for (let c = 0; c < 3; c++) {
        const a = src[(y0 * sw + x0) * 3 + c] * (1 - tx) + src[(y0 * sw + x1) * 3 + c] * tx;
        const b = src[(y1 * sw + x0) * 3 + c] * (1 - tx) + src[(y1 * sw + x1) * 3 + c] * tx;
        out[(y * w + x) * 3 + c] = Math.round(a * (1 - ty) + b * ty);
      }
    }
  }
  return { width: w, height: h, data: out };
}

/** Shorter side → size (progressive halving first), then the centered size×size crop. */
export function resizeAndCrop(img: Rgb8, size: number): Rgb8 {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`resizeAndCrop: size must be a positive integer, got ${size}`);
  if (img.width < 1 || img.height < 1) throw new RangeError(`resizeAndCrop: empty image ${img.width}×${img.height}`);
  let cur = img;
  while (Math.min(cur.width, cur.height) >= 2 * size) cur = halve(cur);
  const scale = size / Math.min(cur.width, cur.height);
  const w = Math.max(size, Math.round(cur.width * scale)), h = Math.max(size, Math.round(cur.height * scale));
  const resized = w === cur.width && h === cur.height ? cur : resizeBilinear(cur, w, h);
  const x0 = Math.floor((w - size) / 2), y0 = Math.floor((h - size) / 2);
  if (w === size && h === size) return resized;
  const out = new Uint8Array(size * size * 3);
  for (let y = 0; y < size; y++) out.set(resized.data.subarray(((y0 + y) * w + x0) * 3, ((y0 + y) * w + x0 + size) * 3), y * size * 3);
  return { width: size, height: size, data: out };
}

/** One image → [3, size, size] normalized. */
export function preprocessImage(img: Rgb8, size: number): Float32Array {
  const out = new Float32Array(3 * size * size);
  normalizeInto(resizeAndCrop(img, size), out);
  return out;
}

/** PNG/JPEG bytes → [3, size, size] (throws ImageDecodeError on bad input; see decode.ts). */
export function preprocessBytes(bytes: Uint8Array, size: number): Float32Array {
  return preprocessImage(decodeImage(bytes), size);
}

/** Images of any sizes → [n, 3, size, size]. */
export function preprocessBatch(imgs: readonly Rgb8[], size: number): { data: Float32Array; dims: [number, 3, number, number] } {
  const per = 3 * size * size;
  const data = new Float32Array(imgs.length * per);
  imgs.forEach((img, i) => normalizeInto(resizeAndCrop(img, size), data, i * per));
  return { data, dims: [imgs.length, 3, size, size] };
}
