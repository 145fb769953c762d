/**
 * Elementwise ops (numpy broadcasting): forward emitters and their VJP rules side by side.
 *
 *   const h = gelu(b, add(b, matmul(b, x, w), bias));
 *
 * Rules reuse forward outputs where that is cheaper (Exp, Sqrt, Sigmoid, Tanh, Div) and
 * sum broadcast gradients back to each operand's shape with `unbroadcast`.
 */
import type { GraphBuilder, Value } from '../builder.ts';
import type { DType } from '../ir.ts';
import { ONNX_CODE } from '../dtype.ts';
import { type Operand, type VjpRule, scalar, unbroadcast, val } from './common.ts';

const bin = (op: string) => (b: GraphBuilder, x: Operand, y: Operand): Value => {
  const xv = val(b, x, typeof y === 'number' ? undefined : y);
  return b.op(op, [xv, val(b, y, xv)])[0];
};
const un = (op: string) => (b: GraphBuilder, x: Value): Value => b.op(op, [x])[0];

export const add = bin('Add');
export const sub = bin('Sub');
export const mul = bin('Mul');
export const div = bin('Div');
export const pow = bin('Pow');
export const max = bin('Max');
export const min = bin('Min');
export const sqrt = un('Sqrt');
export const exp = un('Exp');
export const log = un('Log');
export const tanh = un('Tanh');
export const erf = un('Erf');
export const relu = un('Relu');
export const sigmoid = un('Sigmoid');
export const neg = un('Neg');
export const abs = un('Abs');
export const reciprocal = un('Reciprocal');
export const sin = un('Sin');
export const cos = un('Cos');
export const identity = un('Identity');
export const leakyRelu = (b: GraphBuilder, x: Value, alpha = 0.01): Value => b.op('LeakyRelu', [x], { alpha: { float: alpha } })[0];
export const clip = (b: GraphBuilder, x: Value, lo?: number, hi?: number): Value =>
  b.op('Clip', [x, lo === undefined ? undefined : scalar(b, lo, x), hi === undefined ? undefined : scalar(b, hi, x)])[0];
export const where = (b: GraphBuilder, c: Value, x: Operand, y: Operand): Value => {
  const xv = val(b, x, typeof y === 'number' ? undefined : y);
  return b.op('Where', [c, xv, val(b, y, xv)])[0];
};
export const cast = (b: GraphBuilder, x: Value, to: DType): Value => b.op('Cast', [x], { to: ONNX_CODE[to] })[0];
export const greater = bin('Greater');
export const less = bin('Less');
export const equal = bin('Equal');

/** GELU, exact form 0.5·x·(1 + erf(x/√2)) (opset 17 has no Gelu op). */
export function gelu(b: GraphBuilder, x: Value): Value {
  return mul(b, mul(b, x, 0.5), add(b, erf(b, mul(b, x, Math.SQRT1_2)), 1));
}
/** SiLU / swish: x·σ(x). */
export const silu = (b: GraphBuilder, x: Value): Value => mul(b, x, sigmoid(b, x));

// ---- VJP rules --------------------------------------------------------------------------

const zero = (b: GraphBuilder, like: Value) => scalar(b, 0, like);

/** Elementwise mask gradient: where(cond, dy, 0). */
const masked = (b: GraphBuilder, cond: Value, dy: Value) => where(b, cond, dy, zero(b, dy));

export const elementwiseRules: Record<string, VjpRule> = {
  Identity: (_g, [dy]) => [dy],
  Add: ({ b, x, needs }, [dy]) => [needs(0) ? unbroadcast(b, dy!, x(0)) : undefined, needs(1) ? unbroadcast(b, dy!, x(1)) : undefined],
  Sub: ({ b, x, needs }, [dy]) => [needs(0) ? unbroadcast(b, dy!, x(0)) : undefined, needs(1) ? unbroadcast(b, neg(b, dy!), x(1)) : undefined],
  Mul: ({ b, x, needs }, [dy]) => [
    needs(0) ? unbroadcast(b, mul(b, dy!, x(1)), x(0)) : undefined,
    needs(1) ? unbroadcast(b, mul(b, dy!, x(0)), x(1)) : undefined,
  ],
  Div: ({ b, x, y, needs }, [dy]) => [
    needs(0) ? unbroadcast(b, div(b, dy!, x(1)), x(0)) : undefined,
    // d(a/b)/db = -(a/b)/b
    needs(1) ? unbroadcast(b, neg(b, div(b, mul(b, dy!, y(0)), x(1))), x(1)) : undefined,
  ],
  Pow: ({ b, x, y, needs }, [dy]) => [
    needs(0) ? unbroadcast(b, mul(b, dy!, mul(b, x(1), pow(b, x(0), sub(b, x(1), 1)))), x(0)) : undefined,
    needs(1) ? unbroadcast(b, mul(b, dy!, mul(b, y(0), log(b, x(0)))), x(1)) : undefined,
  ],
  Sqrt: ({ b, y }, [dy]) => [div(b, mul(b, dy!, 0.5), y(0))],
  Exp: ({ b, y }, [dy]) => [mul(b, dy!, y(0))],
  Log: ({ b, x }, [dy]) => [div(b, dy!, x(0))],
  Tanh: ({ b, y }, [dy]) => [mul(b, dy!, sub(b, 1, mul(b, y(0), y(0))))],
  Erf: ({ b, x }, [dy]) => [mul(b, dy!, mul(b, exp(b, neg(b, mul(b, x(0), x(0)))), 2 / Math.sqrt(Math.PI)))],
  Relu: ({ b, x }, [dy]) => [masked(b, greater(b, x(0), 0), dy!)],
  Sigmoid: ({ b, y }, [dy]) => [mul(b, dy!, mul(b, y(0), sub(b, 1, y(0))))],
  Neg: ({ b }, [dy]) => [neg(b, dy!)],
  Abs: ({ b, x }, [dy]) => [mul(b, dy!, b.op('Sign', [x(0)])[0])],
  Reciprocal: ({ b, y }, [dy]) => [neg(b, mul(b, dy!, mul(b, y(0), y(0))))],
  Sin: ({ b, x }, [dy]) => [mul(b, dy!, cos(b, x(0)))],
  Cos: ({ b, x }, [dy]) => [neg(b, mul(b, dy!, sin(b, x(0))))],
  LeakyRelu: ({ b, x, node }, [dy]) => {
    const a = node.attrs.alpha?.kind === 'float' ? node.attrs.alpha.value : 0.01;
    return [where(b, greater(b, x(0), 0), dy!, mul(b, dy!, a))];
  },
  // Clip passes the gradient inside [min, max] (both ends inclusive, like PyTorch's clamp).
  Clip: ({ b, x, node }, [dy]) => {
    let cond: Value | undefined;
    const lo = node.inputs[1] ? x(1) : undefined;
    const hi = node.inputs[2] ? x(2) : undefined;
    if (lo) cond = b.op('GreaterOrEqual', [x(0), lo])[0];
    if (hi) { const c = b.op('LessOrEqual', [x(0), hi])[0]; cond = cond ? b.op('And', [cond, c])[0] : c; }
    return [cond ? masked(b, cond, dy!) : dy];
  },
  // Ties go to the first operand (deterministic, matches a subgradient).
  Max: ({ b, x, needs, node }, [dy]) => {
    if (node.inputs.length !== 2) throw new Error(`autodiff: Max with ${node.inputs.length} inputs is not supported (node '${node.name}')`);
    const c = b.op('GreaterOrEqual', [x(0), x(1)])[0];
    return [needs(0) ? unbroadcast(b, masked(b, c, dy!), x(0)) : undefined, needs(1) ? unbroadcast(b, where(b, c, zero(b, dy!), dy!), x(1)) : undefined];
  },
  Min: ({ b, x, needs, node }, [dy]) => {
    if (node.inputs.length !== 2) throw new Error(`autodiff: Min with ${node.inputs.length} inputs is not supported (node '${node.name}')`);
    const c = b.op('LessOrEqual', [x(0), x(1)])[0];
    return [needs(0) ? unbroadcast(b, masked(b, c, dy!), x(0)) : undefined, needs(1) ? unbroadcast(b, where(b, c, zero(b, dy!), dy!), x(1)) : undefined];
  },
  Sum: ({ b, x, node, needs }, [dy]) => node.inputs.map((_, i) => (needs(i) ? unbroadcast(b, dy!, x(i)) : undefined)),
  Where: ({ b, x, needs }, [dy]) => [
    undefined,
    needs(1) ? unbroadcast(b, masked(b, x(0), dy!), x(1)) : undefined,
    needs(2) ? unbroadcast(b, where(b, x(0), zero(b, dy!), dy!), x(2)) : undefined,
  ],
  Cast: ({ b, x }, [dy]) => [x(0).dtype.startsWith('float') ? cast(b, dy!, x(0).dtype) : undefined],
  // Inference-mode Dropout (what exports contain) is the identity on its first output.
  Dropout: ({ node }, [dy]) => {
    if (node.inputs[2]) throw new Error(`autodiff: Dropout with a training_mode input is not supported (node '${node.name}')`);
    return [dy];
  },
  Softplus: ({ b, x }, [dy]) => [mul(b, dy!, sigmoid(b, x(0)))],
  // Gelu (opset 20): exact d/dx = Φ(x) + x·φ(x); tanh form differentiated as written.
  Gelu: ({ b, x, node }, [dy]) => {
    const X = x(0);
    if (node.attrs.approximate?.kind === 'string' && node.attrs.approximate.value === 'tanh') {
      const k = Math.sqrt(2 / Math.PI);
      const t = tanh(b, mul(b, add(b, X, mul(b, mul(b, mul(b, X, X), X), 0.044715)), k));
      const dInner = mul(b, add(b, mul(b, mul(b, X, X), 3 * 0.044715), 1), k);
      const d = add(b, mul(b, add(b, t, 1), 0.5), mul(b, mul(b, mul(b, X, 0.5), sub(b, 1, mul(b, t, t))), dInner));
      return [mul(b, dy!, d)];
    }
    const cdf = mul(b, add(b, erf(b, mul(b, X, Math.SQRT1_2)), 1), 0.5);
    const pdf = mul(b, exp(b, mul(b, mul(b, X, X), -0.5)), 1 / Math.sqrt(2 * Math.PI));
    return [mul(b, dy!, add(b, cdf, mul(b, X, pdf)))];
  },
};
