/**
 * Batches for TIP-CLIP fine-tuning: token ids of each sentence and the (frozen) embedding of the
 * image it is paired with — its scene render for visual sentences, the NULL image for the rest.
 *
 * Unknown-word augmentation (`augment`): user text is full of words micro-CLIP's vocabulary lacks,
 * which the tokenizer turns into <unk>; a model that never saw <unk> in training puts such text
 * anywhere (measured: most hand-written non-visual sentences scored as visual). So every sentence
 * also appears as a fixed variant with 1–6 <unk> tokens inserted at random places (the label
 * cannot change: its own words are all still there), and every non-visual sentence additionally
 * as a variant with a random share (up to all, `maskMax`) of its words replaced by <unk> (a non-visual
 * sentence stays non-visual whatever words are hidden). By default visual sentences never lose words,
 * so "nothing recognizably visual" leans non-visual, the prior of the paper's data (2:1, §A2.2);
 * `maskVisual` gives them a hidden-words variant too, with a smaller share.
 * Variants are drawn once from a seeded PRNG, so batches stay a pure function of loader indices.
 */
import { Prng } from '../../data/microworld/prng.ts';
import type { Dataset, HostTensor } from '../DataLoader.ts';
import type { MicroTokenizer } from '../../text/tokenizer.ts';

export type TipTargets = 'literal' | 'multi';

export interface TipDatasetOptions {
  targets?: TipTargets;
  augment?: boolean;
  /**
   * Article swap: every sentence with an article also appears with each article replaced by a
   * random one of a / an / the. Articles never decide visualness, but the context grammar's
   * scenes say "a lantern…" and its office text "the budget…", so without this the article
   * becomes the cue (measured: "a" was the top-attributed word of many scene captions).
   */
  articleSwap?: boolean;
  /**
   * Largest share of a NON-visual sentence's words its hidden-words variant may replace by <unk>
   * (drawn uniformly in [0, maskMax]; default 1 = up to all of them).
   */
  maskMax?: number;
  /**
   * Largest share of a VISUAL sentence's words hidden in an extra variant (0 = no such variant, the
   * default). A scene with some words hidden still describes a scene; without this, every
   * <unk>-heavy training sentence is non-visual, and so is every held-out scene of unknown nouns.
   */
  maskVisual?: number;
  seed?: string;
}

export class TipDataset implements Dataset {
  readonly size: number;
  private readonly ids: BigInt64Array;
  private readonly L: number;
  private readonly itemImage: Int32Array;
  private readonly targets: TipTargets;

  /**
   * texts[i] pairs with row imageOf[i] of `embeds` ([images, D], unit rows); `visual[i]` says
   * whether it is a visual sentence (only used by augmentation). Rows equal to the NULL embedding
   * share one index, so 'multi' targets can treat all NULL pairs as positives.
   */
  constructor(texts: readonly string[], imageOf: Int32Array, visual: readonly boolean[], private readonly embeds: Float32Array, private readonly D: number, tok: MicroTokenizer, o: TipDatasetOptions = {}) {
    if (texts.length !== imageOf.length || texts.length !== visual.length) throw new Error(`TipDataset: ${texts.length} texts, ${imageOf.length} image indices, ${visual.length} labels`);
    this.targets = o.targets ?? 'literal';
    this.L = tok.contextLength;
    const { sotId, eotId, padId, unkId } = tok.vocab;
    const rng = new Prng(o.seed ?? 'tip-augment');
    const rows: number[][] = [];
    const images: number[] = [];
    const frame = (words: number[]) => {
      const w = words.slice(0, this.L - 2);
      return [sotId, ...w, eotId, ...new Array<number>(this.L - 2 - w.length).fill(padId)];
    };
    const articles = ['a', 'an', 'the'].map((w) => tok.vocab.lookup(w)).filter((id): id is number => id !== undefined);
    texts.forEach((t, i) => {
      const e = tok.encode(t);
      const words = Array.from(e.ids.subarray(1, e.eotIndex));
      rows.push(frame(words)); images.push(imageOf[i]);
      if (o.articleSwap && words.some((w) => articles.includes(w))) {
        rows.push(frame(words.map((w) => (articles.includes(w) ? rng.pick(articles) : w)))); images.push(imageOf[i]);
      }
      if (!o.augment) return;
      const inserted = [...words];
      for (let k = 1 + rng.int(6); k > 0; k--) inserted.splice(rng.int(inserted.length + 1), 0, unkId);
      rows.push(frame(inserted)); images.push(imageOf[i]);
      const maskMax = visual[i] ? (o.maskVisual ?? 0) : (o.maskMax ?? 1);
      if (maskMax > 0) {
        const share = rng.float() * maskMax;
        rows.push(frame(words.map((w) => (rng.float() < share ? unkId : w)))); images.push(imageOf[i]);
      }
    });
    this.size = rows.length;
    this.itemImage = Int32Array.from(images);
    this.ids = new BigInt64Array(rows.length * this.L);
    rows.forEach((r, p) => r.forEach((id, k) => { this.ids[p * this.L + k] = BigInt(id); }));
  }

  collate(indices: readonly number[]): Record<string, HostTensor> {
    const B = indices.length, L = this.L, D = this.D;
    const ids = new BigInt64Array(B * L);
    const img = new Float32Array(B * D);
    indices.forEach((p, i) => {
      ids.set(this.ids.subarray(p * L, (p + 1) * L), i * L);
      img.set(this.embeds.subarray(this.itemImage[p] * D, (this.itemImage[p] + 1) * D), i * D);
    });
    const labels = new Float32Array(B * B);
    for (let i = 0; i < B; i++) {
      if (this.targets === 'literal') { labels[i * B + i] = 1; continue; }
      const same = indices.map((q) => this.itemImage[q] === this.itemImage[indices[i]]);
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
