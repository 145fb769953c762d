/**
 * Training loop on onnxruntime-node over a train-step graph (models/graph/optim): one
 * `session.run` per step. Params, optimizer state and the step counter stay ort Tensors:
 * each step's `<x>.next` outputs are fed back as the next step's inputs without copying.
 * Batches come from a seeded DataLoader; checkpoints (atomic ONNX files) hold the carried
 * tensors and the loader's position/PRNG state, so a resumed run replays the same batches
 * and reaches the same loss curve.
 */
import { availableParallelism } from 'node:os';
import * as ort from 'onnxruntime-node';
import type { TensorData, TensorValues } from '../graph/ir.ts';
import { encodeModel } from '../graph/encode.ts';
import { GRAD_NORM, LR, STEP, nextName } from '../graph/optim/names.ts';
import type { TrainStepGraph } from '../graph/optim/trainStep.ts';
import type { DataLoader } from './DataLoader.ts';
import { loadCheckpoint, saveCheckpoint } from './checkpoint.ts';
import { createProgress } from './progress.ts';

export interface StepRecord { step: number; loss: number; lr: number; gradNorm: number }

export interface TrainerOptions {
  graph: TrainStepGraph;
  loader: DataLoader;
  /** Initial values for carried tensors not in `graph.initial` (e.g. params that were graph inputs). */
  init?: Map<string, TensorData>;
  /** ort intra-op threads; default: all cores. */
  threads?: number;
  progress?: boolean;
  /** Called every `evalEvery` steps (and after the last) with the trainer, for validation metrics. */
  evalEvery?: number;
  onEval?: (t: Trainer, step: number) => Promise<void> | void;
  checkpoint?: { path: string; every: number };
  onStep?: (r: StepRecord) => void;
  meta?: Record<string, string>;
}

export class Trainer {
  private feeds: Record<string, ort.Tensor> = {};
  /** Steps completed (equals the graph's `optim.step`). */
  step = 0;
  readonly history: StepRecord[] = [];

  private constructor(readonly session: ort.InferenceSession, readonly o: TrainerOptions) {
    const values = new Map([...o.graph.initial, ...(o.init ?? [])]);
    for (const name of o.graph.carried) {
      const t = values.get(name);
      if (!t) throw new Error(`Trainer: no initial value for carried tensor '${name}'`);
      this.feeds[name] = toOrt(t);
    }
  }

  static async create(o: TrainerOptions): Promise<Trainer> {
    const session = await ort.InferenceSession.create(encodeModel(o.graph.model), sessionOptions(o.threads));
    return new Trainer(session, o);
  }

  /** Restore carried tensors and data position from a checkpoint written by `save`. */
  async resume(path: string): Promise<void> {
    const c = await loadCheckpoint(path);
    for (const name of this.o.graph.carried) {
      const t = c.tensors.get(name);
      if (!t) throw new Error(`checkpoint ${path} lacks '${name}'`);
      const want = this.o.graph.dims.get(name)!;
      if (t.dims.join() !== want.join()) throw new Error(`checkpoint ${path}: '${name}' has dims [${t.dims}], the graph wants [${want}]`);
      this.feeds[name] = toOrt(t);
    }
    if (c.loader) this.o.loader.restore(c.loader);
    this.step = (this.feeds[STEP].data as Float32Array)[0];
  }

  async save(path: string): Promise<void> {
    const tensors = new Map<string, TensorData>();
    for (const name of this.o.graph.carried) tensors.set(name, fromOrt(name, this.feeds[name]));
    await saveCheckpoint(path, { tensors, loader: this.o.loader.state(), meta: { ...this.o.meta, step: String(this.step) } });
  }

  /** Current value of a carried tensor (param or state). */
  value(name: string): Float32Array {
    const t = this.feeds[name];
    if (!t) throw new Error(`Trainer: '${name}' is not carried`);
    return t.data as Float32Array;
  }

  /** One step on the next batch. */
  async trainStep(): Promise<StepRecord> {
    const batch = this.o.loader.next();
    for (const name of this.o.graph.batchInputs) {
      const b = batch[name];
      if (!b) throw new Error(`Trainer: the data loader gave no '${name}'`);
      this.feeds[name] = new ort.Tensor(b.dtype, b.data, b.dims);
    }
    const out = await this.session.run(this.feeds);
    for (const name of this.o.graph.carried) this.feeds[name] = out[nextName(name)];
    this.step++;
    const rec = { step: this.step, loss: num(out[this.o.graph.loss]), lr: num(out[LR]), gradNorm: num(out[GRAD_NORM]) };
    this.history.push(rec);
    return rec;
  }

  /** Train until `steps` steps are done (counting resumed ones). Stops early, after checkpointing, when `signal` aborts. */
  async run(steps: number, signal?: AbortSignal): Promise<StepRecord[]> {
    const batch = this.o.loader.opts.batchSize;
    const bar = createProgress(steps, batch, { enabled: this.o.progress, start: this.step });
    const ck = this.o.checkpoint;
    const done: StepRecord[] = [];
    try {
      while (this.step < steps) {
        if (signal?.aborted) {
          if (ck) await this.save(ck.path);
          break;
        }
        const r = await this.trainStep();
        done.push(r);
        this.o.onStep?.(r);
        bar.update(this.step, r.loss);
        if (ck && this.step % ck.every === 0) await this.save(ck.path);
        if (this.o.onEval && this.o.evalEvery && (this.step % this.o.evalEvery === 0 || this.step === steps)) await this.o.onEval(this, this.step);
      }
    } finally {
      bar.stop();
    }
    return done;
  }

  async dispose(): Promise<void> {
    await this.session.release();
  }
}

/**
 * Session options for training. Spinning is off by default: a train step is thousands of
 * ops, and on a loaded machine a worker spinning at each op barrier burns the time slice
 * its peers need (measured here on 2 shared cores: 16 → 24 GFLOP/s on the bench ViT).
 */
export function sessionOptions(threads?: number, o: { spin?: boolean } = {}): ort.InferenceSession.SessionOptions {
  return {
    intraOpNumThreads: threads ?? availableParallelism(),
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
    ...(o.spin ? {} : { extra: { session: { intra_op: { allow_spinning: '0' } } } }),
  };
}

const num = (t: ort.Tensor) => Number((t.data as Float32Array)[0]);

function toOrt(t: TensorData): ort.Tensor {
  if (t.dtype !== 'float32') throw new Error(`Trainer: carried tensor '${t.name}' is ${t.dtype}, expected float32`);
  // Own copy: ort may hand this buffer back as an output, and initial values can be shared.
  return new ort.Tensor('float32', Float32Array.from(t.values as Float32Array), t.dims);
}

function fromOrt(name: string, t: ort.Tensor): TensorData {
  return { name, dtype: 'float32', dims: [...t.dims], values: (t.data as TensorValues) };
}
