/**
 * RGB bytes → CLIP input tensor: channels-first float32, (x/255 − mean) / std per channel.
 * The micro models and real CLIP share OpenAI's mean/std (zoo/clip/config.ts).
 */
import { CLIP_MEAN, CLIP_STD } from '../zoo/clip/config.ts';

export interface Rgb8 {
  width: number;
  height: number;
  /** Interleaved RGB, row 0 at the top; length width·height·3. */
  data: Uint8Array;
}

/** Writes one image as [3, H, W] into `out` at `offset` (so batches are filled without copies). */
export function normalizeInto(img: Rgb8, out: Float32Array, offset = 0, mean: readonly number[] = CLIP_MEAN, std: readonly number[] = CLIP_STD): void {
  const n = img.width * img.height;
  if (img.data.length !== n * 3) throw new Error(`normalize: ${img.data.length} bytes for a ${img.width}×${img.height} RGB image (expected ${n * 3})`);
  if (out.length < offset + 3 * n) throw new Error(`normalize: output too small (${out.length} < ${offset + 3 * n})`);
  for (let c = 0; c < 3; c++) {
    const s = 1 / (255 * std[c]), m = mean[c] / std[c], base = offset + c * n;
    for (let i = 0; i < n; i++) out[base + i] = img.data[i * 3 + c] * s - m;
  }
}

/** Stack images of equal size into a [N, 3, H, W] tensor. */
export function normalizeBatch(imgs: readonly Rgb8[]): { data: Float32Array; dims: [number, 3, number, number] } {
  if (imgs.length === 0) throw new Error('normalizeBatch: no images');
  const { width: w, height: h } = imgs[0];
  const data = new Float32Array(imgs.length * 3 * w * h);
  imgs.forEach((img, i) => {
    if (img.width !== w || img.height !== h) throw new Error(`normalizeBatch: image ${i} is ${img.width}×${img.height}, expected ${w}×${h}`);
    normalizeInto(img, data, i * 3 * w * h);
  });
  return { data, dims: [imgs.length, 3, h, w] };
}
