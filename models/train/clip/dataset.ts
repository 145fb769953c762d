/**
 * Training pairs for the Trainer: every (image, caption) pair of a sample set is one item, so
 * the seeded DataLoader's shuffle decides which phrasing an image is seen with, and a resumed
 * run replays the same pairs. Captions are tokenized once up front.
 *
 * Targets are soft: item j counts as a positive of item i when they share the image or have the
 * same caption text (two "a photo of a red object" in one batch are both right), each row
 * normalized to sum 1, for both directions of the symmetric loss.
 *
 * Hard negatives (`hardNegatives` = fraction of each batch): color is by far the easiest cue,
 * and a model that only sees random batches learns it first and shapes, patterns and materials
 * much later. So part of each batch is replaced by a partner for each of the first items: a
 * single-object scene of the same color (it differs in shape or pattern), or a mesh render of
 * the same mesh or color (it differs in material). Partners are a hash of the anchor's index,
 * so batches stay a pure function of the loader's indices and a resumed run replays them.
 */
import type { Dataset, HostTensor } from '../DataLoader.ts';
import { normalizeInto } from '../../vision/normalize.ts';
import type { MicroTokenizer } from '../../text/tokenizer.ts';
import type { ClipSample, SampleAttrs } from './samples.ts';
import { type AuxPriors, auxTensors } from './auxLabels.ts';

export class ClipPairDataset implements Dataset {
  readonly size: number;
  private readonly imageOf: Int32Array;
  private readonly textOf: Int32Array;
  private readonly ids: BigInt64Array;
  private readonly pixels: Float32Array;
  private readonly L: number;
  private readonly pixelsPer: number;

  private readonly firstPair: Int32Array;
  private readonly groups = new Map<string, number[]>();

  constructor(readonly samples: readonly ClipSample[], tok: MicroTokenizer, readonly o: { hardNegatives?: number; templateRepeat?: number; aux?: boolean; priors?: AuxPriors; extra?: (attrs: readonly SampleAttrs[]) => Record<string, HostTensor> } = {}) {
    const pairs: [number, string][] = [];
    this.firstPair = new Int32Array(samples.length + 1);
    const repeat = Math.max(1, Math.floor(o.templateRepeat ?? 1));
    samples.forEach((s, i) => {
      this.firstPair[i] = pairs.length;
      for (const c of s.captions) for (let r = isTemplate(c) ? repeat : 1; r > 0; r--) pairs.push([i, c]);
      for (const key of groupKeys(s)) {
        const g = this.groups.get(key);
        if (g) g.push(i); else this.groups.set(key, [i]);
      }
    });
    this.firstPair[samples.length] = pairs.length;
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

  imageOfPair(p: number): number { return this.imageOf[p]; }

  /** The pair that replaces slot `slot` when its anchor is pair `p` (or p's own slot value `fallback`). */
  partner(p: number, fallback: number): number {
    const img = this.imageOf[p];
    const keys = groupKeys(this.samples[img]);
    if (!keys.length) return fallback;
    const h = hash(p);
    const group = this.groups.get(keys[h % keys.length])!;
    if (group.length < 2) return fallback;
    let other = group[(h >>> 8) % group.length];
    if (other === img) other = group[((h >>> 8) + 1) % group.length];
    // Same caption slot where the partner has one (captions come in the same style order).
    const k = p - this.firstPair[img], n = this.firstPair[other + 1] - this.firstPair[other];
    return this.firstPair[other] + Math.min(k, n - 1);
  }

  collate(indices: readonly number[]): Record<string, HostTensor> {
    const hard = Math.floor(indices.length * Math.min(0.5, this.o.hardNegatives ?? 0));
    if (hard > 0) {
      const anchors = indices.length - hard;
      indices = indices.map((p, i) => (i < anchors ? p : this.partner(indices[(i - anchors) % anchors], p)));
    }
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
    const attrs = indices.map((p) => this.samples[this.imageOf[p]].attrs);
    const aux = this.o.aux ? auxTensors(attrs, this.o.priors) : {};
    return {
      ...aux,
      ...this.o.extra?.(attrs),
      pixel_values: { dtype: 'float32', dims: [B, 3, h, w], data: px },
      input_ids: { dtype: 'int64', dims: [B, L], data: ids },
      labels: { dtype: 'float32', dims: [B, B], data: labels },
      // The positive relation is symmetric, so the text→image targets are the same matrix.
      labels_t: { dtype: 'float32', dims: [B, B], data: labels },
    };
  }
}

/**
 * The zero-shot templates (prompts.ts): "a photo of a star", "a photo of a red object",
 * "a photo of an object made of gold". Repeating them (`templateRepeat`) gives single-attribute
 * captions a larger share of the pairs: they are the ones whose only signal is that attribute.
 */
export function isTemplate(c: string): boolean {
  return /^a photo of an? (\w+ object|\w+)$/.test(c) || c.startsWith('a photo of an object ');
}

/** Groups whose members differ in something other than color (scenes) or other than shape (meshes). */
function groupKeys(s: ClipSample): string[] {
  const a = s.attrs;
  // Minimal pairs are the hardest negatives there are: use only them where a sample has some.
  if (a.group !== undefined) return [`cf:${a.group}`];
  if (a.kind === 'scene') return a.objects === 1 && a.color ? [`scene:${a.color}`, `shape:${a.shape}`] : [];
  return [`mesh:${a.mesh}`, ...(a.color ? [`meshcolor:${a.color}`] : [])];
}

function hash(x: number): number {
  let h = Math.imul(x ^ 0x9e3779b9, 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
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
