/**
 * ViT image classification as a train-step graph: forward (zoo/vit) → softmax CE →
 * autodiff w.r.t. every parameter → optimizer update. Shared by the trainer tests and
 * the training benchmark.
 */
import { GraphBuilder } from '../graph/builder.ts';
import { grad } from '../graph/autodiff.ts';
import type { Model } from '../graph/ir.ts';
import { buildTrainStep, type TrainStepGraph } from '../graph/optim/trainStep.ts';
import type { OptimizerSpec } from '../graph/optim/names.ts';
import type { Schedule } from '../graph/optim/schedule.ts';
import { type VitConfig, softmaxCrossEntropy, vitTower } from '../zoo/vit.ts';

export interface VitForward {
  model: Model;
  /** Names of the trainable parameters (float initializers created by the builder's `param`). */
  params: string[];
}

/** Forward graph with inputs pixel_values [B,C,H,W], labels [B,K] (one-hot) and outputs logits, loss. */
export function vitClassifier(cfg: VitConfig, batch: number, seed: number | string = 0): VitForward {
  const b = new GraphBuilder('vit_classifier');
  const px = b.input('pixel_values', 'float32', [batch, cfg.channels, cfg.imageSize, cfg.imageSize]);
  const labels = b.input('labels', 'float32', [batch, cfg.headDim]);
  const params: string[] = [];
  const out = vitTower(b, px, cfg, seed);
  for (const [k, t] of b.initializers) if (t.dtype === 'float32' && !k.includes('/') && t.dims.length > 0) params.push(k);
  b.output(out.logits!, 'logits');
  b.output(softmaxCrossEntropy(b, out.logits!, labels), 'loss');
  return { model: b.build({ metadata: { config: JSON.stringify(cfg) } }), params };
}

export interface VitTrainOptions {
  optimizer: OptimizerSpec;
  schedule: Schedule;
  clipNorm?: number;
  seed?: number | string;
}

export function vitTrainStep(cfg: VitConfig, batch: number, o: VitTrainOptions): { forward: VitForward; step: TrainStepGraph } {
  const forward = vitClassifier(cfg, batch, o.seed);
  const g = grad(forward.model, { loss: 'loss', wrt: forward.params, paramsAsInputs: true });
  // No decay on biases, norms and embeddings (the usual ViT recipe).
  const decay = (p: string) => p.endsWith('.weight') && !p.includes('norm') && !p.includes('embedding');
  const step = buildTrainStep(withInitializers(g, forward.model), { loss: 'loss', params: forward.params, optimizer: o.optimizer, schedule: o.schedule, clipNorm: o.clipNorm, decay });
  return { forward, step };
}

/** paramsAsInputs drops the param values; put them back so buildTrainStep reports them as initial values. */
function withInitializers(g: Model, forward: Model): Model {
  const init = new Map(g.graph.initializers);
  const inputs = new Set(g.graph.inputs.map((i) => i.name));
  for (const [k, t] of forward.graph.initializers) if (inputs.has(k) && !init.has(k)) init.set(k, t);
  return { ...g, graph: { ...g.graph, initializers: init, inputs: g.graph.inputs.filter((i) => !forward.graph.initializers.has(i.name)) } };
}
