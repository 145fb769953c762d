/**
 * Reductions: ReduceSum (axes input), ReduceMean / ReduceMax (axes attribute before opset
 * 18, input from 18 — `rreduce` picks the form), GlobalAveragePool-style means.
 *
 *   const m = reduceMean(b, x, [-1]);          // keepdims by default, like ONNX
 *
 * VJPs broadcast the incoming gradient back with Expand(Shape(x)), so they work for
 * symbolic batch dims too; ReduceMean divides by Size(x)/Size(y) computed at run time.
 * ReduceMax splits the gradient equally between tied maxima (as jax does).
 */
import type { GraphBuilder, Value } from '../builder.ts';
import type { Node } from '../ir.ts';
import { type GradCtx, type VjpRule, normAxis, rreduce, rsum, shapeOf } from './common.ts';
import { cast, div, equal, mul } from './elementwise.ts';

export const reduceSum = (b: GraphBuilder, x: Value, axes: number[], keepdims = true): Value => rsum(b, x, axes, keepdims);
export const reduceMean = (b: GraphBuilder, x: Value, axes: number[], keepdims = true): Value => rreduce(b, 'ReduceMean', x, axes, keepdims);
export const reduceMax = (b: GraphBuilder, x: Value, axes: number[], keepdims = true): Value => rreduce(b, 'ReduceMax', x, axes, keepdims);

/** The reduced axes of a Reduce* node (normalized, all axes when empty). */
function reducedAxes(g: GradCtx, n: Node): number[] {
  const r = shapeOf(g.x(0), `${n.op} VJP`).length;
  let axes: number[] | undefined;
  const asInput = n.op === 'ReduceSum' || g.b.opset >= 18;
  if (asInput) {
    if (n.inputs[1]) {
      const c = g.b.consts.get(n.inputs[1]);
      if (!c) throw new Error(`autodiff: ${n.op} node '${n.name}' has non-constant axes`);
      axes = c.values;
    }
  } else if (n.attrs.axes?.kind === 'ints') axes = n.attrs.axes.value;
  if (!axes || axes.length === 0) {
    const noop = n.attrs.noop_with_empty_axes?.kind === 'int' && n.attrs.noop_with_empty_axes.value === 1;
    return noop ? [] : [...Array(r).keys()];
  }
  return axes.map((a) => normAxis(a, r)).sort((p, q) => p - q);
}

/** dy with the reduced axes restored as size-1 dims (if keepdims was 0). */
function keepDims(g: GradCtx, dy: Value, axes: number[]): Value {
  const keep = g.node.attrs.keepdims?.kind === 'int' ? g.node.attrs.keepdims.value : 1;
  if (keep === 1 || axes.length === 0) return dy;
  return g.b.op('Unsqueeze', [dy, g.b.ints(axes)])[0];
}

const expandTo = (b: GraphBuilder, v: Value, like: Value) => b.op('Expand', [v, b.op('Shape', [like])[0]])[0];

const sumRule: VjpRule = (g, [dy]) => {
  const axes = reducedAxes(g, g.node);
  return [expandTo(g.b, keepDims(g, dy!, axes), g.x(0))];
};

const meanRule: VjpRule = (g, [dy]) => {
  const { b } = g;
  const axes = reducedAxes(g, g.node);
  const x = g.x(0);
  const s = shapeOf(x, 'ReduceMean VJP');
  const dims = axes.map((a) => s[a]);
  // Static count when the reduced dims are known; otherwise Size(x)/Size(y) at run time.
  const count = dims.every((d) => typeof d === 'number')
    ? b.constant([(dims as number[]).reduce((p, q) => p * q, 1)], [], dy!.dtype)
    : cast(b, div(b, b.op('Size', [x])[0], b.op('Size', [g.y(0)])[0]), 'float32');
  return [expandTo(b, div(b, keepDims(g, dy!, axes), count), x)];
};

const maxRule: VjpRule = (g, [dy]) => {
  const { b } = g;
  const axes = reducedAxes(g, g.node);
  const x = g.x(0);
  const yk = keepDims(g, g.y(0), axes);
  const mask = cast(b, equal(b, x, yk), 'float32');
  const count = rsum(b, mask, axes, true);
  return [mul(b, mask, div(b, keepDims(g, dy!, axes), count))];
};

/** ReduceL2: d‖x‖/dx = x/‖x‖ (0 where the norm is 0). ReduceSumSquare: 2x. */
const l2Rule: VjpRule = (g, [dy]) => {
  const { b } = g;
  const axes = reducedAxes(g, g.node);
  const yk = keepDims(g, g.y(0), axes);
  const safe = b.op('Where', [b.op('Equal', [yk, b.constant([0], [], yk.dtype)])[0], b.constant([1], [], yk.dtype), yk])[0];
  return [mul(b, g.x(0), div(b, keepDims(g, dy!, axes), safe))];
};

const sumSquareRule: VjpRule = (g, [dy]) => {
  const axes = reducedAxes(g, g.node);
  return [mul(g.b, mul(g.b, g.x(0), 2), keepDims(g, dy!, axes))];
};

export const reduceRules: Record<string, VjpRule> = {
  ReduceL2: l2Rule,
  ReduceSumSquare: sumSquareRule,
  ReduceSum: sumRule,
  ReduceMean: meanRule,
  ReduceMax: maxRule,
  ReduceMin: maxRule,
  GlobalAveragePool: (g, [dy]) => {
    const s = shapeOf(g.x(0), 'GlobalAveragePool VJP');
    const sp = s.slice(2);
    if (!sp.every((d) => typeof d === 'number')) throw new Error(`autodiff: GlobalAveragePool '${g.node.name}' needs static spatial dims`);
    const n = (sp as number[]).reduce((p, q) => p * q, 1);
    return [expandTo(g.b, div(g.b, dy!, n), g.x(0))];
  },
};
