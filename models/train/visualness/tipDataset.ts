/**
 * Batches for TIP-CLIP fine-tuning: token ids of each sentence and the (frozen) embedding of the
 * image it is paired with — its scene render for visual sentences, the NULL image for the rest.
 */
import type { Dataset, HostTensor } from '../DataLoader.ts';
import type { MicroTokenizer } from '../../text/tokenizer.ts';

export type TipTargets = 'literal' | 'multi';

export class TipDataset implements Dataset {
  readonly size: number;
  private readonly ids: BigInt64Array;
  private readonly L: number;

  /**
   * texts[i] pairs with row imageOf[i] of `embeds` ([images, D], unit rows). Rows equal to the
   * NULL embedding share one index, so 'multi' targets can treat all NULL pairs as positives.
   */
  constructor(texts: readonly string[], private readonly imageOf: Int32Array, private readonly embeds: Float32Array, private readonly D: number, tok: MicroTokenizer, private readonly targets: TipTargets = 'literal') {
    if (texts.length !== imageOf.length) throw new Error(`TipDataset: ${texts.length} texts for ${imageOf.length} image indices`);
    this.size = texts.length;
    this.L = tok.contextLength;
    this.ids = new BigInt64Array(texts.length * this.L);
    texts.forEach((t, i) => {
      const e = tok.encode(t);
      for (let k = 0; k < this.L; k++) this.ids[i * this.L + k] = BigInt(e.ids[k]);
    });
  }

  collate(indices: readonly number[]): Record<string, HostTensor> {
    const B = indices.length, L = this.L, D = this.D;
    const ids = new BigInt64Array(B * L);
    const img = new Float32Array(B * D);
    indices.forEach((p, i) => {
      ids.set(this.ids.subarray(p * L, (p + 1) * L), i * L);
      img.set(this.embeds.subarray(this.imageOf[p] * D, (this.imageOf[p] + 1) * D), i * D);
    });
    const labels = new Float32Array(B * B);
    for (let i = 0; i < B; i++) {
      if (this.targets === 'literal') { labels[i * B + i] = 1; continue; }
      const same = indices.map((q) => this.imageOf[q] === this.imageOf[indices[i]]);
      const n = same.filter(Boolean).length;
      same.forEach((s, j) => { if (s) labels[i * B + j] = 1 / n; });
    }
    return {
      input_ids: { dtype: 'int64', dims: [B, L], data: ids },
      image_embeds: { dtype: 'float32', dims: [B, D], data: img },
      labels: { dtype: 'float32', dims: [B, B], data: labels },
    };
  }
}
