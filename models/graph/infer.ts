/**
 * Static shape/dtype inference and small int64 constant evaluation over the IR.
 *
 *   const info = inferShapes(model);            // every value's { dtype, shape? }
 *   info.get('blocks.0/MatMul_3')?.shape        // e.g. ['batch', 17, 64]
 *
 * Why it exists: autodiff needs ranks and literal dims to undo broadcasting, to size
 * ConvTranspose outputs and to build Resize/Gather adjoints. Dims are numbers when known,
 * a symbol ('batch') when carried through, or '?' when unknown. Shape-computing int64
 * subgraphs (Shape → Gather → Concat → Reshape) are folded so reshapes keep static shapes.
 */
import type { DType, Dim, Model, Node, ValueInfo } from './ir.ts';
import { numel } from './dtype.ts';
import {
  CONST_LIMIT, type ConstLookup, type ConstVal, type InfoLookup, SYM_OPS, type SymLookup,
  attrInt, attrInts, broadcastShapes, constFromTensor, evalConst, evalSym, isNum, normAxis, sliceRange,
} from './infer/shapeMath.ts';

export {
  type ConstLookup, type ConstVal, type InfoLookup, type SymLookup,
  attrFloat, attrInt, attrInts, broadcastShapes, constFromTensor, evalConst, evalSym, sliceRange,
} from './infer/shapeMath.ts';

const FLOAT_OUT_SAME = new Set([
  'Add', 'Sub', 'Mul', 'Div', 'Pow', 'Max', 'Min', 'Sum', 'Mean', 'PRelu',
]);
const UNARY = new Set([
  'Identity', 'Neg', 'Abs', 'Sqrt', 'Exp', 'Log', 'Tanh', 'Erf', 'Relu', 'Sigmoid', 'Softmax', 'LogSoftmax', 'LeakyRelu',
  'Clip', 'Reciprocal', 'Sin', 'Cos', 'Floor', 'Ceil', 'Round', 'Sign', 'Softplus', 'Elu', 'Gelu', 'HardSigmoid',
  'LayerNormalization', 'GroupNormalization', 'InstanceNormalization', 'BatchNormalization', 'Dropout', 'Not', 'Hardmax',
]);
const COMPARE = new Set(['Equal', 'Less', 'Greater', 'LessOrEqual', 'GreaterOrEqual', 'And', 'Or', 'Xor']);

function convOut(x: Dim[], w: Dim[] | undefined, n: Node, transposed: boolean): Dim[] | undefined {
  const sp = x.length - 2;
  const kernel = attrInts(n, 'kernel_shape') ?? w?.slice(2);
  if (!kernel) return undefined;
  const strides = attrInts(n, 'strides') ?? Array(sp).fill(1);
  const dil = attrInts(n, 'dilations') ?? Array(sp).fill(1);
  const pads = attrInts(n, 'pads') ?? Array(2 * sp).fill(0);
  const autoPad = n.attrs.auto_pad?.kind === 'string' ? n.attrs.auto_pad.value : 'NOTSET';
  const group = attrInt(n, 'group', 1);
  const out: Dim[] = [x[0]];
  if (n.op === 'Conv') out.push(w?.[0] ?? '?');
  else if (n.op === 'ConvTranspose') out.push(isNum(w?.[1]) ? (w![1] as number) * group : '?');
  else out.push(x[1]); // pools keep channels
  const outShape = attrInts(n, 'output_shape');
  for (let i = 0; i < sp; i++) {
    const d = x[2 + i];
    const k = kernel[i] as Dim;
    if (!isNum(d) || !isNum(k)) { out.push('?'); continue; }
    if (transposed) {
      if (outShape) { out.push(outShape[i]); continue; }
      const op = attrInts(n, 'output_padding')?.[i] ?? 0;
      out.push(strides[i] * (d - 1) + op + ((k - 1) * dil[i] + 1) - pads[i] - pads[i + sp]);
    } else if (autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER') {
      out.push(Math.ceil(d / strides[i]));
    } else {
      const p = autoPad === 'VALID' ? 0 : pads[i] + pads[i + sp];
      const span = (k - 1) * dil[i] + 1;
      const ceil = attrInt(n, 'ceil_mode', 0) === 1;
      const q = (d + p - span) / strides[i];
      out.push((ceil ? Math.ceil(q) : Math.floor(q)) + 1);
    }
  }
  return out;
}

function reduceAxes(n: Node, opset: number, c: ConstLookup): number[] | undefined | 'unknown' {
  // ReduceSum (13+) and all Reduce* at 18+ take axes as an input; before that, an attribute.
  const asInput = n.op === 'ReduceSum' || opset >= 18;
  if (asInput) {
    if (!n.inputs[1]) return undefined;
    const v = c(n.inputs[1]);
    return v ? v.values : 'unknown';
  }
  return attrInts(n, 'axes');
}

/** Output infos for one node, given lookups of already known values. */
export function inferNode(n: Node, info: InfoLookup, c: ConstLookup, opset: number, sym: SymLookup = () => undefined): (ValueInfo | undefined)[] {
  const sv = (k: string | undefined): Dim[] | undefined => (k ? c(k)?.values ?? sym(k) : undefined);
  const ins = n.inputs.map((x) => (x ? info(x) : undefined));
  const x = ins[0];
  const xs = x?.shape;
  const one = (dtype: DType | undefined, shape?: Dim[]): (ValueInfo | undefined)[] =>
    [dtype ? { name: n.outputs[0], dtype, shape } : undefined];
  if (UNARY.has(n.op)) return one(x?.dtype, xs && [...xs]);
  if (FLOAT_OUT_SAME.has(n.op)) {
    let s: Dim[] | undefined = xs && [...xs];
    for (const y of ins.slice(1)) s = s && y?.shape ? broadcastShapes(s, y.shape) : undefined;
    return one(x?.dtype, s);
  }
  if (COMPARE.has(n.op)) {
    const y = ins[1]?.shape;
    return one('bool', xs && y ? broadcastShapes(xs, y) : undefined);
  }
  switch (n.op) {
    case 'Cast': {
      const to = attrInt(n, 'to', 1);
      const map: Record<number, DType> = { 1: 'float32', 2: 'uint8', 3: 'int8', 6: 'int32', 7: 'int64', 9: 'bool', 10: 'float16', 11: 'float64' };
      return one(map[to], xs && [...xs]);
    }
    case 'Where': {
      const s = ins.every((i) => i?.shape) ? broadcastShapes(broadcastShapes(ins[0]!.shape!, ins[1]!.shape!), ins[2]!.shape!) : undefined;
      return one(ins[1]?.dtype, s);
    }
    case 'Constant': {
      const a = n.attrs.value;
      if (a?.kind === 'tensor') return one(a.value.dtype, [...a.value.dims]);
      if (n.attrs.value_float) return one('float32', []);
      if (n.attrs.value_int) return one('int64', []);
      if (n.attrs.value_ints?.kind === 'ints') return one('int64', [n.attrs.value_ints.value.length]);
      if (n.attrs.value_floats?.kind === 'floats') return one('float32', [n.attrs.value_floats.value.length]);
      return one(undefined);
    }
    case 'Shape': return one('int64', xs ? [xs.length] : undefined);
    case 'Size': return one('int64', []);
    case 'ConstantOfShape': {
      const v = sv(n.inputs[0]);
      const a = n.attrs.value;
      return one(a?.kind === 'tensor' ? a.value.dtype : 'float32', v ? v : ins[0]?.shape && isNum(ins[0].shape[0]) ? Array(ins[0].shape[0]).fill('?') : undefined);
    }
    case 'Range': {
      const [s, l, d] = [c(n.inputs[0]), c(n.inputs[1]), c(n.inputs[2])];
      return one(x?.dtype, s && l && d ? [Math.max(0, Math.ceil((l.values[0] - s.values[0]) / d.values[0]))] : ['?']);
    }
    case 'MatMul': {
      const y = ins[1]?.shape;
      if (!xs || !y) return one(x?.dtype);
      const a = xs.length === 1 ? [1, xs[0]] : xs;
      const b = y.length === 1 ? [y[0], 1] : y;
      const batch = broadcastShapes(a.slice(0, -2), b.slice(0, -2));
      const out: Dim[] = [...batch, ...(xs.length === 1 ? [] : [a[a.length - 2]]), ...(y.length === 1 ? [] : [b[b.length - 1]])];
      return one(x?.dtype, out);
    }
    case 'Gemm': {
      const y = ins[1]?.shape;
      if (!xs || !y) return one(x?.dtype);
      const m = attrInt(n, 'transA', 0) ? xs[1] : xs[0];
      const nn = attrInt(n, 'transB', 0) ? y[0] : y[1];
      return one(x?.dtype, [m, nn]);
    }
    case 'Conv': case 'ConvTranspose': case 'AveragePool': case 'MaxPool':
      return [xs ? { name: n.outputs[0], dtype: x!.dtype, shape: convOut(xs, ins[1]?.shape, n, n.op === 'ConvTranspose') } : undefined];
    case 'GlobalAveragePool': case 'GlobalMaxPool':
      return one(x?.dtype, xs && [xs[0], xs[1], ...xs.slice(2).map(() => 1)]);
    case 'Transpose': {
      if (!xs) return one(x?.dtype);
      const perm = attrInts(n, 'perm') ?? xs.map((_, i) => xs.length - 1 - i);
      return one(x?.dtype, perm.map((p) => xs[p]));
    }
    case 'Reshape': {
      const s = sv(n.inputs[1]);
      if (!s) return one(x?.dtype, ins[1]?.shape && isNum(ins[1].shape[0]) ? Array(ins[1].shape[0]).fill('?') : undefined);
      const allowZero = attrInt(n, 'allowzero', 0) === 1;
      const out: Dim[] = s.map((v, i) => (v === 0 && !allowZero ? (xs?.[i] ?? '?') : v));
      const neg = out.indexOf(-1);
      if (neg >= 0) {
        const known = out.filter((d, i) => i !== neg);
        const total = xs && xs.every(isNum) ? numel(xs as number[]) : undefined;
        const symX = xs?.filter((d) => !isNum(d)).sort() ?? [];
        const symK = known.filter((d) => !isNum(d)).sort();
        if (total !== undefined && known.every(isNum)) out[neg] = total / numel(known as number[]);
        else if (xs && symK.length > 0 && !symX.includes('?') && symX.join('\u0000') === symK.join('\u0000')) {
          // the same symbols on both sides cancel: [batch, 4, 6] -> [batch, 4, 2, -1] gives 3
          const q = numel(xs.filter(isNum) as number[]) / numel(known.filter(isNum) as number[]);
          out[neg] = Number.isInteger(q) ? q : '?';
        } else if (xs && known.every(isNum)) {
          // carry a symbolic batch dim through: [batch, a, b] -> [-1, a*b] style reshapes
          const symbolic = xs.filter((d) => !isNum(d));
          const litX = numel(xs.filter(isNum) as number[]);
          const litK = numel(known as number[]);
          out[neg] = symbolic.length === 1 && litX === litK ? symbolic[0] : '?';
        } else out[neg] = '?';
      }
      return one(x?.dtype, out);
    }
    case 'Flatten': {
      if (!xs) return one(x?.dtype);
      const a = normAxis(attrInt(n, 'axis', 1), xs.length);
      const prod = (d: Dim[]) => (d.every(isNum) ? numel(d as number[]) : '?');
      return one(x?.dtype, [prod(xs.slice(0, a)), prod(xs.slice(a))]);
    }
    case 'Squeeze': {
      if (!xs) return one(x?.dtype);
      const ax = n.inputs[1] ? c(n.inputs[1])?.values : attrInts(n, 'axes');
      if (n.inputs[1] && !ax) return one(x?.dtype);
      const set = new Set((ax ?? xs.map((d, i) => (d === 1 ? i : -1)).filter((i) => i >= 0)).map((a) => normAxis(a, xs.length)));
      return one(x?.dtype, xs.filter((_, i) => !set.has(i)));
    }
    case 'Unsqueeze': {
      const ax = n.inputs[1] ? c(n.inputs[1])?.values : attrInts(n, 'axes');
      if (!xs || !ax) return one(x?.dtype);
      const r = xs.length + ax.length;
      const set = new Set(ax.map((a) => normAxis(a, r)));
      const out: Dim[] = [];
      let k = 0;
      for (let i = 0; i < r; i++) out.push(set.has(i) ? 1 : xs[k++]);
      return one(x?.dtype, out);
    }
    case 'Concat': {
      if (!ins.every((i) => i?.shape)) return one(x?.dtype);
      const r = xs!.length;
      const a = normAxis(attrInt(n, 'axis', 0), r);
      const out = [...xs!];
      const sizes = ins.map((i) => i!.shape![a]);
      out[a] = sizes.every(isNum) ? (sizes as number[]).reduce((p, q) => p + q, 0) : '?';
      return one(x?.dtype, out);
    }
    case 'Split': {
      if (!xs) return n.outputs.map(() => (x ? { name: '', dtype: x.dtype } : undefined));
      const a = normAxis(attrInt(n, 'axis', 0), xs.length);
      const split = n.inputs[1] ? c(n.inputs[1])?.values : attrInts(n, 'split');
      return n.outputs.map((o, i) => {
        const s = [...xs];
        const d = xs[a];
        s[a] = split ? split[i] : isNum(d) ? Math.ceil(d / n.outputs.length) - (i === n.outputs.length - 1 ? Math.ceil(d / n.outputs.length) * n.outputs.length - d : 0) : '?';
        return { name: o, dtype: x!.dtype, shape: s };
      });
    }
    case 'Slice': {
      if (!xs) return one(x?.dtype);
      const [st, en] = [c(n.inputs[1]), c(n.inputs[2])];
      const ax = n.inputs[3] ? c(n.inputs[3]) : { dims: [], values: (st?.values ?? []).map((_, i) => i) };
      const sp = n.inputs[4] ? c(n.inputs[4]) : { dims: [], values: (st?.values ?? []).map(() => 1) };
      if (!st || !en || !ax || !sp) return one(x?.dtype, xs.map(() => '?'));
      const out = [...xs];
      ax.values.forEach((a0, i) => {
        const a = normAxis(a0, xs.length);
        const r = sliceRange(xs[a], st.values[i], en.values[i], sp.values[i]);
        out[a] = r ? r.count : '?';
      });
      return one(x?.dtype, out);
    }
    case 'Expand': {
      const s = sv(n.inputs[1]);
      if (xs && s) return one(x?.dtype, broadcastShapes(xs, s));
      // Unknown target values but known length: Expand never changes a dim other than 1.
      const len = ins[1]?.shape?.[0];
      return one(x?.dtype, xs && isNum(len) ? broadcastShapes(xs, Array(len).fill('?')) : undefined);
    }
    case 'Tile': {
      const r = c(n.inputs[1]);
      return one(x?.dtype, xs && r ? xs.map((d, i) => (isNum(d) ? d * r.values[i] : '?')) : undefined);
    }
    case 'Gather': {
      const idx = ins[1]?.shape;
      if (!xs || !idx) return one(x?.dtype);
      const a = normAxis(attrInt(n, 'axis', 0), xs.length);
      return one(x?.dtype, [...xs.slice(0, a), ...idx, ...xs.slice(a + 1)]);
    }
    case 'GatherElements': return one(x?.dtype, ins[1]?.shape && [...ins[1].shape]);
    case 'ReduceSum': case 'ReduceMean': case 'ReduceMax': case 'ReduceMin': case 'ReduceProd': case 'ReduceL2': case 'ReduceSumSquare':
    case 'ArgMax': case 'ArgMin': {
      const dtype = n.op.startsWith('Arg') ? 'int64' : x?.dtype;
      if (!xs) return one(dtype);
      const keep = attrInt(n, 'keepdims', 1) === 1;
      let axes = n.op.startsWith('Arg') ? [attrInt(n, 'axis', 0)] : reduceAxes(n, opset, c);
      if (axes === 'unknown') return one(dtype);
      if (!axes || axes.length === 0) {
        if (attrInt(n, 'noop_with_empty_axes', 0) === 1) return one(dtype, [...xs]);
        axes = xs.map((_, i) => i);
      }
      const set = new Set(axes.map((a) => normAxis(a, xs.length)));
      return one(dtype, keep ? xs.map((d, i) => (set.has(i) ? 1 : d)) : xs.filter((_, i) => !set.has(i)));
    }
    case 'Resize': {
      if (!xs) return one(x?.dtype);
      const sizes = n.inputs[3] ? sv(n.inputs[3]) : undefined;
      if (sizes) return one(x?.dtype, sizes);
      const scales = n.inputs[2] ? c(n.inputs[2]) : undefined;
      if (!scales) return one(x?.dtype, xs.map(() => '?'));
      return one(x?.dtype, xs.map((d, i) => (isNum(d) ? Math.floor(d * scales.values[i]) : scales.values[i] === 1 ? d : '?')));
    }
    case 'Pad': {
      const p = c(n.inputs[1]);
      if (!xs || !p) return one(x?.dtype);
      const r = xs.length;
      return one(x?.dtype, xs.map((d, i) => (isNum(d) ? d + p.values[i] + p.values[i + r] : '?')));
    }
    case 'Einsum': {
      const eq = n.attrs.equation?.kind === 'string' ? n.attrs.equation.value.replace(/\s+/g, '') : '';
      if (eq.includes('.') || !ins.every((i) => i?.shape)) return one(x?.dtype);
      const [lhs, rhs] = eq.split('->');
      const subs = lhs.split(',');
      const dim = new Map<string, Dim>();
      subs.forEach((sub, i) => [...sub].forEach((ch, k) => { const d = ins[i]!.shape![k]; if (!dim.has(ch) || dim.get(ch) === 1) dim.set(ch, d); }));
      const counts = new Map<string, number>();
      for (const ch of subs.join('')) counts.set(ch, (counts.get(ch) ?? 0) + 1);
      const out = rhs ?? [...counts].filter(([, k]) => k === 1).map(([ch]) => ch).sort().join('');
      return one(x?.dtype, [...out].map((ch) => dim.get(ch) ?? '?'));
    }
    case 'TopK': {
      const k = c(n.inputs[1])?.values[0];
      const a = xs ? normAxis(attrInt(n, 'axis', -1), xs.length) : 0;
      const s = xs && k !== undefined ? xs.map((d, i) => (i === a ? k : d)) : undefined;
      return n.outputs.map((o, i) => (x ? { name: o, dtype: i === 0 ? x.dtype : 'int64', shape: s && [...s] } : undefined));
    }
    default:
      return n.outputs.map(() => undefined);
  }
}

/** Infer every value's dtype and shape (static where possible). */
export function inferShapes(model: Model): Map<string, ValueInfo> {
  return inferAll(model).info;
}

/** inferShapes plus the folded small constants (shape math, axes, scales). */
export function inferAll(model: Model): { info: Map<string, ValueInfo>; consts: Map<string, ConstVal>; syms: Map<string, Dim[]> } {
  const g = model.graph;
  const info = new Map<string, ValueInfo>();
  const consts = new Map<string, ConstVal>();
  for (const i of g.inputs) info.set(i.name, { ...i, shape: i.shape && [...i.shape] });
  for (const [k, t] of g.initializers) {
    info.set(k, { name: k, dtype: t.dtype, shape: [...t.dims] });
    if (t.dtype !== 'float16' && numel(t.dims) <= CONST_LIMIT) {
      const cv = constFromTensor(t);
      if (cv) consts.set(k, cv);
    }
  }
  const syms = new Map<string, Dim[]>();
  for (const n of g.nodes) inferInto(n, info, consts, model.opset, syms);
  return { info, consts, syms };
}

/** Infer one node into the running maps (used by inferShapes and the builder). */
export function inferInto(n: Node, info: Map<string, ValueInfo>, consts: Map<string, ConstVal>, opset: number, syms: Map<string, Dim[]> = new Map()): void {
  const get: InfoLookup = (k) => info.get(k);
  const cget: ConstLookup = (k) => consts.get(k);
  const sget: SymLookup = (k) => syms.get(k);
  const outs = inferNode(n, get, cget, opset, sget);
  // Ops this file does not know still yield usable values: dtype of the first input, shape unknown.
  const fallback = info.get(n.inputs[0])?.dtype ?? 'float32';
  n.outputs.forEach((o, i) => { const v = outs[i]; if (o) info.set(o, v ? { ...v, name: o } : { name: o, dtype: fallback }); });
  const cv = evalConst(n, get, cget);
  if (!cv && n.outputs[0] && SYM_OPS.has(n.op)) {
    const sv = evalSym(n, get, cget, sget);
    const oi = info.get(n.outputs[0]);
    if (sv && (!oi || oi.dtype === 'int64' || oi.dtype === 'int32') && (!oi?.shape || oi.shape.length <= 1)) {
      // fully numeric after all (e.g. Shape(x)[2] / 2 with a static x dim): a plain constant
      if (sv.every(isNum) && oi?.shape) consts.set(n.outputs[0], { dims: oi.shape.length === 0 ? [] : [sv.length], values: sv as number[] });
      else syms.set(n.outputs[0], sv);
    }
  }
  if (cv && n.outputs[0]) {
    consts.set(n.outputs[0], cv);
    const cur = info.get(n.outputs[0]);
    info.set(n.outputs[0], { name: n.outputs[0], dtype: cur?.dtype ?? 'int64', shape: cv.dims });
  }
}
