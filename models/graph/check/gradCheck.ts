/**
 * Finite-difference gradient checks for graphs, on onnxruntime-node.
 *
 *   const r = await gradCheck(model, { wrt: ['x', 'fc.weight'], feeds: { x: randn([2, 3]) } });
 *   expect(r.maxRelErr).toBeLessThan(1e-3);
 *
 * The checked scalar is L = Σ out·R with a fixed random R (well conditioned, touches every
 * output element). The analytic side runs `grad()`'s graph once. The numeric side runs the
 * forward graph at x ± h, x ± 2h on sampled coordinates (fourth-order stencil) and forms L in
 * float64 on the host. The network itself runs in fp32, whose rounding is the noise floor, so
 * the step is chosen per coordinate: h = eps·max(1,|x|)·2^-k for k = 0..3, keeping the estimate
 * whose neighbour agrees best. Inputs of kinked ops must stay > 2·eps away from the kink.
 * Relative error per coordinate: |a − n| / max(|a|, |n|, floor), floor = 1e-2·max|a| over the
 * whole analytic gradient tensor: entries near zero are judged on the tensor's scale, since an
 * fp32 central difference carries ~1e-6 absolute noise whatever the entry's size.
 */
import * as ort from 'onnxruntime-node';
import { GraphBuilder } from '../builder.ts';
import type { Model, TensorValues } from '../ir.ts';
import { encodeModel } from '../encode.ts';
import { grad, gradName } from '../autodiff.ts';
import { numel } from '../dtype.ts';
import { rng } from './rng.ts';

export { rng };

export interface Feed { dims: number[]; data: Float32Array | BigInt64Array | Uint8Array }

export interface GradCheckReport {
  maxRelErr: number;
  perWrt: Record<string, number>;
  worst: { name: string; index: number; analytic: number; numeric: number } | undefined;
  samples: number;
}

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

/** A scalar loss output 'gc_loss' = Σ out·R (R fixed, random) appended to the model. */
export function withProbeLoss(model: Model, output: string, outDims: number[], seed: number): { model: Model; R: Float64Array } {
  const b = GraphBuilder.from(model);
  const r = rng(seed);
  const R = Float64Array.from({ length: numel(outDims) }, () => 2 * r() - 1);
  const w = b.constant(Float32Array.from(R), outDims);
  const prod = b.op('Mul', [b.value(output), w])[0];
  const loss = b.op('ReduceSum', [prod], { keepdims: 0 })[0];
  b.output(loss, 'gc_loss');
  return { model: b.build({ opset: b.opset }), R };
}

export async function gradCheck(model: Model, opts: {
  wrt: string[]; feeds: Record<string, Feed>; output?: string; samples?: number; eps?: number; seed?: number;
}): Promise<GradCheckReport> {
  const output = opts.output ?? model.graph.outputs[0].name;
  const seed = opts.seed ?? 1;
  const eps = opts.eps ?? 4e-2;
  const lifted = liftParams(model, opts.wrt);
  const feeds: Record<string, Feed> = { ...opts.feeds };
  for (const w of opts.wrt) {
    const t = model.graph.initializers.get(w);
    if (t) feeds[w] = { dims: [...t.dims], data: Float32Array.from(t.values as Float32Array) };
    if (!feeds[w]) throw new Error(`gradCheck: no feed for '${w}'`);
  }
  const fwd = { ...lifted, graph: { ...lifted.graph, outputs: lifted.graph.outputs.filter((o) => o.name === output) } };
  if (fwd.graph.outputs.length === 0) throw new Error(`gradCheck: '${output}' is not an output`);
  const fSession = await ort.InferenceSession.create(encodeModel(fwd));
  try {
    const evalOut = async (f: Record<string, Feed>) => {
      const o = await fSession.run(Object.fromEntries(Object.entries(f).map(([k, v]) => [k, tensor(v)])), [output]);
      return o[output];
    };
    const base = await evalOut(feeds);
    const { model: probe, R } = withProbeLoss(fwd, output, [...base.dims], seed + 7);
    const gm = grad(probe, { loss: 'gc_loss', wrt: opts.wrt });
    const an = await runModel(gm, feeds, opts.wrt.map(gradName));
    const L = async (f: Record<string, Feed>) => {
      const d = (await evalOut(f)).data as Float32Array;
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
      const x = feeds[w].data as Float32Array;
      if (a.length !== x.length) throw new Error(`gradCheck: gradient of '${w}' has ${a.length} elements, value has ${x.length}`);
      const n = Math.min(opts.samples ?? 8, x.length);
      const idx = new Set<number>();
      while (idx.size < n) idx.add(Math.floor(r() * x.length));
      const pairs: [number, number, number][] = [];
      for (const i of idx) {
        const orig = x[i];
        const stencil = async (h: number) => {
          const at = async (t: number) => { x[i] = Math.fround(orig + t * h); const v = await L(feeds); return { v, dx: x[i] - orig }; };
          const [p1, m1, p2, m2] = [await at(1), await at(-1), await at(2), await at(-2)];
          // fourth-order central stencil; actual fp32 steps are nearly symmetric, use their mean
          const hh = (p1.dx - m1.dx + (p2.dx - m2.dx) / 2) / 4;
          return (8 * (p1.v - m1.v) - (p2.v - m2.v)) / (12 * hh);
        };
        // Halve the step until consecutive estimates agree best: large steps carry truncation
        // error (steep LayerNorm/Softmax regions), small ones fp32 noise; the closest pair wins.
        const base = eps * Math.max(1, Math.abs(orig));
        const est: number[] = [];
        for (let k = 0; k < 4; k++) est.push(await stencil(base / 2 ** k));
        x[i] = orig;
        let best = 0;
        for (let k = 1; k < est.length - 1; k++) if (Math.abs(est[k] - est[k + 1]) < Math.abs(est[best] - est[best + 1])) best = k;
        pairs.push([i, a[i], est[best + 1]]);
      }
      let amax = 1e-12;
      for (let i = 0; i < a.length; i++) amax = Math.max(amax, Math.abs(a[i]));
      const floor = 1e-2 * amax;
      let m = 0;
      for (const [i, av, nv] of pairs) {
        const rel = Math.abs(av - nv) / Math.max(Math.abs(av), Math.abs(nv), floor);
        if (rel > m) m = rel;
        if (rel >= maxRel) { maxRel = rel; worst = { name: w, index: i, analytic: av, numeric: nv }; }
        count++;
      }
      perWrt[w] = m;
    }
    return { maxRelErr: maxRel, perWrt, worst, samples: count };
  } finally {
    await fSession.release();
  }
}
