/**
 * Optimizing the style field with ordinary ONNX sessions (no training API needed):
 *   - the forward graph (params as inputs) gives colors and offsets for this iteration;
 *   - the train-step graph takes params + Adam state + the upstream gradients dL/dcolors and
 *     dL/doffsets (from the renderer's adjoint), builds the surrogate loss
 *     sum(colors·dC) + sum(offsets·dD) — whose parameter gradient is exactly the chain rule's
 *     dL/dθ — and applies one Adam step (β 0.9/0.999, ε 1e-8, lr 5e-4, StepLR ×0.9 every 100
 *     steps, §5.2), so one run = backward + update.
 * Params and Adam state are fed from the previous step's outputs and never read back, so on the
 * WebGPU backend they stay in GPU buffers between steps (`outputsOnGpu`).
 *
 *   const tr = await FieldTrainer.create(rt, field, { points, text_embed });
 *   const { colors, offsets } = await tr.forward();
 *   await tr.step(dColors, dOffsets);
 *   await tr.dispose();
 */
import { grad } from '../../models/graph/autodiff.ts';
import { GraphBuilder } from '../../models/graph/builder.ts';
import { encodeModel } from '../../models/graph/encode.ts';
import type { Model } from '../../models/graph/ir.ts';
import { buildTrainStep, type TrainStepGraph } from '../../models/graph/optim/trainStep.ts';
import { GRAD_NORM, LR, nextName, STEP } from '../../models/graph/optim/names.ts';
import { initializersToInputs } from '../../models/graph/surgery/initializersToInputs.ts';
import type { Runtime, Session, Tensor } from '../../models/runtime/Runtime.ts';
import type { StyleField } from './styleField.ts';

export const SURROGATE = 'xmesh.surrogate';
export const GRAD_COLORS = 'grad_colors';
export const GRAD_OFFSETS = 'grad_offsets';

export interface ScheduleOptions {
  /** Initial learning rate (reference 5e-4). */
  lr: number;
  /** StepLR factor (reference 0.9). */
  decay: number;
  /** StepLR period in steps (reference 100). */
  every: number;
}

export const referenceSchedule: ScheduleOptions = { lr: 5e-4, decay: 0.9, every: 100 };

/** lr used by step s (0-based), StepLR semantics: lr · decay^floor(s / every). */
export const stepLr = (o: ScheduleOptions, s: number): number => o.lr * o.decay ** Math.floor(s / o.every);

/** Forward graph + surrogate loss + reverse-mode gradients of every parameter (`<p>_grad`). */
export function styleFieldGradModel(field: StyleField): Model {
  const b = GraphBuilder.from(field.model);
  const N = field.config.vertices;
  const gc = b.input(GRAD_COLORS, 'float32', [N, 3]);
  const go = b.input(GRAD_OFFSETS, 'float32', [N, 3]);
  const dot = (a: string, g: typeof gc) => b.op('ReduceSum', [b.op('Mul', [b.value(a), g])[0]], { keepdims: 0 })[0];
  b.output(b.op('Add', [dot('colors', gc), dot('offsets', go)])[0], SURROGATE);
  return grad(b.build(), { loss: SURROGATE, wrt: field.params, paramsAsInputs: true });
}

/**
 * Train-step graph with a StepLR schedule. The shared optimizer emitters offer constant/cosine/
 * linear schedules; StepLR is spliced in here: the constant lr's Identity is re-pointed at
 * lr0 · decay^floor(step / every), computed from the carried step counter.
 */
export function styleFieldTrainStep(field: StyleField, sched: ScheduleOptions = referenceSchedule): TrainStepGraph {
  const ts = buildTrainStep(styleFieldGradModel(field), {
    loss: SURROGATE, params: field.params, optimizer: { kind: 'adam', beta1: 0.9, beta2: 0.999, eps: 1e-8 }, schedule: { kind: 'constant', lr: sched.lr },
  });
  const g = ts.model.graph;
  const lrNode = g.nodes.find((n) => n.outputs.includes(LR));
  if (!lrNode || lrNode.op !== 'Identity') throw new Error('styleFieldTrainStep: could not find the lr node of the train-step graph');
  const c = (name: string, v: number) => {
    g.initializers.set(name, { name, dtype: 'float32', dims: [], values: Float32Array.of(v) });
    return name;
  };
  const pre = 'xmesh.steplr';
  const nodes = [
    { name: `${pre}/div`, op: 'Div', inputs: [STEP, c(`${pre}/every`, sched.every)], outputs: [`${pre}/q`], attrs: {} },
    { name: `${pre}/floor`, op: 'Floor', inputs: [`${pre}/q`], outputs: [`${pre}/k`], attrs: {} },
    { name: `${pre}/pow`, op: 'Pow', inputs: [c(`${pre}/decay`, sched.decay), `${pre}/k`], outputs: [`${pre}/f`], attrs: {} },
    { name: `${pre}/mul`, op: 'Mul', inputs: [`${pre}/f`, c(`${pre}/lr0`, sched.lr)], outputs: [`${pre}/lr`], attrs: {} },
  ];
  // Only the step input feeds these, so they can lead the node list (ONNX wants topological order).
  g.nodes.unshift(...nodes);
  const old = lrNode.inputs[0];
  lrNode.inputs = [`${pre}/lr`];
  if (!g.nodes.some((n) => n.inputs.includes(old))) g.initializers.delete(old);
  carriedOutputsFirst(ts);
  return ts;
}

/**
 * Graph outputs reordered so the carried `next` tensors come first, then lr and the grad norm, in
 * the order FieldTrainer fetches them. onnxruntime-web looks a fetched output's preferred location
 * up by output name; onnxruntime-node (1.30) by its position in the fetch list, which then has to
 * match the session's output order for 'gpu-buffer' to land on the right tensors.
 */
function carriedOutputsFirst(ts: TrainStepGraph): void {
  const g = ts.model.graph;
  const order = [...ts.carried.map(nextName), LR, GRAD_NORM];
  const byName = new Map(g.outputs.map((o) => [o.name, o]));
  const head = order.map((n) => byName.get(n)!);
  g.outputs = [...head, ...g.outputs.filter((o) => !order.includes(o.name))];
}

type Feeds = Record<string, Tensor>;

export class FieldTrainer {
  private disposed = false;
  private steps = 0;

  private constructor(
    private readonly rt: Runtime,
    private readonly fwd: Session,
    private readonly train: Session,
    private readonly ts: TrainStepGraph,
    private readonly fixed: Feeds,
    private carried: Map<string, Tensor>,
    private readonly vertices: number,
  ) {}

  /** `fixed`: the field's non-parameter inputs (points, and text_embed or normals). */
  static async create(rt: Runtime, field: StyleField, fixed: Record<string, Float32Array>, sched: ScheduleOptions = referenceSchedule): Promise<FieldTrainer> {
    const ts = styleFieldTrainStep(field, sched);
    const fwdModel = initializersToInputs(field.model, field.params).model;
    const onGpu = rt.backend === 'webgpu';
    const fwd = await rt.createSession(encodeModel(fwdModel));
    let train: Session;
    try {
      train = await rt.createSession(encodeModel(ts.model), { outputsOnGpu: onGpu ? ts.carried.map(nextName) : false });
    } catch (e) {
      await fwd.dispose();
      throw e;
    }
    const feeds: Feeds = {};
    for (const inp of fwdModel.graph.inputs) {
      if (field.params.includes(inp.name)) continue;
      const v = fixed[inp.name];
      if (!v) throw new Error(`FieldTrainer: missing input '${inp.name}'`);
      feeds[inp.name] = rt.tensor('float32', v, inp.shape as number[]);
    }
    const carried = new Map<string, Tensor>();
    for (const name of ts.carried) {
      // Params were turned into inputs by grad(paramsAsInputs), so their start values come from the field.
      const t = ts.initial.get(name) ?? field.model.graph.initializers.get(name);
      if (!t) throw new Error(`FieldTrainer: no initial value for '${name}'`);
      carried.set(name, rt.tensor('float32', Float32Array.from(t.values as Float32Array), ts.dims.get(name)!));
    }
    return new FieldTrainer(rt, fwd, train, ts, feeds, carried, field.config.vertices);
  }

  get stepsTaken(): number { return this.steps; }

  private alive(): void {
    if (this.disposed) throw new Error('FieldTrainer: used after dispose()');
  }

  private paramFeeds(): Feeds {
    const f: Feeds = { ...this.fixed };
    for (const p of this.ts.params) f[p] = this.carried.get(p)!;
    return f;
  }

  /** Colors [N,3] in (0,1) and offsets [N,3] of the current parameters. */
  async forward(): Promise<{ colors: Float32Array; offsets: Float32Array }> {
    this.alive();
    const out = await this.fwd.run(this.paramFeeds(), ['colors', 'offsets']);
    const colors = (await this.rt.read(out.colors)) as Float32Array;
    const offsets = (await this.rt.read(out.offsets)) as Float32Array;
    for (const t of Object.values(out)) t.dispose?.();
    return { colors: Float32Array.from(colors), offsets: Float32Array.from(offsets) };
  }

  /** One backward + Adam step given dL/dcolors and dL/doffsets; returns the lr used and the gradient norm. */
  async step(dColors: Float32Array, dOffsets: Float32Array): Promise<{ lr: number; gradNorm: number }> {
    this.alive();
    const N = this.vertices;
    const feeds: Feeds = { ...this.fixed };
    for (const [k, t] of this.carried) feeds[k] = t;
    feeds[GRAD_COLORS] = this.rt.tensor('float32', dColors, [N, 3]);
    feeds[GRAD_OFFSETS] = this.rt.tensor('float32', dOffsets, [N, 3]);
    // Same order as the graph's outputs (carriedOutputsFirst).
    const fetch = [...this.ts.carried.map(nextName), LR, GRAD_NORM];
    const out = await this.train.run(feeds, fetch);
    const lr = ((await this.rt.read(out[LR])) as Float32Array)[0];
    const gradNorm = ((await this.rt.read(out[GRAD_NORM])) as Float32Array)[0];
    out[LR].dispose?.();
    out[GRAD_NORM].dispose?.();
    const next = new Map<string, Tensor>();
    for (const c of this.ts.carried) next.set(c, out[nextName(c)]);
    for (const t of this.carried.values()) t.dispose?.();
    this.carried = next;
    this.steps++;
    return { lr, gradNorm };
  }

  /**
   * Where each carried tensor (parameters, Adam moments, step) lives now: 'gpu-buffer' on the
   * WebGPU backend after the first step, 'cpu' elsewhere. For tests and the GPU-residency probe.
   */
  residency(): Record<string, string> {
    this.alive();
    return Object.fromEntries([...this.carried].map(([k, t]) => [k, t.location]));
  }

  /** Current parameter values (downloaded), e.g. for checkpoints or tests. */
  async params(): Promise<Map<string, Float32Array>> {
    this.alive();
    const m = new Map<string, Float32Array>();
    for (const p of this.ts.params) m.set(p, Float32Array.from((await this.rt.read(this.carried.get(p)!)) as Float32Array));
    return m;
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    for (const t of this.carried.values()) t.dispose?.();
    for (const t of Object.values(this.fixed)) t.dispose?.();
    await this.fwd.dispose();
    await this.train.dispose();
  }
}
