/**
 * Decoding over the layer-by-layer executor: greedy or sampled (temperature, top-k, seeded),
 * stopping at <eot> or `maxTokens`. `onToken` sees every new token as it is produced, so a
 * pipeline can stream partial text; `signal` is checked between tokens.
 */
import { Prng } from '../../data/microworld/prng.ts';
import { type VlmConfig, headFlops, layerFlops } from './config.ts';
import type { ExitPolicy, LayerTrace, VlmModel } from './VlmModel.ts';

export interface Sampling {
  /** 0 = greedy. */
  temperature: number;
  /** Keep the k most likely tokens before sampling (0 = all). */
  topK: number;
  seed: number | string;
}

export const GREEDY: Sampling = { temperature: 0, topK: 0, seed: 0 };

export interface GenerateOptions {
  policy: ExitPolicy;
  eotId: number;
  maxTokens: number;
  sampling?: Sampling;
  onToken?: (id: number, all: readonly number[]) => void;
  signal?: AbortSignal;
}

export interface Generation {
  ids: number[];
  exitLayer: number | null;
  trace: LayerTrace[];
  /** LM FLOPs of this request (prefill + decode + head + gates). */
  flops: number;
  prefillMs: number;
  ms: number;
}

export function pickToken(logits: Float32Array, s: Sampling, rng: Prng): number {
  let best = 0;
  for (let i = 1; i < logits.length; i++) if (logits[i] > logits[best]) best = i;
  if (s.temperature <= 0) return best;
  const order = Array.from(logits.keys()).sort((a, b) => logits[b] - logits[a]);
  const keep = s.topK > 0 ? order.slice(0, s.topK) : order;
  const w = keep.map((i) => Math.exp((logits[i] - logits[best]) / s.temperature));
  let u = rng.float() * w.reduce((a, b) => a + b, 0);
  for (let k = 0; k < keep.length; k++) if ((u -= w[k]) <= 0) return keep[k];
  return keep[keep.length - 1];
}

export async function generate(vlm: VlmModel, visual: Float32Array, prompt: readonly number[], o: GenerateOptions): Promise<Generation> {
  const t0 = performance.now();
  const st = await vlm.prefill(visual, prompt, { policy: o.policy, signal: o.signal });
  const prefillMs = performance.now() - t0;
  const s = o.sampling ?? GREEDY, rng = new Prng(`vlm-sample:${s.seed}`);
  const ids: number[] = [];
  try {
    let logits = st.logits;
    const room = vlm.cfg.maxPositions - st.nextPosition;
    for (let k = 0; k < Math.min(o.maxTokens, room + 1); k++) {
      if (o.signal?.aborted) throw new DOMException('aborted', 'AbortError');
      const id = pickToken(logits, s, rng);
      ids.push(id);
      o.onToken?.(id, ids);
      if (id === o.eotId || k === Math.min(o.maxTokens, room + 1) - 1) break;
      logits = await vlm.decode(st, id);
    }
    return { ids, exitLayer: st.exitLayer, trace: st.trace, flops: st.flops, prefillMs, ms: performance.now() - t0 };
  } finally {
    vlm.release(st);
  }
}

/** LM FLOPs the same request would cost without any exit (T prompt tokens, `generated` tokens out). */
export function noExitFlops(c: VlmConfig, T: number, generated: number): number {
  const S = c.visualTokens + T;
  let f = c.layers * layerFlops(c, S, 0) + headFlops(c, 1);
  for (let k = 0; k < generated - 1; k++) f += c.layers * layerFlops(c, 1, S + k) + headFlops(c, 1);
  return f;
}
