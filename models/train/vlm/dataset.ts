/**
 * Teacher-forced VLM batches for the Trainer: each item is [prompt ids ‖ answer ids] right-
 * padded to a fixed text length, with the visual tokens of its scene. Labels are one-hot rows
 * for the positions that predict answer tokens (and the final <eot>), scaled so the loss is the
 * mean answer-token cross-entropy of the batch; prompt and padding positions carry no loss.
 *
 * Exit-robust training (opt-in, not in the paper): with `exitDropout` p, each item's text tokens
 * stop seeing the visual tokens after a random layer K (uniform over 0 … L−1) with probability p
 * (input `exit_after`; L = never). The LM then learns to move visual evidence into text tokens
 * early, which is what makes visual-token exit cheap. Draws are a hash of the batch's indices, so
 * a resumed run replays them.
 */
import type { Dataset, HostTensor } from '../DataLoader.ts';
import { Prng } from '../../data/microworld/prng.ts';
import { encodeAnswer, encodePrompt, vlmTokenizer } from '../../zoo/vlm/text.ts';
import type { VlmConfig } from '../../zoo/vlm/config.ts';
import type { VlmItem } from './items.ts';

export interface EncodedItem { prompt: number[]; answer: number[] }

export function encodeItem(it: VlmItem): EncodedItem {
  return { prompt: encodePrompt(it.prompt).ids, answer: encodeAnswer(it.answer) };
}

export class VlmDataset implements Dataset {
  readonly size: number;
  readonly textLen: number;
  private readonly enc: EncodedItem[];

  /** visual: [scenes, Nv, W] tokens, indexed by item.scene − sceneOffset. */
  constructor(readonly c: VlmConfig, readonly items: readonly VlmItem[], readonly visual: Float32Array, readonly sceneOffset = 0, textLen?: number, readonly exitDropout = 0) {
    this.enc = items.map(encodeItem);
    this.size = items.length;
    this.textLen = textLen ?? Math.max(...this.enc.map((e) => e.prompt.length + e.answer.length));
  }

  collate(indices: readonly number[]): Record<string, HostTensor> {
    const c = this.c, B = indices.length, T = this.textLen, V = c.vocabSize, per = c.visualTokens * c.visionWidth;
    const pad = vlmTokenizer().vocab.padId;
    const vis = new Float32Array(B * per);
    const ids = new BigInt64Array(B * T).fill(BigInt(pad));
    const labels = new Float32Array(B * (T - 1) * V);
    let answerTokens = 0;
    indices.forEach((i) => { answerTokens += this.enc[i].answer.length; });
    indices.forEach((i, r) => {
      const it = this.items[i], e = this.enc[i];
      vis.set(this.visual.subarray((it.scene - this.sceneOffset) * per, (it.scene - this.sceneOffset + 1) * per), r * per);
      const seq = [...e.prompt, ...e.answer].slice(0, T);
      seq.forEach((id, t) => { ids[r * T + t] = BigInt(id); });
      // Text position t predicts token t + 1; the answer starts at prompt.length.
      for (let t = e.prompt.length; t < seq.length; t++) labels[(r * (T - 1) + t - 1) * V + seq[t]] = 1 / answerTokens;
    });
    const out: Record<string, HostTensor> = {
      visual_tokens: { dtype: 'float32', dims: [B, c.visualTokens, c.visionWidth], data: vis },
      input_ids: { dtype: 'int64', dims: [B, T], data: ids },
      labels: { dtype: 'float32', dims: [B, T - 1, V], data: labels },
    };
    if (this.exitDropout > 0) {
      const rng = new Prng(`exit-dropout:${indices.join(',')}`);
      out.exit_after = { dtype: 'float32', dims: [B], data: Float32Array.from(indices, () => (rng.chance(this.exitDropout) ? rng.int(c.layers) : c.layers)) };
    }
    return out;
  }
}
