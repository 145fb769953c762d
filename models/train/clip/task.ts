/**
 * micro-CLIP as a train-step graph: forward with the symmetric InfoNCE loss
 * (zoo/clip/clipGraphs.ts) → autodiff w.r.t. every parameter → clipping → AdamW.
 */
import { grad } from '../../graph/autodiff.ts';
import type { Model } from '../../graph/ir.ts';
import type { OptimizerSpec } from '../../graph/optim/names.ts';
import type { Schedule } from '../../graph/optim/schedule.ts';
import { buildTrainStep, type TrainStepGraph } from '../../graph/optim/trainStep.ts';
import { type AuxHeads, type ClipTrainForward, type PromptHeads, clipAttributeForward, clipStemAttributeForward, clipTrainForward, withWeights } from '../../zoo/clip/clipGraphs.ts';
import type { ClipConfig } from '../../zoo/clip/config.ts';

export interface ClipTrainOptions {
  optimizer: OptimizerSpec;
  schedule: Schedule;
  clipNorm?: number;
  seed: number | string;
  aux?: AuxHeads;
  /** Zero-shot heads on the text tower's class-prompt embeddings (contrastive stage only). */
  prompts?: PromptHeads;
  /** Starting values by name (e.g. the image tower from the supervised stage); the rest keep their init. */
  init?: ReadonlyMap<string, Float32Array>;
}

/** Weight decay only on matrices (not biases, norms, embeddings or the logit scale), as CLIP does. */
export const decays = (p: string) => p.endsWith('.weight') && !p.includes('norm') && !p.includes('embedding');

export function clipTrainStep(cfg: ClipConfig, batch: number, o: ClipTrainOptions): { forward: ClipTrainForward; step: TrainStepGraph } {
  return trainStepOf(clipTrainForward(cfg, batch, o.seed, o.aux, o.prompts), o);
}

/** The image tower's supervised stage: attribute heads only (no text), same parameter names. */
export function clipAttributeStep(cfg: ClipConfig, batch: number, o: ClipTrainOptions & { aux: AuxHeads }): { forward: ClipTrainForward; step: TrainStepGraph } {
  return trainStepOf(clipAttributeForward(cfg, batch, o.seed, o.aux), o);
}

/** The stem-only first phase of the tower (clipGraphs.ts `clipStemAttributeForward`). */
export function clipStemAttributeStep(cfg: ClipConfig, batch: number, o: ClipTrainOptions & { aux: AuxHeads }): { forward: ClipTrainForward; step: TrainStepGraph } {
  return trainStepOf(clipStemAttributeForward(cfg, batch, o.seed, o.aux), o);
}

function trainStepOf(f: ClipTrainForward, o: ClipTrainOptions): { forward: ClipTrainForward; step: TrainStepGraph } {
  const forward = o.init ? { ...f, model: withWeights(f.model, o.init).model } : f;
  const g = grad(forward.model, { loss: 'loss', wrt: forward.params });
  const step = buildTrainStep(g, { loss: 'loss', params: forward.params, optimizer: o.optimizer, schedule: o.schedule, clipNorm: o.clipNorm, decay: decays });
  return { forward, step };
}

/** Trained values of every parameter, by name (to drop into the export graphs). */
export function paramValues(m: Model, params: readonly string[], value: (name: string) => Float32Array): Map<string, Float32Array> {
  const known = new Set(m.graph.initializers.keys());
  return new Map(params.filter((p) => known.has(p)).map((p) => [p, Float32Array.from(value(p))]));
}
