/**
 * DyVTE gate labels (spec B4), per item and candidate exit layer K: run the frozen VLM teacher-
 * forced on [prompt ‖ answer] once without exit (A) and once with the visual tokens dropped after
 * layer K (B). Exit at K is labelled safe (1) when B's greedy next-token choices agree with A's on
 * more than `agree` of the answer positions AND B's answer cross-entropy is below `ceRatio` × A's.
 * The gate feature of layer K comes from A's prompt positions (causal attention: they do not
 * depend on the answer, so they equal the inference-time prefill's).
 */
import { gateFeature } from '../../zoo/dyvte/gateGraph.ts';
import type { VlmModel } from '../../zoo/vlm/VlmModel.ts';
import type { EncodedItem } from './dataset.ts';

export interface GateRow { feature: Float32Array; layer: number; label: 0 | 1; agreement: number; ceRatio: number }

export interface LabelRule { agree: number; ceRatio: number }
export const REFERENCE_RULE: LabelRule = { agree: 0.99, ceRatio: 1.03 };

/** Greedy choices and mean CE over the rows that predict answer tokens. */
function answerStats(logits: Float32Array, V: number, seq: number[], promptLen: number): { greedy: number[]; ce: number } {
  const greedy: number[] = [];
  let ce = 0;
  for (let t = promptLen - 1; t < seq.length - 1; t++) {
    const row = logits.subarray(t * V, (t + 1) * V);
    let best = 0, m = -Infinity;
    for (let k = 0; k < V; k++) if (row[k] > m) { m = row[k]; best = k; }
    let s = 0;
    for (let k = 0; k < V; k++) s += Math.exp(row[k] - m);
    ce += Math.log(s) + m - row[seq[t + 1]];
    greedy.push(best);
  }
  return { greedy, ce: ce / greedy.length };
}

export async function gateLabelsFor(vlm: VlmModel, visual: Float32Array, e: EncodedItem, rule: LabelRule = REFERENCE_RULE): Promise<GateRow[]> {
  const c = vlm.cfg, V = c.vocabSize, Nv = c.visualTokens, P = e.prompt.length;
  const seq = [...e.prompt, ...e.answer];
  const features: Float32Array[] = [];
  const a = await vlm.prefill(visual, seq, {
    policy: { kind: 'none' }, allLogits: true, promptLength: P,
    onLayer: (_, h) => features.push(gateFeature(h, c.width, Nv, Nv + P)),
  });
  vlm.release(a);
  const A = answerStats(a.textLogits!, V, seq, P);
  const rows: GateRow[] = [];
  for (let K = 0; K < c.layers; K++) {
    const b = await vlm.prefill(visual, seq, { policy: { kind: 'fixed', layer: K }, allLogits: true, promptLength: P });
    vlm.release(b);
    const B = answerStats(b.textLogits!, V, seq, P);
    const agreement = B.greedy.filter((g, i) => g === A.greedy[i]).length / A.greedy.length;
    const ceRatio = B.ce / Math.max(A.ce, 1e-12);
    rows.push({ feature: features[K], layer: K, label: agreement > rule.agree && B.ce < rule.ceRatio * A.ce ? 1 : 0, agreement, ceRatio });
  }
  return rows;
}
