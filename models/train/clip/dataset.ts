/**
 * Training pairs for the Trainer: every (image, caption) pair of a sample set is one item, so
 * the seeded DataLoader's shuffle decides which phrasing an image is seen with, and a resumed
 * run replays the same pairs. Captions are tokenized once up front.
 *
 * Targets are soft: item j counts as a positive of item i when they share the image or have the
 * same caption text (two "a photo of a red object" in one batch are both right), each row
 * normalized to sum 1, for both directions of the symmetric loss.
 */
import type { Dataset, HostTensor } from '../DataLoader.ts';
import { normalizeInto } from '../../vision/normalize.ts';
import type { MicroTokenizer } from '../../text/tokenizer.ts';
import type { ClipSample } from './samples.ts';

export class ClipPairDataset implements Dataset {
  readonly size: number;
  private readonly imageOf: Int32Array;
  private readonly textOf: Int32Array;
  private readonly ids: BigInt64Array;
  private readonly pixels: Float32Array;
  private readonly L: number;
  private readonly pixelsPer: number;

  constructor(readonly samples: readonly ClipSample[], tok: MicroTokenizer) {
    const pairs: [number, string][] = [];
    samples.forEach((s, i) => { for (const c of s.captions) pairs.push([i, c]); });
    this.size = pairs.length;
    this.L = tok.contextLength;
    const textIds = new Map<string, number>();
    this.imageOf = Int32Array.from(pairs, ([i]) => i);
    this.textOf = Int32Array.from(pairs, ([, c]) => {
      let k = textIds.get(c);
      if (k === undefined) textIds.set(c, (k = textIds.size));
      return k;
    });
    this.ids = new BigInt64Array(pairs.length * this.L);
    pairs.forEach(([, c], p) => {
      const e = tok.encode(c);
      for (let t = 0; t < this.L; t++) this.ids[p * this.L + t] = BigInt(e.ids[t]);
    });
    const { width: w, height: h } = samples[0].image;
    this.pixelsPer = 3 * w * h;
    this.pixels = new Float32Array(samples.length * this.pixelsPer);
    samples.forEach((s, i) => normalizeInto(s.image, this.pixels, i * this.pixelsPer));
  }

  collate(indices: readonly number[]): Record<string, HostTensor> {
    const B = indices.length, L = this.L, P = this.pixelsPer;
    const { width: w, height: h } = this.samples[0].image;
    const px = new Float32Array(B * P);
    const ids = new BigInt64Array(B * L);
    indices.forEach((p, i) => {
      const img = this.imageOf[p];
      px.set(this.pixels.subarray(img * P, (img + 1) * P), i * P);
      ids.set(this.ids.subarray(p * L, (p + 1) * L), i * L);
    });
    const labels = positives(indices.map((p) => this.imageOf[p]), indices.map((p) => this.textOf[p]));
    return {
      pixel_values: { dtype: 'float32', dims: [B, 3, h, w], data: px },
      input_ids: { dtype: 'int64', dims: [B, L], data: ids },
      labels: { dtype: 'float32', dims: [B, B], data: labels },
      // The positive relation is symmetric, so the text→image targets are the same matrix.
      labels_t: { dtype: 'float32', dims: [B, B], data: labels },
    };
  }
}

/** Row-normalized [B, B] matrix: 1 where items share the image or the caption text. */
export function positives(images: readonly number[], texts: readonly number[]): Float32Array {
  const B = images.length;
  const m = new Float32Array(B * B);
  for (let i = 0; i < B; i++) {
    let n = 0;
    for (let j = 0; j < B; j++) if (images[i] === images[j] || texts[i] === texts[j]) { m[i * B + j] = 1; n++; }
    for (let j = 0; j < B; j++) m[i * B + j] /= n;
  }
  return m;
}
