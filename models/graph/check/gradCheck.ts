/**
 * Finite-difference gradient checks for graphs, on onnxruntime-node.
 *
 *   const r = await gradCheck(model, { wrt: ['x', 'fc.weight'], feeds: { x: randn([2, 3]) } });
 *   expect(r.maxRelErr).toBeLessThan(1e-3);
 *
 * The checked scalar is L = Σ out·R with a fixed random R (well conditioned, touches every
 * output element). The analytic side runs `grad()`'s fp32 graph once. The numeric side runs
 * the float64 twin of the forward graph (check/float64.ts) at x ± h, x ± 2h on sampled
 * coordinates (fourth-order central stencil, h = eps·max(1,|x|), eps = 1e-3 by default), so
 * the reference is accurate to far below the 1e-3 tolerance. Inputs of kinked ops (Relu,
 * Clip, Max) must stay more than 2h away from the kink.
 * Relative error per coordinate: |a − n| / max(|a|, |n|, floor), floor = 1e-3·max|a| over
 * the whole analytic gradient tensor, so entries that are ~0 by cancellation are judged on
 * the tensor's scale (an fp32 gradient carries ~1e-7·scale absolute rounding error).
 */
import * as ort from 'onnxruntime-node';
import { GraphBuilder } from '../builder.ts';
import type { Model, TensorValues } from '../ir.ts';
import { encodeModel } from '../encode.ts';
import { grad, gradName } from '../autodiff.ts';
import { numel } from '../dtype.ts';
import { rng } from './rng.ts';
import { toFloat64 } from './float64.ts';

export { rng };

export interface Feed { dims: number[]; data: Float32Array | BigInt64Array | Uint8Array }

export interface GradCheckReport {
  maxRelErr: number;
  perWrt: Record<string, number>;
  worst: { name: string; index: number; analytic: number; numeric: number } | undefined;
  samples: number;
  /** Nodes the float64 twin had to run in float32 (their rounding limits the numeric side). */
  fp32Islands: string[];
}

/** Near-zero entries are judged against this fraction of the tensor's largest gradient entry. */
const FLOOR = 1e-3;

/** Uniform in ±[lo, hi]: keeps samples away from kinks at 0 (Relu, Abs, Max ties). */
export function randAway(dims: number[], seed: number, lo = 0.2, hi = 1): Feed {
  const r = rng(seed);
  const data = Float32Array.from({ length: numel(dims) }, () => (r() < 0.5 ? -1 : 1) * (lo + (hi - lo) * r()));
  return { dims, data };
}

/** Uniform in [lo, hi). */
export function randU(dims: number[], seed: number, lo = -1, hi = 1): Feed {
  const r = rng(seed);
  return { dims, data: Float32Array.from({ length: numel(dims) }, () => lo + (hi - lo) * r()) };
}

/** Move the given initializers to graph inputs (so they can be fed and perturbed). */
export function liftParams(model: Model, names: string[]): Model {
  const g = model.graph;
  const inits = new Map(g.initializers);
  const inputs = [...g.inputs];
  for (const n of names) {
    const t = inits.get(n);
    if (!t) continue;
    inits.delete(n);
    inputs.push({ name: n, dtype: t.dtype, shape: [...t.dims] });
  }
  return { ...model, graph: { ...g, initializers: inits, inputs } };
}

const tensor = (f: Feed) => {
  if (f.data instanceof BigInt64Array) return new ort.Tensor('int64', f.data, f.dims);
  if (f.data instanceof Uint8Array) return new ort.Tensor('bool', f.data, f.dims);
  return new ort.Tensor('float32', f.data, f.dims);
};

export async function runModel(model: Model, feeds: Record<string, Feed>, fetch: string[]): Promise<Record<string, { dims: number[]; data: TensorValues }>> {
  const s = await ort.InferenceSession.create(encodeModel(model));
  try {
    const out = await s.run(Object.fromEntries(Object.entries(feeds).map(([k, v]) => [k, tensor(v)])), fetch);
    return Object.fromEntries(fetch.map((k) => [k, { dims: [...out[k].dims], data: out[k].data as TensorValues }]));
  } finally {
    await s.release();
  }
}

/**
 * A scalar loss output L = Σ out·R (R fixed, random) appended to the model, named `name`
 * ('gc_loss' by default; pass another when checking a graph that already has one).
 */
export function withProbeLoss(model: Model, output: string, outDims: number[], seed: number, name = 'gc_loss'): { model: Model; R: Float64Array } {
  const b = GraphBuilder.from(model);
  const r = rng(seed);
  const R = Float64Array.from({ length: numel(outDims) }, () => 2 * r() - 1);
  const w = b.constant(Float32Array.from(R), outDims);
  const prod = b.op('Mul', [b.value(output), w])[0];
  const loss = b.op('ReduceSum', [prod], { keepdims: 0 })[0];
  b.output(loss, name);
  return { model: b.build({ opset: b.opset }), R };
}

export async function gradCheck(model: Model, opts: {
  wrt: string[]; feeds: Record<string, Feed>; output?: string; samples?: number; eps?: number; seed?: number;
}): Promise<GradCheckReport> {
  const output = opts.output ?? model.graph.outputs[0].name;
  const seed = opts.seed ?? 1;
  const eps = opts.eps ?? 1e-3;
  const lifted = liftParams(model, opts.wrt);
  const feeds: Record<string, Feed> = { ...opts.feeds };
  for (const w of opts.wrt) {
    const t = model.graph.initializers.get(w);
    if (t) feeds[w] = { dims: [...t.dims], data: Float32Array.from(t.values as Float32Array) };
    if (!feeds[w]) throw new Error(`gradCheck: no feed for '${w}'`);
  }
  const fwd = { ...lifted, graph: { ...lifted.graph, outputs: lifted.graph.outputs.filter((o) => o.name === output) } };
  if (fwd.graph.outputs.length === 0) throw new Error(`gradCheck: '${output}' is not an output`);

  // Analytic side: fp32 gradient graph of L = Σ out·R.
  const base = (await runModel(fwd, feeds, [output]))[output];
  let lossName = 'gc_loss';
  for (let k = 1; fwd.graph.nodes.some((n) => n.outputs.includes(lossName)); k++) lossName = `gc_loss_${k}`;
  const { model: probe, R } = withProbeLoss(fwd, output, base.dims, seed + 7, lossName);
  const an = await runModel(grad(probe, { loss: lossName, wrt: opts.wrt }), feeds, opts.wrt.map(gradName));

  // Numeric side: the float64 twin of the forward graph.
  const { model: f64, islands } = toFloat64(fwd);
  const f64feeds: Record<string, { dims: number[]; data: Float64Array | BigInt64Array | Uint8Array }> = Object.fromEntries(
    Object.entries(feeds).map(([k, f]) => [k, { dims: f.dims, data: f.data instanceof Float32Array ? Float64Array.from(f.data) : f.data }]));
  // 'basic': extended fusions (e.g. QuickGelu) only have float32 kernels.
  const session = await ort.InferenceSession.create(encodeModel(f64), { graphOptimizationLevel: 'basic' });
  try {
    const L = async () => {
      const fd = Object.fromEntries(Object.entries(f64feeds).map(([k, f]) => [k,
        f.data instanceof Float64Array ? new ort.Tensor('float64', f.data, f.dims) : tensor(f as Feed)]));
      const d = (await session.run(fd, [output]))[output].data as Float64Array;
      let s = 0;
      for (let i = 0; i < d.length; i++) s += d[i] * R[i];
      return s;
    };
    const r = rng(seed + 13);
    const perWrt: Record<string, number> = {};
    let worst: GradCheckReport['worst'];
    let maxRel = 0, count = 0;
    for (const w of opts.wrt) {
      const a = an[gradName(w)].data as Float32Array;
      const x = f64feeds[w].data as Float64Array;
      if (a.length !== x.length) throw new Error(`gradCheck: gradient of '${w}' has ${a.length} elements, value has ${x.length}`);
      const n = Math.min(opts.samples ?? 8, x.length);
      const idx = new Set<number>();
      while (idx.size < n) idx.add(Math.floor(r() * x.length));
      const pairs: [number, number, number][] = [];
      for (const i of idx) {
        const orig = x[i];
        const h = eps * Math.max(1, Math.abs(orig));
        const at = async (t: number) => { x[i] = orig + t * h; return L(); };
        const [p1, m1, p2, m2] = [await at(1), await at(-1), await at(2), await at(-2)];
        x[i] = orig;
        pairs.push([i, a[i], (8 * (p1 - m1) - (p2 - m2)) / (12 * h)]); // fourth-order central stencil
      }
      let amax = 1e-30;
      for (let i = 0; i < a.length; i++) amax = Math.max(amax, Math.abs(a[i]));
      const floor = FLOOR * amax;
      let m = 0;
      for (const [i, av, nv] of pairs) {
        const rel = Math.abs(av - nv) / Math.max(Math.abs(av), Math.abs(nv), floor);
        if (rel > m) m = rel;
        if (rel >= maxRel) { maxRel = rel; worst = { name: w, index: i, analytic: av, numeric: nv }; }
        count++;
      }
      perWrt[w] = m;
    }
    return { maxRelErr: maxRel, perWrt, worst, samples: count, fp32Islands: islands };
  } finally {
    await session.release();
  }
}
