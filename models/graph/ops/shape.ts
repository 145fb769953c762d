/**
 * Movement ops: Reshape, Flatten, Squeeze, Unsqueeze, Transpose, Concat, Slice, Split,
 * Expand, Pad (constant mode), Tile-free. Forward emitters take plain number arrays
 * for shapes/axes and turn them into int64 constants (opset 13+ input forms).
 *
 *   const t = transpose(b, reshape(b, x, [0, 16, 4, 8]), [0, 2, 1, 3]);
 *
 * VJPs: reshape-likes reshape back to Shape(x); Transpose inverts its perm; Concat/Split
 * swap into each other; Slice pads the gradient back (strided steps interleave zeros);
 * Expand and Tile sum back.
 */
import type { GraphBuilder, Value } from '../builder.ts';
import { sliceRange } from '../infer.ts';
import { type VjpRule, normAxis, shapeOf, unbroadcast, zerosLike } from './common.ts';

/**
 * Reshape; 0 copies the input's dim. Where that dim is static it is written out, since some
 * importers (@jax-js/onnx) reject 0; a symbolic dim keeps the 0.
 */
export function reshape(b: GraphBuilder, x: Value, shape: number[] | Value): Value {
  if (!Array.isArray(shape)) return b.op('Reshape', [x, shape])[0];
  const lit = shape.map((d, i) => (d === 0 && typeof x.shape?.[i] === 'number' ? (x.shape[i] as number) : d));
  return b.op('Reshape', [x, b.ints(lit)])[0];
}
export const transpose = (b: GraphBuilder, x: Value, perm: number[]): Value => b.op('Transpose', [x], { perm })[0];
export const squeeze = (b: GraphBuilder, x: Value, axes: number[]): Value => b.op('Squeeze', [x, b.ints(axes)])[0];
export const unsqueeze = (b: GraphBuilder, x: Value, axes: number[]): Value => b.op('Unsqueeze', [x, b.ints(axes)])[0];
export const flatten = (b: GraphBuilder, x: Value, axis = 1): Value => b.op('Flatten', [x], { axis })[0];
export const concat = (b: GraphBuilder, xs: Value[], axis: number): Value => b.op('Concat', xs, { axis })[0];
export const expand = (b: GraphBuilder, x: Value, shape: number[] | Value): Value =>
  b.op('Expand', [x, Array.isArray(shape) ? b.ints(shape) : shape])[0];
export const shape = (b: GraphBuilder, x: Value): Value => b.op('Shape', [x])[0];
export const tile = (b: GraphBuilder, x: Value, repeats: number[]): Value => b.op('Tile', [x, b.ints(repeats)])[0];
export function slice(b: GraphBuilder, x: Value, starts: number[], ends: number[], axes?: number[], steps?: number[]): Value {
  return b.op('Slice', [x, b.ints(starts), b.ints(ends), axes && b.ints(axes), steps && b.ints(steps)])[0];
}
/** Split into pieces of the given sizes along `axis` (sizes as an input, opset 13+). */
export const split = (b: GraphBuilder, x: Value, sizes: number[], axis: number): Value[] =>
  b.op('Split', [x, b.ints(sizes)], { axis }, sizes.length);
/** Constant-mode Pad; pads = [begin_0.., end_0..] as in ONNX. */
export const pad = (b: GraphBuilder, x: Value, pads: number[], value = 0): Value =>
  b.op('Pad', [x, b.ints(pads), b.constant([value], [], x.dtype)], { mode: 'constant' })[0];

const backToShapeOf = (b: GraphBuilder, dy: Value, x: Value) => reshape(b, dy, shape(b, x));

const constOf = (b: GraphBuilder, name: string | undefined, what: string): number[] | undefined => {
  if (!name) return undefined;
  const c = b.consts.get(name);
  if (!c) throw new Error(`autodiff: ${what} needs constant '${name}'`);
  return c.values;
};

/**
 * Adjoint of a strided selection on one axis: dY's c entries go to positions start + i·step of
 * a length-D axis. Interleave k−1 zeros after each entry (Unsqueeze → Pad → Reshape), then pad
 * to D. Negative steps first reverse dY so positions ascend.
 */
export function scatterStrided(b: GraphBuilder, g: Value, a: number, D: number, start: number, step: number, count: number, what: string): Value {
  const gs = shapeOf(g, what);
  const r = gs.length;
  let lo = start;
  if (step < 0) {
    g = slice(b, g, [-1], [-(2 ** 62)], [a], [-1]);
    lo = start + (count - 1) * step;
  }
  const k = Math.abs(step);
  const tail = gs.slice(a + 1);
  if (!tail.every((d) => typeof d === 'number')) throw new Error(`${what}: strided Slice needs static dims after axis ${a}`);
  const u = unsqueeze(b, g, [a + 1]);
  const pads = Array(2 * (r + 1)).fill(0);
  pads[r + 1 + a + 1] = k - 1;
  const spread = reshape(b, pad(b, u, pads), [...Array(a).fill(0), count * k, ...(tail as number[])]);
  const used = Math.min(count * k, D - lo);
  const trimmed = used < count * k ? slice(b, spread, [0], [used], [a]) : spread;
  const p2 = Array(2 * r).fill(0);
  p2[a] = lo;
  p2[a + r] = D - lo - used;
  return p2.some((v) => v !== 0) ? pad(b, trimmed, p2) : trimmed;
}

const sliceRule: VjpRule = ({ b, x, node }, [dy]) => {
  const what = `Slice VJP ('${node.name}')`;
  const xs = shapeOf(x(0), what);
  const r = xs.length;
  const starts = constOf(b, node.inputs[1], `Slice '${node.name}'`)!;
  const ends = constOf(b, node.inputs[2], `Slice '${node.name}'`)!;
  const axes = constOf(b, node.inputs[3], `Slice '${node.name}'`) ?? starts.map((_, i) => i);
  const steps = constOf(b, node.inputs[4], `Slice '${node.name}'`) ?? starts.map(() => 1);
  const pads = Array(2 * r).fill(0);
  let g = dy!;
  axes.forEach((a0, i) => {
    const a = normAxis(a0, r);
    const d = xs[a];
    const rg = sliceRange(d, starts[i], ends[i], steps[i]);
    if (!rg) throw new Error(`autodiff: Slice '${node.name}' needs a static dim on axis ${a}`);
    if (steps[i] === 1) {
      pads[a] = rg.start;
      pads[a + r] = (d as number) - rg.start - rg.count;
    } else g = scatterStrided(b, g, a, d as number, rg.start, steps[i], rg.count, what);
  });
  return [pads.some((v) => v !== 0) ? pad(b, g, pads) : g];
};

const concatRule: VjpRule = ({ b, x, node, needs }, [dy]) => {
  const r = shapeOf(x(0), 'Concat VJP').length;
  const axis = normAxis(node.attrs.axis?.kind === 'int' ? node.attrs.axis.value : 0, r);
  const sizes = node.inputs.map((_, i) => shapeOf(x(i), 'Concat VJP')[axis]);
  if (!sizes.every((s) => typeof s === 'number')) throw new Error(`autodiff: Concat '${node.name}' needs static sizes along axis ${axis}`);
  if (!node.inputs.some((_, i) => needs(i))) return [];
  const parts = split(b, dy!, sizes as number[], axis);
  return parts.map((p, i) => (needs(i) ? p : undefined));
};

const splitRule: VjpRule = ({ b, y, node }, dys) => {
  const r = shapeOf(y(0), 'Split VJP').length;
  const axis = normAxis(node.attrs.axis?.kind === 'int' ? node.attrs.axis.value : 0, r);
  const parts = node.outputs.map((_, i) => dys[i] ?? zerosLike(b, y(i)));
  return [concat(b, parts, axis)];
};

const transposeRule: VjpRule = ({ b, x, node }, [dy]) => {
  const r = shapeOf(x(0), 'Transpose VJP').length;
  const perm = node.attrs.perm?.kind === 'ints' ? node.attrs.perm.value : [...Array(r).keys()].reverse();
  const inv = Array<number>(r);
  perm.forEach((p, i) => { inv[p] = i; });
  return [transpose(b, dy!, inv)];
};

const reshapeLike: VjpRule = ({ b, x }, [dy]) => [backToShapeOf(b, dy!, x(0))];

/** Tile: view dY as [r0, d0, r1, d1, ...] and sum the repeat axes. */
const tileRule: VjpRule = ({ b, x, node }, [dy]) => {
  const xs = shapeOf(x(0), 'Tile VJP');
  const reps = constOf(b, node.inputs[1], `Tile '${node.name}'`)!;
  if (!xs.every((d) => typeof d === 'number')) throw new Error(`autodiff: Tile '${node.name}' needs a static input shape`);
  const split = xs.flatMap((d, i) => [reps[i], d as number]);
  return [b.op('ReduceSum', [reshape(b, dy!, split), b.ints(xs.map((_, i) => 2 * i))], { keepdims: 0 })[0], undefined];
};

export const shapeRules: Record<string, VjpRule> = {
  Tile: tileRule,
  Reshape: reshapeLike,
  Flatten: reshapeLike,
  Squeeze: reshapeLike,
  Unsqueeze: reshapeLike,
  Transpose: transposeRule,
  Concat: concatRule,
  Split: splitRule,
  Slice: sliceRule,
  Expand: ({ b, x }, [dy]) => [unbroadcast(b, dy!, x(0))],
  Pad: ({ b, x, node }, [dy]) => {
    const mode = node.attrs.mode?.kind === 'string' ? node.attrs.mode.value : 'constant';
    if (mode !== 'constant') throw new Error(`autodiff: Pad mode '${mode}' is not supported (node '${node.name}')`);
    if (node.inputs[3]) throw new Error(`autodiff: Pad with axes input is not supported (node '${node.name}')`);
    const pads = constOf(b, node.inputs[1], `Pad '${node.name}'`)!;
    const r = shapeOf(x(0), 'Pad VJP').length;
    if (pads.some((p) => p < 0)) throw new Error(`autodiff: Pad with negative pads is not supported (node '${node.name}')`);
    const starts = pads.slice(0, r);
    const ends = pads.slice(r).map((p) => (p === 0 ? Number.MAX_SAFE_INTEGER : -p));
    return [slice(b, dy!, starts, ends, [...Array(r).keys()])];
  },
};
