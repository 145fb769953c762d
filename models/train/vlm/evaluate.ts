/**
 * Accuracy / LM FLOPs / wall time of the micro-VLM under one exit policy on an item set
 * (greedy decoding): exact match for answers, attribute recall for captions (items.ts).
 */
import { generate } from '../../zoo/vlm/generate.ts';
import { decodeAnswer, encodePrompt, vlmTokenizer } from '../../zoo/vlm/text.ts';
import type { ExitPolicy, VlmModel } from '../../zoo/vlm/VlmModel.ts';
import { scoreItem } from './items.ts';
import { type ItemSet, itemVisual } from './evalSet.ts';

export interface PolicyScore {
  /** Mean item score in [0, 1]. */
  accuracy: number;
  /** Mean LM FLOPs per request. */
  flops: number;
  /** Mean wall ms per request (prefill + decode, vision tower excluded). */
  ms: number;
  /** Mean exit layer over requests that exited; share of requests that exited. */
  meanExitLayer: number | null;
  exitRate: number;
  /** Per item kind: count, accuracy, and mean exit layer (no exit counts as L − 1, the last layer). */
  byKind: Record<string, { n: number; accuracy: number; meanExit: number }>;
}

export async function evaluatePolicy(vlm: VlmModel, set: ItemSet, policy: ExitPolicy, o: { maxTokens?: number; onItem?: (k: number) => void } = {}): Promise<PolicyScore> {
  const c = vlm.cfg, per = c.visualTokens * c.visionWidth, tok = vlmTokenizer();
  let acc = 0, flops = 0, ms = 0, exits = 0, exitSum = 0;
  const byKind: Record<string, { n: number; accuracy: number; meanExit: number }> = {};
  for (let k = 0; k < set.items.length; k++) {
    const it = set.items[k];
    const g = await generate(vlm, itemVisual(set, it, per), encodePrompt(it.prompt, tok).ids, { policy, eotId: tok.vocab.eotId, maxTokens: o.maxTokens ?? 24 });
    const s = scoreItem(it, set.scenes[it.scene - set.sceneOffset], decodeAnswer(g.ids, tok));
    acc += s;
    flops += g.flops;
    ms += g.ms;
    if (g.exitLayer !== null) { exits++; exitSum += g.exitLayer; }
    const e = (byKind[it.kind] ??= { n: 0, accuracy: 0, meanExit: 0 });
    e.accuracy = (e.accuracy * e.n + s) / (e.n + 1);
    e.meanExit = (e.meanExit * e.n + (g.exitLayer ?? c.layers - 1)) / (e.n + 1);
    e.n++;
    o.onItem?.(k + 1);
  }
  const n = set.items.length;
  return { accuracy: acc / n, flops: flops / n, ms: ms / n, meanExitLayer: exits ? exitSum / exits : null, exitRate: exits / n, byKind };
}
