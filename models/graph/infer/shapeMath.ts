/**
 * Shape math shared by inference and the VJP rules: small-constant folding of int64
 * subgraphs (Shape → Gather → Concat → Reshape targets, axes, scales), partly symbolic
 * shape values, ONNX Slice clamping and numpy broadcasting of shapes.
 */
import type { Attr, Dim, Node, TensorData, ValueInfo } from '../ir.ts';
import { numel } from '../dtype.ts';

/** A small constant known at build time (int64 shape math, scales, axes). */
export interface ConstVal { dims: number[]; values: number[] }

export type InfoLookup = (name: string) => ValueInfo | undefined;
export type ConstLookup = (name: string) => ConstVal | undefined;
/**
 * Values of small int64 shape tensors that are only partly known, e.g. Shape(x) of
 * x: ['batch', 77, 512] is ['batch', 77, 512]. Exported models compute Reshape targets
 * this way (Shape → Gather → Unsqueeze → Concat), so tracking symbols keeps ranks and
 * literal dims static through them.
 */
export type SymLookup = (name: string) => Dim[] | undefined;

export const CONST_LIMIT = 4096;

export function constFromTensor(t: TensorData): ConstVal | undefined {
  const n = numel(t.dims);
  if (n > CONST_LIMIT || t.values.length < n || t.dtype === 'float16') return undefined;
  const values: number[] = [];
  for (let i = 0; i < n; i++) values.push(Number(t.values[i]));
  return { dims: [...t.dims], values };
}

const attrInt = (n: Node, k: string, d: number): number => {
  const a = n.attrs[k];
  return a && a.kind === 'int' ? a.value : d;
};
const attrInts = (n: Node, k: string): number[] | undefined => {
  const a = n.attrs[k];
  return a && a.kind === 'ints' ? a.value : undefined;
};
const attrFloat = (n: Node, k: string, d: number): number => {
  const a = n.attrs[k];
  return a && a.kind === 'float' ? a.value : d;
};
export { attrInt, attrInts, attrFloat };

export const isNum = (d: Dim | undefined): d is number => typeof d === 'number';
export const normAxis = (a: number, r: number) => (a < 0 ? a + r : a);

/** numpy broadcasting of two shapes; a literal 1 yields to the other side. */
export function broadcastShapes(a: Dim[], b: Dim[]): Dim[] {
  const r = Math.max(a.length, b.length);
  const out: Dim[] = [];
  for (let i = 0; i < r; i++) {
    const x = a[a.length - r + i] ?? 1;
    const y = b[b.length - r + i] ?? 1;
    if (x === 1) out.push(y);
    else if (y === 1) out.push(x);
    else if (isNum(x)) out.push(x);
    else out.push(isNum(y) ? y : x);
  }
  return out;
}

/** Resolve a Slice start/end/step against a static dim (ONNX clamping rules). */
export function sliceRange(d: Dim, start: number, end: number, step: number): { start: number; end: number; count: number } | undefined {
  if (!isNum(d)) return undefined;
  const clamp = (v: number, lo: number, hi: number) => Math.min(Math.max(v, lo), hi);
  let s = start < 0 ? start + d : start;
  let e = end < 0 ? end + d : end;
  if (step > 0) { s = clamp(s, 0, d); e = clamp(e, 0, d); } else { s = clamp(s, 0, d - 1); e = clamp(e, -1, d - 1); }
  const count = Math.max(0, Math.ceil((e - s) / step));
  return { start: s, end: e, count };
}

export const SYM_OPS = new Set(['Shape', 'Identity', 'Unsqueeze', 'Squeeze', 'Cast', 'Gather', 'Concat', 'Slice', 'Add', 'Sub', 'Mul', 'Div']);

const INT_BIN: Record<string, (a: number, b: number) => number> = {
  Add: (a, b) => a + b, Sub: (a, b) => a - b, Mul: (a, b) => a * b,
  Div: (a, b) => Math.trunc(a / b), Max: Math.max, Min: Math.min,
};

function bcastIndex(i: number, outDims: number[], inDims: number[]): number {
  let idx = 0, stride = 1, rem = i;
  const off = outDims.length - inDims.length;
  const coords: number[] = [];
  for (let k = outDims.length - 1; k >= 0; k--) { coords[k] = rem % outDims[k]; rem = Math.floor(rem / outDims[k]); }
  for (let k = inDims.length - 1; k >= 0; k--) { idx += (inDims[k] === 1 ? 0 : coords[k + off]) * stride; stride *= inDims[k]; }
  return idx;
}

/** Fold a node whose inputs are small known integer constants (the shape-math subgraphs). */
export function evalConst(n: Node, info: InfoLookup, c: ConstLookup): ConstVal | undefined {
  const out = n.outputs[0];
  const oi = info(out);
  if (n.op === 'Shape') {
    const s = info(n.inputs[0])?.shape;
    if (!s || !s.every(isNum)) return undefined;
    const r = s.length;
    let a = attrInt(n, 'start', 0); let b = n.attrs.end ? attrInt(n, 'end', r) : r;
    a = normAxis(a, r); b = normAxis(b, r);
    return { dims: [b - a], values: (s as number[]).slice(a, b) };
  }
  if (n.op === 'Size') {
    const s = info(n.inputs[0])?.shape;
    return s && s.every(isNum) ? { dims: [], values: [numel(s as number[])] } : undefined;
  }
  if (n.op === 'Constant') {
    const a: Attr | undefined = n.attrs.value;
    if (a?.kind === 'tensor') return constFromTensor(a.value);
    if (n.attrs.value_ints?.kind === 'ints') return { dims: [n.attrs.value_ints.value.length], values: n.attrs.value_ints.value };
    if (n.attrs.value_int?.kind === 'int') return { dims: [], values: [n.attrs.value_int.value] };
    return undefined;
  }
  if (oi && oi.dtype !== 'int64' && oi.dtype !== 'int32' && n.op !== 'Cast') return undefined;
  const ins = n.inputs.map((i) => (i ? c(i) : undefined));
  const x = ins[0];
  if (!x) return undefined;
  switch (n.op) {
    case 'Identity': return x;
    case 'Cast': return attrInt(n, 'to', 1) === 7 || attrInt(n, 'to', 1) === 6 ? { dims: x.dims, values: x.values.map(Math.trunc) } : undefined;
    case 'Add': case 'Sub': case 'Mul': case 'Div': case 'Max': case 'Min': {
      const y = ins[1];
      if (!y) return undefined;
      const dims = broadcastShapes(x.dims, y.dims) as number[];
      const f = INT_BIN[n.op];
      const values = Array.from({ length: numel(dims) }, (_, i) => f(x.values[bcastIndex(i, dims, x.dims)], y.values[bcastIndex(i, dims, y.dims)]));
      return { dims, values };
    }
    case 'Concat':
      return ins.every(Boolean) ? { dims: [ins.reduce((s, v) => s + v!.values.length, 0)], values: ins.flatMap((v) => v!.values) } : undefined;
    case 'Unsqueeze': case 'Squeeze': case 'Reshape': {
      const s = out && info(out)?.shape;
      return s && s.every(isNum) ? { dims: s as number[], values: x.values } : undefined;
    }
    case 'Gather': {
      const idx = ins[1];
      if (!idx || x.dims.length !== 1) return undefined;
      return { dims: idx.dims, values: idx.values.map((i) => x.values[i < 0 ? i + x.values.length : i]) };
    }
    case 'Slice': {
      if (x.dims.length !== 1 || !ins[1] || !ins[2]) return undefined;
      const r = sliceRange(x.dims[0], ins[1].values[0], ins[2].values[0], ins[4]?.values[0] ?? 1);
      if (!r) return undefined;
      const values: number[] = [];
      const step = ins[4]?.values[0] ?? 1;
      for (let i = 0, k = r.start; i < r.count; i++, k += step) values.push(x.values[k]);
      return { dims: [values.length], values };
    }
    case 'ReduceProd': return x.dims.length === 1 && !n.inputs[1] && attrInt(n, 'keepdims', 1) === 0 ? { dims: [], values: [x.values.reduce((a, b) => a * b, 1)] } : undefined;
    default: return undefined;
  }
}

/** Partly symbolic values of 0-/1-D int64 shape tensors (see SymLookup). */
export function evalSym(n: Node, info: InfoLookup, c: ConstLookup, sym: SymLookup): Dim[] | undefined {
  const sv = (k: string | undefined): Dim[] | undefined => (k ? c(k)?.values ?? sym(k) : undefined);
  const x = sv(n.inputs[0]);
  switch (n.op) {
    case 'Shape': {
      const s = info(n.inputs[0])?.shape;
      if (!s) return undefined;
      const r = s.length;
      const a = normAxis(attrInt(n, 'start', 0), r), b = normAxis(n.attrs.end ? attrInt(n, 'end', r) : r, r);
      return s.slice(a, b);
    }
    case 'Identity': case 'Unsqueeze': case 'Squeeze': return x;
    case 'Cast': return attrInt(n, 'to', 1) === 7 || attrInt(n, 'to', 1) === 6 ? x : undefined;
    case 'Gather': {
      const idx = c(n.inputs[1]);
      return x && idx ? idx.values.map((i) => x[i < 0 ? i + x.length : i] ?? '?') : undefined;
    }
    case 'Concat': {
      const parts = n.inputs.map(sv);
      return parts.every(Boolean) ? parts.flatMap((p) => p!) : undefined;
    }
    case 'Slice': {
      const [st, en, ax, sp] = [c(n.inputs[1]), c(n.inputs[2]), n.inputs[3] ? c(n.inputs[3]) : undefined, n.inputs[4] ? c(n.inputs[4]) : undefined];
      if (!x || !st || !en || (ax && ax.values[0] !== 0)) return undefined;
      const step = sp?.values[0] ?? 1;
      const r = sliceRange(x.length, st.values[0], en.values[0], step);
      if (!r) return undefined;
      const out: Dim[] = [];
      for (let i = 0, k = r.start; i < r.count; i++, k += step) out.push(x[k]);
      return out;
    }
    case 'Add': case 'Sub': case 'Mul': case 'Div': {
      const y = sv(n.inputs[1]);
      if (!x || !y) return undefined;
      const len = Math.max(x.length, y.length);
      const f = INT_BIN[n.op];
      return Array.from({ length: len }, (_, i) => {
        const a = x[x.length === 1 ? 0 : i], b = y[y.length === 1 ? 0 : i];
        if (isNum(a) && isNum(b)) return f(a, b);
        if (n.op === 'Mul' && (a === 1 || b === 1)) return a === 1 ? b : a;
        if ((n.op === 'Add' || n.op === 'Sub') && b === 0) return a;
        return '?';
      });
    }
    default: return undefined;
  }
}

