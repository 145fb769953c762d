/**
 * One train-step graph = forward + backward (a gradient graph from autodiff) + clipping +
 * lr schedule + optimizer update, so a whole step is one `session.run`.
 *
 * Inputs:  params, optimizer state (`<p>.m`, `<p>.v` | `<p>.momentum`), `optim.step`, batch.
 * Outputs: loss, `optim.lr`, `optim.grad_norm`, and `nextName(x)` for every carried x.
 */
import type { Model, TensorData } from '../ir.ts';
import { Editor, cloneModel, matches, type NameMatcher } from '../surgery/graphTools.ts';
import { initializersToInputs } from '../surgery/initializersToInputs.ts';
import { GRAD_NORM, LR, STEP, defaultGradName, nextName, stateNames, type OptimizerSpec } from './names.ts';
import { emitSchedule, type Schedule } from './schedule.ts';
import { emitClip, emitGlobalNorm } from './clip.ts';
import { emitSgd } from './sgd.ts';
import { emitAdam, emitAdamScalars, type AdamOpts } from './adam.ts';

export interface TrainStepOptions {
  /** Scalar loss output of the gradient graph. */
  loss: string;
  /** Parameters to update: graph inputs or initializers of `gradModel`, each with a gradient output. */
  params: string[];
  optimizer: OptimizerSpec;
  schedule: Schedule;
  /** Max global gradient norm; no clipping when undefined. */
  clipNorm?: number;
  /** Which params get weight decay (default: all). */
  decay?: NameMatcher;
  /** Gradient output name for a param (default `<p>_grad`, G1's `gradName`). */
  gradName?: (param: string) => string;
}

export interface TrainStepGraph {
  model: Model;
  loss: string;
  params: string[];
  /** Optimizer state tensors, each shaped like its param. */
  state: { name: string; param: string }[];
  /** Every tensor carried from step to step: params, state, STEP. Output of each is `nextName(x)`. */
  carried: string[];
  /** The remaining inputs: the batch. */
  batchInputs: string[];
  /** Initial values: params taken from initializers, zero state, step 0. */
  initial: Map<string, TensorData>;
  /** dims of every carried tensor. */
  dims: Map<string, number[]>;
}

export function buildTrainStep(gradModel: Model, o: TrainStepOptions): TrainStepGraph {
  const gradOf = o.gradName ?? defaultGradName;
  const { model: m, values } = initializersToInputs(cloneModel(gradModel), o.params);
  const g = m.graph;
  const initial = new Map<string, TensorData>(values);
  const dims = new Map<string, number[]>();
  const outputs = new Set(g.outputs.map((v) => v.name));
  for (const p of o.params) {
    const inp = g.inputs.find((v) => v.name === p);
    if (!inp) throw new Error(`buildTrainStep: param '${p}' is neither an input nor an initializer`);
    if (!inp.shape?.every((d) => typeof d === 'number')) throw new Error(`buildTrainStep: param '${p}' needs a static shape`);
    if (!outputs.has(gradOf(p))) throw new Error(`buildTrainStep: gradient graph has no output '${gradOf(p)}' for param '${p}'`);
    dims.set(p, inp.shape as number[]);
  }
  if (!outputs.has(o.loss)) throw new Error(`buildTrainStep: no loss output '${o.loss}'`);

  const ed = new Editor(g, 'optim');
  const state: { name: string; param: string }[] = [];
  for (const p of o.params) {
    for (const s of stateNames(o.optimizer, p)) {
      const d = dims.get(p)!;
      g.inputs.push({ name: s, dtype: 'float32', shape: [...d] });
      state.push({ name: s, param: p });
      dims.set(s, d);
      initial.set(s, { name: s, dtype: 'float32', dims: [...d], values: new Float32Array(d.reduce((a, b) => a * b, 1)) });
    }
  }
  g.inputs.push({ name: STEP, dtype: 'float32', shape: [] });
  dims.set(STEP, []);
  initial.set(STEP, { name: STEP, dtype: 'float32', dims: [], values: new Float32Array([0]) });

  const lr = emitSchedule(ed, STEP, o.schedule, LR);
  const rawGrads = o.params.map(gradOf);
  const norm = emitGlobalNorm(ed, rawGrads, GRAD_NORM);
  const grads = o.clipNorm !== undefined ? emitClip(ed, rawGrads, norm, o.clipNorm) : rawGrads;
  const opt = o.optimizer;
  const adamOpts: AdamOpts | undefined = opt.kind === 'sgd' ? undefined : { ...opt, decoupled: opt.kind === 'adamw' };
  const scalars = adamOpts ? emitAdamScalars(ed, STEP, adamOpts) : undefined;
  o.params.forEach((p, i) => {
    const args = { param: p, grad: grads[i], lr, decay: o.decay === undefined || matches(o.decay, p) };
    if (opt.kind === 'sgd') emitSgd(ed, args, opt);
    else emitAdam(ed, args, scalars!, adamOpts!);
  });
  ed.op1('Add', [STEP, ed.f32(1)], {}, nextName(STEP));

  const carried = [...o.params, ...state.map((s) => s.name), STEP];
  const grad = new Set(rawGrads);
  g.outputs = [
    ...g.outputs.filter((v) => !grad.has(v.name)),
    { name: LR, dtype: 'float32', shape: [] },
    { name: GRAD_NORM, dtype: 'float32', shape: [] },
    ...carried.map((c) => ({ name: nextName(c), dtype: 'float32' as const, shape: [...dims.get(c)!] })),
  ];
  const carriedSet = new Set(carried);
  const batchInputs = g.inputs.map((v) => v.name).filter((n) => !carriedSet.has(n));
  return { model: m, loss: o.loss, params: [...o.params], state, carried, batchInputs, initial, dims };
}
