/**
 * Choosing the DyVTE gate threshold on a validation split (never on the benchmark items).
 *
 * The gate policy "exit at the first layer ℓ with p_ℓ(exit) > t" can be replayed exactly for
 * every t from per-item outcomes: before any exit, layer ℓ's hidden states are those of the
 * no-exit run, so p_ℓ comes from one no-exit prefill; and a request that exits at ℓ produces
 * exactly the fixed-exit-at-ℓ generation (greedy, deterministic). So L + 1 generations per item
 * (no exit and each fixed layer) price every threshold, instead of one full pass per threshold.
 *
 * Rule (`pickThreshold`): among thresholds whose validation accuracy is within `tolerance` of no
 * exit AND above every fixed exit layer that costs no more, take the cheapest; if none
 * qualifies, the reference's 0.5.
 */
import { gateFeature, gateFlops } from '../../zoo/dyvte/gateGraph.ts';
import { generate } from '../../zoo/vlm/generate.ts';
import { decodeAnswer, encodePrompt, vlmTokenizer } from '../../zoo/vlm/text.ts';
import type { VlmModel } from '../../zoo/vlm/VlmModel.ts';
import { type ItemSet, itemVisual } from './evalSet.ts';
import { scoreItem } from './items.ts';

export interface ItemOutcomes {
  /** Per exit layer K (0 … L−1) and finally no exit (index L): item score and LM FLOPs without gates. */
  score: number[];
  flops: number[];
  /** Gate p(exit) after each layer of the no-exit run. */
  pExit: number[];
}

export interface PolicyPoint { accuracy: number; flops: number }
export interface ThresholdPoint extends PolicyPoint { threshold: number; exitRate: number; meanExitLayer: number | null }

export async function itemOutcomes(vlm: VlmModel, set: ItemSet, o: { maxTokens?: number; onItem?: (k: number) => void } = {}): Promise<ItemOutcomes[]> {
  const c = vlm.cfg, per = c.visualTokens * c.visionWidth, tok = vlmTokenizer(), out: ItemOutcomes[] = [];
  for (let k = 0; k < set.items.length; k++) {
    const it = set.items[k], visual = itemVisual(set, it, per), ids = encodePrompt(it.prompt, tok).ids;
    const features: Float32Array[] = [];
    const st = await vlm.prefill(visual, ids, { policy: { kind: 'none' }, onLayer: (_, h) => features.push(gateFeature(h, c.width, c.visualTokens, c.visualTokens + ids.length)) });
    vlm.release(st);
    const pExit: number[] = [];
    for (let l = 0; l < c.layers; l++) pExit.push(await vlm.gateProbability(features[l], l));
    const score: number[] = [], flops: number[] = [];
    for (let K = 0; K <= c.layers; K++) {
      const g = await generate(vlm, visual, ids, { policy: K < c.layers ? { kind: 'fixed', layer: K } : { kind: 'none' }, eotId: tok.vocab.eotId, maxTokens: o.maxTokens ?? 24 });
      score.push(scoreItem(it, set.scenes[it.scene - set.sceneOffset], decodeAnswer(g.ids, tok)));
      flops.push(g.flops);
    }
    out.push({ score, flops, pExit });
    o.onItem?.(k + 1);
  }
  return out;
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);

/** Accuracy / FLOPs of no exit (K = L) or a fixed exit K over the items. */
export function policyPoint(items: readonly ItemOutcomes[], K: number): PolicyPoint {
  return { accuracy: mean(items.map((x) => x.score[K])), flops: mean(items.map((x) => x.flops[K])) };
}

/** The gate policy at threshold t, replayed: exit at the first layer with p > t; gates are paid for every layer consulted. */
export function thresholdPoint(items: readonly ItemOutcomes[], t: number, gateCost: number): ThresholdPoint {
  let acc = 0, flops = 0, exits = 0, exitSum = 0;
  for (const x of items) {
    const L = x.pExit.length, K = x.pExit.findIndex((p) => p > t);
    const at = K < 0 ? L : K;
    acc += x.score[at];
    flops += x.flops[at] + (K < 0 ? L : K + 1) * gateCost;
    if (K >= 0) { exits++; exitSum += K; }
  }
  const n = Math.max(1, items.length);
  return { threshold: t, accuracy: acc / n, flops: flops / n, exitRate: exits / n, meanExitLayer: exits ? exitSum / exits : null };
}

export interface ThresholdChoice {
  threshold: number;
  /** True when some threshold met the rule; false = fell back to 0.5. */
  met: boolean;
  noExit: PolicyPoint;
  fixed: (PolicyPoint & { layer: number })[];
  chosen: ThresholdPoint;
  sweep: ThresholdPoint[];
}

export const DEFAULT_THRESHOLDS = Array.from({ length: 19 }, (_, i) => +(0.05 * (i + 1)).toFixed(2));

export function pickThreshold(items: readonly ItemOutcomes[], gateCost: number, o: { tolerance?: number; thresholds?: readonly number[] } = {}): ThresholdChoice {
  const L = items[0]?.pExit.length ?? 0, tol = o.tolerance ?? 0.005;
  const noExit = policyPoint(items, L);
  const fixed = Array.from({ length: L }, (_, K) => ({ layer: K, ...policyPoint(items, K) }));
  const sweep = (o.thresholds ?? DEFAULT_THRESHOLDS).map((t) => thresholdPoint(items, t, gateCost));
  const ok = sweep.filter((p) => p.accuracy >= noExit.accuracy - tol && fixed.every((f) => f.flops > p.flops || p.accuracy > f.accuracy));
  const best = ok.reduce<ThresholdPoint | null>((m, p) => (m === null || p.flops < m.flops ? p : m), null);
  return { threshold: best?.threshold ?? 0.5, met: best !== null, noExit, fixed, chosen: best ?? thresholdPoint(items, 0.5, gateCost), sweep };
}

export const vlmGateCost = (vlm: VlmModel): number => gateFlops(vlm.cfg);
