/**
 * DyVTE gates ("visual gate routers", spec B2): one small MLP per decoder layer on the pooled
 * text state f = [mean(prompt tokens except the last), last prompt token] ∈ ℝ^{2d}:
 * logits = GELU(f·W1[ℓ])·W2[ℓ] ∈ ℝ² (keep, exit), no biases, Xavier-uniform init as in the
 * reference. All layers' weights live in one graph and the layer index is an input (Gather
 * on the stacked weights), so inference needs one session and training one train-step graph
 * over (feature, layer, label) rows from every layer at once.
 */
import { GraphBuilder, type Value } from '../../graph/builder.ts';
import type { Model } from '../../graph/ir.ts';
import { gelu } from '../../graph/ops/elementwise.ts';
import { Prng } from '../../data/microworld/prng.ts';
import { softmaxCrossEntropy } from '../vit.ts';
import type { VlmConfig } from '../vlm/config.ts';

export const GATE_KEEP = 0;
export const GATE_EXIT = 1;

function xavier(rng: Prng, n: number, fanIn: number, fanOut: number): Float32Array {
  const a = Math.sqrt(6 / (fanIn + fanOut)), out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = (rng.float() * 2 - 1) * a;
  return out;
}

/** features [B, 2d], layer [B] int64 → logits [B, 2]. */
export function gateLogits(b: GraphBuilder, c: VlmConfig, seed: number | string, features: Value, layer: Value): Value {
  const d2 = 2 * c.width, h = c.gateHidden, L = c.layers;
  const rng = new Prng(`${seed}:gates`);
  return b.scope('visual_gates', () => {
    const w1 = b.param('fc1.weight', { dims: [L, d2, h], values: xavier(rng, L * d2 * h, d2, h) });
    const w2 = b.param('fc2.weight', { dims: [L, h, 2], values: xavier(rng, L * h * 2, h, 2) });
    const f = b.op('Unsqueeze', [features, b.ints([1])])[0]; // [B, 1, 2d]
    const hid = gelu(b, b.op('MatMul', [f, b.op('Gather', [w1, layer], { axis: 0 })[0]])[0]); // [B, 1, h]
    const z = b.op('MatMul', [hid, b.op('Gather', [w2, layer], { axis: 0 })[0]])[0]; // [B, 1, 2]
    return b.op('Reshape', [z, b.ints([-1, 2])])[0];
  });
}

/** Inference graph: features [batch, 2d], layer [batch] → logits [batch, 2]. */
export function gateGraph(c: VlmConfig, seed: number | string): Model {
  const b = new GraphBuilder('dyvte_gates');
  const f = b.input('features', 'float32', ['batch', 2 * c.width]);
  const layer = b.input('layer', 'int64', ['batch']);
  b.output(gateLogits(b, c, seed, f, layer), 'logits');
  return b.build({ metadata: { config: JSON.stringify(c), part: 'gates' } });
}

/** Training forward: + labels [B, 2] (one-hot keep/exit) → loss (mean CE, class weights [1, 1]). */
export function gateTrainForward(c: VlmConfig, seed: number | string, batch: number): { model: Model; params: string[] } {
  const b = new GraphBuilder('dyvte_gates_train');
  const f = b.input('features', 'float32', [batch, 2 * c.width]);
  const layer = b.input('layer', 'int64', [batch]);
  const labels = b.input('labels', 'float32', [batch, 2]);
  const logits = gateLogits(b, c, seed, f, layer);
  b.output(logits, 'logits');
  b.output(softmaxCrossEntropy(b, logits, labels), 'loss');
  return { model: b.build(), params: [...b.params] };
}

/** Gate input from hidden states [S, d] (row-major) whose text tokens occupy rows [start, end). */
export function gateFeature(hidden: Float32Array, d: number, start: number, end: number): Float32Array {
  if (end - start < 1) throw new Error(`gateFeature: no text tokens in rows [${start}, ${end})`);
  const f = new Float32Array(2 * d);
  const n = end - start - 1;
  // A one-token prompt has nothing to average: the mean half stays zero (the reference gets NaN).
  for (let r = start; r < end - 1; r++) for (let k = 0; k < d; k++) f[k] += hidden[r * d + k] / n;
  f.set(hidden.subarray((end - 1) * d, end * d), d);
  return f;
}

/** Gate FLOPs per call. */
export const gateFlops = (c: VlmConfig): number => 2 * (2 * c.width * c.gateHidden + c.gateHidden * 2);
