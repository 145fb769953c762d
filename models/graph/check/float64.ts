/**
 * A float64 twin of a float32 graph, for finite differences that are not drowned in fp32
 * rounding. onnxruntime's CPU EP has double kernels for most ops but not for Conv,
 * ConvTranspose, Erf, Resize or AveragePool; those are lowered here to double-capable ops:
 *   Conv          → Pad + strided Slices (im2col) + MatMul
 *   ConvTranspose → zero-insertion + pad + Conv with the flipped, regrouped kernel
 *   AveragePool   → Pad + strided Slices summed, divided by host-computed window counts
 *   MaxPool       → (−∞) Pad + strided Slices, variadic Max
 *   TopK          → float32 TopK for the indices, GatherElements of the double values
 *   Einsum        → aligned operands, broadcast Mul, ReduceSum
 *   GlobalAveragePool, InstanceNormalization, GroupNormalization → ReduceMean-based formulas
 *   Resize        → the same per-axis interpolation matrices the VJP uses (MatMul)
 *   Erf, Gelu     → the Maclaurin series of erf on x clipped to ±4 (|error| < 1e-13 inside)
 *   Softplus      → max(x, 0) + log(1 + e^-|x|)
 * Anything else without a double kernel runs as a float32 island (Cast around the node)
 * and is reported, so a check knows its precision dropped there.
 *
 *   const { model: m64, islands } = toFloat64(model);
 */
import { GraphBuilder, type Value } from '../builder.ts';
import type { Model, Node, TensorData } from '../ir.ts';
import { numel } from '../dtype.ts';
import { geometry } from '../ops/conv.ts';
import { resizeMatrix } from '../ops/resize.ts';
import { parseEinsum } from '../ops/matmul.ts';
import { rreduce, staticDims } from '../ops/common.ts';
import { inferNode } from '../infer.ts';

/** Ops verified to have float64 kernels on onnxruntime-node's CPU EP (or to be type-agnostic). */
const DOUBLE_OK = new Set([
  'Add', 'Sub', 'Mul', 'Div', 'Pow', 'Sqrt', 'Exp', 'Log', 'Tanh', 'Sigmoid', 'Relu', 'LeakyRelu', 'Neg', 'Abs', 'Reciprocal',
  'Sin', 'Cos', 'Sign', 'Clip', 'Max', 'Min', 'Where', 'Equal', 'Greater', 'Less', 'GreaterOrEqual', 'LessOrEqual', 'And', 'Or', 'Not',
  'MatMul', 'Gemm', 'Softmax', 'LogSoftmax', 'LayerNormalization', 'ReduceMean', 'ReduceSum', 'ReduceMax', 'ReduceMin',
  'Reshape', 'Flatten', 'Squeeze', 'Unsqueeze', 'Transpose', 'Concat', 'Split', 'Slice', 'Expand', 'Pad', 'Gather', 'GatherElements',
  'Identity', 'Cast', 'Shape', 'Size', 'ConstantOfShape', 'Constant', 'Range',
  'BatchNormalization', 'Tile', 'Dropout', 'ReduceL2', 'ReduceSumSquare',
]);

const to64 = (t: TensorData): TensorData =>
  (t.dtype === 'float32' ? { ...t, dtype: 'float64', values: Float64Array.from(t.values as Float32Array) } : t);

function retype(n: Node): Node {
  const attrs = { ...n.attrs };
  if (n.op === 'Cast' && attrs.to?.kind === 'int' && attrs.to.value === 1) attrs.to = { kind: 'int', value: 11 };
  for (const [k, a] of Object.entries(attrs)) if (a.kind === 'tensor') attrs[k] = { kind: 'tensor', value: to64(a.value) };
  return { ...n, attrs };
}

export function toFloat64(model: Model): { model: Model; islands: string[] } {
  const g = model.graph;
  const src: Model = {
    ...model,
    graph: {
      ...g, nodes: [], valueInfo: new Map(),
      inputs: g.inputs.map((i) => (i.dtype === 'float32' ? { ...i, dtype: 'float64' } : i)),
      initializers: new Map([...g.initializers].map(([k, t]) => [k, to64(t)])),
    },
  };
  const b = GraphBuilder.from(src);
  b.outputs.length = 0;
  const islands: string[] = [];
  const alias = new Map<string, string>();
  const name = (s: string) => alias.get(s) ?? s;
  for (const n0 of g.nodes) {
    const n = retype({ ...n0, inputs: n0.inputs.map((i) => (i ? name(i) : i)) });
    if (DOUBLE_OK.has(n.op) && !n.domain) { b.addNode(n); continue; }
    const lower = Object.hasOwn(LOWER, n.op) && !n.domain ? LOWER[n.op] : undefined;
    const outs = lower ? b.scope(`f64/${n.name}`, () => lower(b, n, islands)) : island(b, n, islands);
    outs.forEach((v, i) => { if (n.outputs[i]) alias.set(n.outputs[i], v.name); });
  }
  for (const o of g.outputs) {
    const v = b.value(name(o.name));
    const out = v.name === o.name ? v : b.addNode({ name: b.fresh('Identity'), op: 'Identity', inputs: [v.name], outputs: [o.name], attrs: {} })[0];
    b.outputs.push({ name: out.name, dtype: out.dtype, shape: out.shape });
  }
  return { model: b.build({ opset: b.opset }), islands };
}

/** Run the node in float32 between Casts. */
function island(b: GraphBuilder, n: Node, islands: string[]): Value[] {
  islands.push(`${n.op} (${n.name})`);
  const ins = n.inputs.map((i) => {
    if (!i) return undefined;
    const v = b.value(i);
    return v.dtype === 'float64' ? b.op('Cast', [v], { to: 1 })[0] : v;
  });
  const outs = b.op(n.op, ins, Object.fromEntries(Object.entries(n0attrs(n))), n.outputs.length);
  return outs.map((v) => (v.dtype === 'float32' ? b.op('Cast', [v], { to: 11 })[0] : v));
}
const n0attrs = (n: Node) => {
  const a = { ...n.attrs };
  if (n.op === 'Cast' && a.to?.kind === 'int' && a.to.value === 11) a.to = { kind: 'int', value: 1 };
  return a;
};

/** Static output dims of a node that is being lowered (it is never added to the builder). */
function outDims(b: GraphBuilder, n: Node): number[] {
  const v = inferNode(n, (k) => b.info.get(k), (k) => b.consts.get(k), b.opset)[0];
  if (!v) throw new Error(`toFloat64: cannot infer the output of '${n.name}'`);
  return staticDims(v, `toFloat64 '${n.name}'`);
}

const c64 = (b: GraphBuilder, v: number[] | Float32Array, dims: number[]) => b.constant(Float64Array.from(v), dims, 'float64');
const slice = (b: GraphBuilder, x: Value, st: number[], en: number[], ax: number[], steps?: number[]) =>
  b.op('Slice', [x, b.ints(st), b.ints(en), b.ints(ax), steps ? b.ints(steps) : undefined])[0];

/** Strided windows of a padded input: one [N, C, ...out] slice per kernel offset. */
function windows(b: GraphBuilder, x: Value, k: number[], s: number[], d: number[], p: number[], out: number[], padValue = 0): Value[] {
  const sp = k.length;
  const xp = p.some((v) => v !== 0) ? b.op('Pad', [x, b.ints([0, 0, ...p.slice(0, sp), 0, 0, ...p.slice(sp)]), c64(b, [padValue], [])])[0] : x;
  const offsets: number[][] = [[]];
  for (let i = 0; i < sp; i++) { const next: number[][] = []; for (const o of offsets) for (let j = 0; j < k[i]; j++) next.push([...o, j]); offsets.splice(0, offsets.length, ...next); }
  const axes = [...Array(sp).keys()].map((i) => i + 2);
  return offsets.map((o) => slice(b, xp, o.map((j, i) => j * d[i]), o.map((j, i) => j * d[i] + (out[i] - 1) * s[i] + 1), axes, s));
}

/** Conv as im2col + grouped MatMul, all in double. */
function convLowered(b: GraphBuilder, x: Value, w: Value, bias: Value | undefined, geo: ReturnType<typeof geometry>, outSp: number[]): Value {
  const xs = staticDims(x, 'f64 Conv'), ws = staticDims(w, 'f64 Conv');
  const [N, C] = xs, M = ws[0], g = geo.g, K = numel(geo.k), O = numel(outSp);
  const cols = windows(b, x, geo.k, geo.s, geo.d, geo.p, outSp).map((v) => b.op('Unsqueeze', [v, b.ints([2])])[0]);
  const stacked = cols.length === 1 ? cols[0] : b.op('Concat', cols, { axis: 2 })[0]; // [N, C, K, ...out]
  const colsM = b.op('Reshape', [stacked, b.ints([N, g, (C / g) * K, O])])[0];
  const wM = b.op('Reshape', [w, b.ints([g, M / g, (C / g) * K])])[0];
  let y = b.op('Reshape', [b.op('MatMul', [wM, colsM])[0], b.ints([N, M, ...outSp])])[0];
  if (bias) y = b.op('Add', [y, b.op('Reshape', [bias, b.ints([M, ...outSp.map(() => 1)])])[0]])[0];
  return y;
}

const LOWER: Record<string, (b: GraphBuilder, n: Node, islands: string[]) => Value[]> = {
  Conv: (b, n, _islands) => {
    const x = b.value(n.inputs[0]), w = b.value(n.inputs[1]);
    const geo = geometry(n, staticDims(x, 'f64 Conv'), staticDims(w, 'f64 Conv').slice(2));
    const outSp = outDims(b, n).slice(2);
    return [convLowered(b, x, w, n.inputs[2] ? b.value(n.inputs[2]) : undefined, geo, outSp)];
  },
  ConvTranspose: (b, n, islands) => {
    const x = b.value(n.inputs[0]), w = b.value(n.inputs[1]);
    const xs = staticDims(x, 'f64 ConvTranspose'), ws = staticDims(w, 'f64 ConvTranspose');
    const geo = geometry(n, xs, ws.slice(2));
    const sp = geo.k.length, g = geo.g, Cin = ws[0], Mg = ws[1];
    const op = n.attrs.output_padding?.kind === 'ints' ? n.attrs.output_padding.value : Array(sp).fill(0);
    // zero-insert: [N, C, H, 1, W, 1] → pad to stride → reshape → crop the trailing zeros
    let z = x;
    const inSp = xs.slice(2);
    if (geo.s.some((v) => v > 1)) {
      const unsq = b.op('Unsqueeze', [x, b.ints(inSp.map((_, i) => 3 + 2 * i))])[0];
      const r = 2 + 2 * sp;
      const pads = Array(2 * r).fill(0);
      inSp.forEach((_, i) => { pads[r + 3 + 2 * i] = geo.s[i] - 1; });
      const padded = b.op('Pad', [unsq, b.ints(pads)])[0];
      const flat = b.op('Reshape', [padded, b.ints([xs[0], xs[1], ...inSp.map((d, i) => d * geo.s[i])])])[0];
      z = slice(b, flat, inSp.map(() => 0), inSp.map((d, i) => (d - 1) * geo.s[i] + 1), inSp.map((_, i) => i + 2));
    }
    const lo = geo.k.map((k, i) => geo.d[i] * (k - 1) - geo.p[i]);
    const hi = geo.k.map((k, i) => geo.d[i] * (k - 1) - geo.p[i + sp] + op[i]);
    if ([...lo, ...hi].some((v) => v < 0)) return island(b, n, islands);
    // weight [Cin, Mg, k] → per group [Mg, Cin/g, k], spatially flipped
    const wr = b.op('Reshape', [w, b.ints([g, Cin / g, Mg, ...geo.k])])[0];
    const wt = b.op('Transpose', [wr], { perm: [0, 2, 1, ...geo.k.map((_, i) => i + 3)] })[0];
    const wc = b.op('Reshape', [wt, b.ints([g * Mg, Cin / g, ...geo.k])])[0];
    const axes = geo.k.map((_, i) => i + 2);
    const wf = slice(b, wc, geo.k.map(() => -1), geo.k.map(() => -(2 ** 62)), axes, geo.k.map(() => -1));
    const outSp = outDims(b, n).slice(2);
    return [convLowered(b, z, wf, n.inputs[2] ? b.value(n.inputs[2]) : undefined, { sp, k: geo.k, s: geo.k.map(() => 1), d: geo.d, p: [...lo, ...hi], g }, outSp)];
  },
  AveragePool: (b, n, _islands) => {
    const x = b.value(n.inputs[0]);
    const xs = staticDims(x, 'f64 AveragePool');
    const geo = geometry(n, xs, []);
    const outSp = outDims(b, n).slice(2);
    const parts = windows(b, x, geo.k, geo.s, geo.d, geo.p, outSp);
    let s = parts[0];
    for (const p of parts.slice(1)) s = b.op('Add', [s, p])[0];
    const include = n.attrs.count_include_pad?.kind === 'int' && n.attrs.count_include_pad.value === 1;
    const inSp = xs.slice(2);
    const counts = new Float64Array(numel(outSp));
    for (let f = 0; f < counts.length; f++) {
      let rem = f, c = 1;
      for (let i = outSp.length - 1; i >= 0; i--) {
        const j = rem % outSp[i]; rem = Math.floor(rem / outSp[i]);
        const start = j * geo.s[i] - geo.p[i];
        c *= include ? geo.k[i] : Math.min(start + geo.k[i], inSp[i]) - Math.max(start, 0);
      }
      counts[f] = c;
    }
    return [b.op('Div', [s, b.constant(counts, outSp, 'float64')])[0]];
  },
  // TopK has no double kernel: pick indices in float32 (ties aside, the same), take values in double.
  TopK: (b, n, _islands) => {
    const x = b.value(n.inputs[0]);
    const x32 = b.op('Cast', [x], { to: 1 })[0];
    const [, idx] = b.op('TopK', [x32, b.value(n.inputs[1])], n.attrs, 2);
    const axis = n.attrs.axis?.kind === 'int' ? n.attrs.axis.value : -1;
    return [b.op('GatherElements', [x, idx], { axis })[0], idx];
  },
  // Einsum (no double kernel): align every operand to one letter order, multiply, ReduceSum.
  Einsum: (b, n, _islands) => {
    const { ins, out } = parseEinsum(n.attrs.equation?.kind === 'string' ? n.attrs.equation.value : '');
    const letters = [...new Set([...ins.join(''), ...out])];
    let prod: Value | undefined;
    ins.forEach((sub, i) => {
      let v = b.value(n.inputs[i]);
      const order = [...sub].sort((p, q) => letters.indexOf(p) - letters.indexOf(q));
      if (order.join('') !== sub) v = b.op('Transpose', [v], { perm: order.map((ch) => sub.indexOf(ch)) })[0];
      const missing = letters.map((ch, k) => (sub.includes(ch) ? -1 : k)).filter((k) => k >= 0);
      if (missing.length) v = b.op('Unsqueeze', [v, b.ints(missing)])[0];
      prod = prod ? b.op('Mul', [prod, v])[0] : v;
    });
    const summed = letters.map((ch, k) => (out.includes(ch) ? -1 : k)).filter((k) => k >= 0);
    let y = summed.length ? b.op('ReduceSum', [prod!, b.ints(summed)], { keepdims: 0 })[0] : prod!;
    const rest = letters.filter((ch) => out.includes(ch));
    if (rest.join('') !== out) y = b.op('Transpose', [y], { perm: [...out].map((ch) => rest.indexOf(ch)) })[0];
    return [y];
  },
  MaxPool: (b, n, islands) => {
    if (n.outputs.length > 1 && n.outputs[1]) return island(b, n, islands);
    const x = b.value(n.inputs[0]);
    const geo = geometry(n, staticDims(x, 'f64 MaxPool'), []);
    const parts = windows(b, x, geo.k, geo.s, geo.d, geo.p, outDims(b, n).slice(2), -Infinity);
    return [parts.length === 1 ? parts[0] : b.op('Max', parts)[0]];
  },
  Resize: (b, n, islands) => {
    const x = b.value(n.inputs[0]);
    const xs = staticDims(x, 'f64 Resize'), ys = outDims(b, n);
    const str = (k: string, d: string) => (n.attrs[k]?.kind === 'string' ? (n.attrs[k].value as string) : d);
    const scales = n.inputs[2] ? b.consts.get(n.inputs[2]) : undefined;
    const mode = str('mode', 'nearest');
    if (mode !== 'nearest' && mode !== 'linear') return island(b, n, islands);
    let y = x;
    for (let a = 0; a < xs.length; a++) {
      if (xs[a] === ys[a] && (!scales || scales.values[a] === 1)) continue;
      if (a < xs.length - 2) return island(b, n, islands);
      const scale = scales && scales.values.length === xs.length ? scales.values[a] : ys[a] / xs[a];
      const A = resizeMatrix(xs[a], ys[a], scale, mode, str('coordinate_transformation_mode', 'half_pixel'), str('nearest_mode', 'round_prefer_floor'));
      if (a === xs.length - 1) {
        const At = new Float64Array(A.length);
        for (let o = 0; o < ys[a]; o++) for (let i = 0; i < xs[a]; i++) At[i * ys[a] + o] = A[o * xs[a] + i];
        y = b.op('MatMul', [y, b.constant(At, [xs[a], ys[a]], 'float64')])[0];
      } else y = b.op('MatMul', [c64(b, A, [ys[a], xs[a]]), y])[0];
    }
    return [y];
  },
  InstanceNormalization: (b, n, _islands) => {
    const [x, scale, bias] = n.inputs.map((i) => b.value(i));
    const r = staticDims(x, 'f64 InstanceNormalization').length;
    const axes = [...Array(r - 2).keys()].map((i) => i + 2);
    const eps = n.attrs.epsilon?.kind === 'float' ? n.attrs.epsilon.value : 1e-5;
    const chan = (v: Value) => b.op('Reshape', [v, b.ints([-1, ...axes.map(() => 1)])])[0];
    const xc = b.op('Sub', [x, rreduce(b, 'ReduceMean', x, axes)])[0];
    const v = rreduce(b, 'ReduceMean', b.op('Mul', [xc, xc])[0], axes);
    const xn = b.op('Div', [xc, b.op('Sqrt', [b.op('Add', [v, c64(b, [eps], [])])[0]])[0]])[0];
    return [b.op('Add', [b.op('Mul', [xn, chan(scale)])[0], chan(bias)])[0]];
  },
  GroupNormalization: (b, n, _islands) => {
    const [x, scale, bias] = n.inputs.map((i) => b.value(i));
    const xs = staticDims(x, 'f64 GroupNormalization');
    const G = n.attrs.num_groups?.kind === 'int' ? n.attrs.num_groups.value : 1;
    const C = xs[1];
    const eps = n.attrs.epsilon?.kind === 'float' ? n.attrs.epsilon.value : 1e-5;
    const xg = b.op('Reshape', [x, b.ints([xs[0], G, -1])])[0];
    const xc = b.op('Sub', [xg, rreduce(b, 'ReduceMean', xg, [2])])[0];
    const v = rreduce(b, 'ReduceMean', b.op('Mul', [xc, xc])[0], [2]);
    const xn = b.op('Reshape', [b.op('Div', [xc, b.op('Sqrt', [b.op('Add', [v, c64(b, [eps], [])])[0]])[0]])[0], b.ints(xs)])[0];
    const sp = xs.slice(2).map(() => 1);
    const chan = (t: Value) => (b.opset >= 21 ? b.op('Reshape', [t, b.ints([C, ...sp])])[0]
      : b.op('Reshape', [b.op('Expand', [b.op('Reshape', [t, b.ints([G, 1])])[0], b.ints([G, C / G])])[0], b.ints([C, ...sp])])[0]);
    return [b.op('Add', [b.op('Mul', [xn, chan(scale)])[0], chan(bias)])[0]];
  },
  GlobalAveragePool: (b, n, _islands) => {
    const x = b.value(n.inputs[0]);
    const r = staticDims(x, 'f64 GlobalAveragePool').length;
    return [rreduce(b, 'ReduceMean', x, [...Array(r - 2).keys()].map((i) => i + 2), true)];
  },
  // log(1 + eˣ), written stably as max(x, 0) + log(1 + e^{-|x|})
  Softplus: (b, n, _islands) => {
    const x = b.value(n.inputs[0]);
    const e = b.op('Exp', [b.op('Neg', [b.op('Abs', [x])[0]])[0]])[0];
    return [b.op('Add', [b.op('Relu', [x])[0], b.op('Log', [b.op('Add', [e, c64(b, [1], [])])[0]])[0]])[0]];
  },
  Gelu: (b, n, islands) => {
    const x = b.value(n.inputs[0]);
    const c = (v: number) => c64(b, [v], []);
    const m = (p: Value, q: Value) => b.op('Mul', [p, q])[0];
    if (n.attrs.approximate?.kind === 'string' && n.attrs.approximate.value === 'tanh') {
      const inner = m(b.op('Add', [x, m(m(m(x, x), x), c(0.044715))])[0], c(Math.sqrt(2 / Math.PI)));
      return [m(m(x, c(0.5)), b.op('Add', [b.op('Tanh', [inner])[0], c(1)])[0])];
    }
    const e = LOWER.Erf(b, { ...n, op: 'Erf', inputs: [m(x, c(Math.SQRT1_2)).name] }, islands)[0];
    return [m(m(x, c(0.5)), b.op('Add', [e, c(1)])[0])];
  },
  Erf: (b, n, _islands) => {
    // erf(x) = 2/√π · x · Σ (-1)^k x^{2k} / (k! (2k+1)), Horner in z = x²; 80 terms reach 1e-16 at |x| = 4.
    const x = b.op('Clip', [b.value(n.inputs[0]), c64(b, [-4], []), c64(b, [4], [])])[0];
    const z = b.op('Mul', [x, x])[0];
    const coef: number[] = [];
    let fact = 1;
    for (let k = 0; k < 80; k++) { if (k > 0) fact *= k; coef.push((k % 2 ? -1 : 1) / (fact * (2 * k + 1))); }
    let p = c64(b, [coef[coef.length - 1]], []);
    for (let k = coef.length - 2; k >= 0; k--) p = b.op('Add', [b.op('Mul', [p, z])[0], c64(b, [coef[k]], [])])[0];
    return [b.op('Mul', [b.op('Mul', [p, x])[0], c64(b, [2 / Math.sqrt(Math.PI)], [])])[0]];
  },
};
