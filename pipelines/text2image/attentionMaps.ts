/**
 * Cross-attention heatmaps per prompt token, accumulated over a whole generation (what the Image
 * Edit workspace shows on token hover, what DPL's losses and the eval's "noun peaks inside its
 * object" check read). The UNet must be a tapped one (models/zoo/taps: cross maps exposed as
 * `<layer>.probs`, heads averaged); maps of layers at lower resolutions are upsampled (nearest) to
 * the largest one and averaged over layers and steps, for the conditional item of the CFG batch.
 *
 *   const tapped = tapAttention(decodeModel(unetBytes), { cross: { expose: 'mean' } });
 *   const r = await generateWithAttention(unet, layers, xT, contexts, { steps: 25, guidance: 5 });
 *   r.maps  // [K, S, S]: token k's map over the latent grid
 */
import { NoiseSchedule } from '../core/schedulers/noiseSchedule.ts';
import { applyGuidance, cfgBatch } from '../core/schedulers/cfg.ts';
import { ddimStep, ddimTimesteps } from '../core/schedulers/ddim.ts';
import type { Session } from '../../models/runtime/Runtime.ts';
import type { UnetRunner } from './unetRunner.ts';

export interface MapLayer { output: string; queries: number; keys: number }

export interface AttentionResult {
  latents: Float32Array;
  /** [keys, S, S] mean cross-attention of each token over layers and steps (conditional item). */
  maps: Float32Array;
  size: number;
  keys: number;
}

const sched = NoiseSchedule.sd();

/**
 * Cross-attention map outputs a (tapped) UNet session declares: `<…>.attn2.probs` with a static
 * [batch, queries, keys] shape. Empty for plain exports (e.g. SD 1.5 as published).
 */
export function attentionLayersOf(s: Session): MapLayer[] {
  return s.outputs.flatMap((o) => {
    const d = o.shape;
    if (!/\.attn2\.probs$/.test(o.name) || d?.length !== 3 || typeof d[1] !== 'number' || typeof d[2] !== 'number') return [];
    return [{ output: o.name, queries: d[1], keys: d[2] }];
  });
}

/** Nearest-upsample a [T, K] map (T = s²) into acc [K, S, S] with weight w. */
function accumulate(acc: Float32Array, m: Float32Array, s: number, S: number, K: number, w: number): void {
  const f = S / s;
  for (let y = 0; y < S; y++) for (let x = 0; x < S; x++) {
    const q = Math.floor(y / f) * s + Math.floor(x / f);
    for (let k = 0; k < K; k++) acc[(k * S + y) * S + x] += w * m[q * K + k];
  }
}

export interface AttentionSampleOptions {
  steps: number;
  guidance: number;
  eta?: number;
  noise?: () => Float32Array;
  /** As ddimSample's: after each step with the ε used and the latent before the step. */
  onStep?: (i: number, t: number, eps: Float32Array, before: Float32Array) => void | Promise<void>;
}

/** ddimSample (always with the CFG batch) that also accumulates the conditional item's cross maps. */
export async function generateWithAttention(unet: UnetRunner, layers: readonly MapLayer[], xT: Float32Array, contexts: Float32Array, o: AttentionSampleOptions): Promise<AttentionResult> {
  if (!layers.length) throw new Error('generateWithAttention: no tapped cross-attention layers');
  const K = layers[0].keys;
  const S = Math.round(Math.sqrt(Math.max(...layers.map((l) => l.queries))));
  const acc = new Float32Array(K * S * S);
  const ts = ddimTimesteps(o.steps, sched.numTrainTimesteps);
  const fetch = ['out_sample', ...layers.map((l) => l.output)];
  const w = 1 / (ts.length * layers.length);
  let x = xT;
  for (let i = 0; i < ts.length; i++) {
    const out = await unet.predict(cfgBatch(x), 2, ts[i], contexts, {}, fetch);
    for (const l of layers) {
      const m = out[l.output];
      const per = l.queries * l.keys;
      accumulate(acc, m.subarray(per, 2 * per), Math.round(Math.sqrt(l.queries)), S, K, w);
    }
    const eps = applyGuidance(out.out_sample, o.guidance), before = x;
    x = ddimStep(sched, eps, ts[i], ts[i + 1] ?? -1, x, (o.eta ?? 0) > 0 ? { eta: o.eta, noise: o.noise!() } : {});
    await o.onStep?.(i, ts[i], eps, before);
  }
  return { latents: x, maps: acc, size: S, keys: K };
}

/** Pixel (in an image of side `imageSize`) where token k's map peaks. */
export function peakPixel(r: AttentionResult, k: number, imageSize: number): [number, number] {
  const S = r.size, f = imageSize / S;
  let best = 0;
  for (let q = 1; q < S * S; q++) if (r.maps[k * S * S + q] > r.maps[k * S * S + best]) best = q;
  return [Math.floor((best % S) * f + f / 2), Math.floor(Math.floor(best / S) * f + f / 2)];
}
