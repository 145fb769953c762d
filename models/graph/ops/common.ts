/**
 * Shared pieces of the op families: the vector-Jacobian rule type, operand coercion,
 * opset-aware reductions and "undo broadcasting" for gradients.
 *
 * A VJP rule receives the forward node (through `GradCtx`) and the incoming gradients of
 * its outputs, and returns one gradient per input (undefined where none is needed or the
 * input is not differentiable). Rules emit ordinary ONNX ops through the same builder.
 */
import type { GraphBuilder, Value } from '../builder.ts';
import type { Dim, Node } from '../ir.ts';

export interface GradCtx {
  b: GraphBuilder;
  node: Node;
  /** Forward input i (its static info). */
  x(i: number): Value;
  /** Forward output i. */
  y(i: number): Value;
  /** Whether the gradient of input i is wanted (on a path from a `wrt` entry). */
  needs(i: number): boolean;
}

/** dys[i] is the gradient of output i (undefined: that output does not reach the loss). */
export type VjpRule = (g: GradCtx, dys: (Value | undefined)[]) => (Value | undefined)[];

export type Operand = Value | number;

/** A number becomes a scalar constant of the other operand's dtype. */
export function val(b: GraphBuilder, x: Operand, like?: Value): Value {
  return typeof x === 'number' ? b.constant([x], [], like?.dtype ?? 'float32') : x;
}

export function shapeOf(v: Value, what: string): Dim[] {
  if (!v.shape) throw new Error(`${what}: the shape of '${v.name}' is unknown (rank needed)`);
  return v.shape;
}

export function staticDims(v: Value, what: string): number[] {
  const s = shapeOf(v, what);
  if (!s.every((d) => typeof d === 'number')) throw new Error(`${what}: '${v.name}' needs a static shape, got [${s.join(', ')}]`);
  return s as number[];
}

export const normAxis = (a: number, rank: number): number => (a < 0 ? a + rank : a);

/** ReduceSum (axes as input since opset 13). Empty axes = all axes. */
export function rsum(b: GraphBuilder, x: Value, axes: number[], keepdims = true): Value {
  return b.op('ReduceSum', [x, axes.length ? b.ints(axes) : undefined], { keepdims: keepdims ? 1 : 0 })[0];
}

/** ReduceMean/ReduceMax/ReduceMin: axes attribute before opset 18, input from 18. */
export function rreduce(b: GraphBuilder, op: 'ReduceMean' | 'ReduceMax' | 'ReduceMin', x: Value, axes: number[], keepdims = true): Value {
  if (b.opset >= 18) return b.op(op, [x, axes.length ? b.ints(axes) : undefined], { keepdims: keepdims ? 1 : 0 })[0];
  return b.op(op, [x], axes.length ? { axes, keepdims: keepdims ? 1 : 0 } : { keepdims: keepdims ? 1 : 0 })[0];
}

/**
 * Sum a broadcast gradient back to the shape of the operand it came from: reduce the
 * leading axes the operand lacked and every axis where the operand had a literal 1.
 * Needs the operand's rank; a symbolic dim is assumed not to have been broadcast.
 */
export function unbroadcast(b: GraphBuilder, grad: Value, target: Value): Value {
  const gs = shapeOf(grad, 'unbroadcast');
  const ts = shapeOf(target, 'unbroadcast');
  const lead = gs.length - ts.length;
  if (lead < 0) throw new Error(`unbroadcast: gradient rank ${gs.length} < operand rank ${ts.length} ('${target.name}')`);
  const axes: number[] = [];
  for (let i = 0; i < lead; i++) axes.push(i);
  ts.forEach((d, i) => { if (d === 1 && gs[lead + i] !== 1) axes.push(lead + i); });
  if (axes.length === 0) return grad;
  let r = rsum(b, grad, axes, true);
  if (lead > 0) r = b.op('Squeeze', [r, b.ints(axes.slice(0, lead))])[0];
  return r;
}

/** Zeros with the runtime shape of `like` (used for outputs that got no gradient). */
export function zerosLike(b: GraphBuilder, like: Value): Value {
  const shape = b.op('Shape', [like])[0];
  const values = like.dtype === 'float16' ? new Uint16Array(1) : like.dtype === 'float64' ? new Float64Array(1) : new Float32Array(1);
  return b.op('ConstantOfShape', [shape], { value: { tensor: { name: '', dtype: like.dtype, dims: [1], values } } })[0];
}

export const scalar = (b: GraphBuilder, x: number, like?: Value): Value => b.constant([x], [], like?.dtype ?? 'float32');
