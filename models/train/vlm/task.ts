/**
 * micro-VLM training as a train-step graph: the full forward (zoo/vlm/graphs.ts) on a batch of
 * teacher-forced items → answer-token cross-entropy → autodiff w.r.t. every LM weight → AdamW.
 * The image tower is frozen and not in the graph (its tokens are inputs).
 */
import { grad } from '../../graph/autodiff.ts';
import type { Model } from '../../graph/ir.ts';
import { reduceMax, reduceSum } from '../../graph/ops/reduce.ts';
import { buildTrainStep, type TrainStepGraph } from '../../graph/optim/trainStep.ts';
import type { OptimizerSpec } from '../../graph/optim/names.ts';
import type { Schedule } from '../../graph/optim/schedule.ts';
import type { VlmConfig } from '../../zoo/vlm/config.ts';
import { vlmFullForward } from '../../zoo/vlm/graphs.ts';
import { withWeights } from '../../zoo/clip/clipGraphs.ts';

export interface VlmForward { model: Model; params: string[] }

/** Inputs visual_tokens [B,Nv,W], input_ids [B,T], labels [B,T−1,V] (scaled one-hot); outputs loss (and logits when asked; not in training, where they would be copied out every step). */
export function vlmTrainForward(c: VlmConfig, batch: number, textLen: number, seed: number | string = 0, o: { logits?: boolean; exitInput?: boolean } = {}): VlmForward {
  const { b, logits } = vlmFullForward(c, seed, batch, textLen, { name: 'vlm_train', exitInput: o.exitInput });
  const labels = b.input('labels', 'float32', [batch, textLen - 1, c.vocabSize]);
  const Nv = c.visualTokens;
  // Text positions 0 … T−2 predict text tokens 1 … T−1.
  const z0 = b.op('Slice', [logits, b.ints([Nv]), b.ints([Nv + textLen - 1]), b.ints([1])])[0];
  const loss = b.scope('loss', () => {
    const z = b.op('Sub', [z0, reduceMax(b, z0, [2])])[0];
    const lse = b.op('Log', [reduceSum(b, b.op('Exp', [z])[0], [2])])[0];
    // Labels already carry 1/(answer tokens in the batch): the sum is the mean answer-token CE.
    return reduceSum(b, b.op('Mul', [labels, b.op('Sub', [lse, z])[0]])[0], [0, 1, 2], false);
  });
  b.output(loss, 'loss');
  if (o.logits) b.output(logits, 'logits');
  return { model: b.build({ metadata: { config: JSON.stringify(c) } }), params: [...b.params] };
}

export interface VlmTrainOptions {
  optimizer: OptimizerSpec;
  schedule: Schedule;
  clipNorm?: number;
  seed?: number | string;
  /** Exit-robust training: the batch carries `exit_after` (see VlmDataset's exitDropout). */
  exitInput?: boolean;
  /** Start from these weights (by name) instead of the seeded init: fine-tuning a trained model. */
  init?: ReadonlyMap<string, Float32Array>;
}

export function vlmTrainStep(c: VlmConfig, batch: number, textLen: number, o: VlmTrainOptions): { forward: VlmForward; step: TrainStepGraph } {
  let forward = vlmTrainForward(c, batch, textLen, o.seed, { exitInput: o.exitInput });
  if (o.init) {
    const { model, used } = withWeights(forward.model, o.init);
    const missing = forward.params.filter((p) => !used.includes(p));
    if (missing.length) throw new Error(`vlm init: no value for ${missing.slice(0, 4).join(', ')}`);
    forward = { ...forward, model };
  }
  const g = grad(forward.model, { loss: 'loss', wrt: forward.params, paramsAsInputs: true });
  const decay = (p: string) => p.endsWith('.weight') && !p.includes('norm') && !p.includes('embed');
  const step = buildTrainStep(withInitializers(g, forward.model), { loss: 'loss', params: forward.params, optimizer: o.optimizer, schedule: o.schedule, clipNorm: o.clipNorm, decay });
  return { forward, step };
}

/** paramsAsInputs drops the param values; put them back so buildTrainStep reports them as initial values. */
export function withInitializers(g: Model, forward: Model): Model {
  const init = new Map(g.graph.initializers);
  const inputs = new Set(g.graph.inputs.map((i) => i.name));
  for (const [k, t] of forward.graph.initializers) if (inputs.has(k) && !init.has(k)) init.set(k, t);
  return { ...g, graph: { ...g.graph, initializers: init, inputs: g.graph.inputs.filter((i) => !forward.graph.initializers.has(i.name)) } };
}
