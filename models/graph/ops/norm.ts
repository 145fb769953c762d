/**
 * Softmax, LogSoftmax, LayerNormalization (opset 17 op) and GroupNorm.
 *
 *   const p = softmax(b, scores, -1);
 *   const h = layerNorm(b, x, gamma, beta, -1, 1e-5);
 *   const g = groupNorm(b, x, 4, gamma, beta, 1e-5);      // decomposed, see below
 *
 * GroupNorm is emitted as its decomposition (Reshape → ReduceMean mean/variance →
 * normalize → Reshape → per-channel affine) rather than the opset-18 GroupNormalization
 * op: opset 17 has no such op, ORT's versions differ in the scale/bias layout (per group
 * vs per channel), and the decomposition inherits exact gradients from primitive rules.
 */
import type { GraphBuilder, Value } from '../builder.ts';
import { type VjpRule, normAxis, rreduce, rsum, shapeOf, unbroadcast } from './common.ts';
import { add, div, exp, mul, neg, sqrt, sub } from './elementwise.ts';
import { reshape } from './shape.ts';

export const softmax = (b: GraphBuilder, x: Value, axis = -1): Value => b.op('Softmax', [x], { axis })[0];
export const logSoftmax = (b: GraphBuilder, x: Value, axis = -1): Value => b.op('LogSoftmax', [x], { axis })[0];
export const layerNorm = (b: GraphBuilder, x: Value, scale: Value, bias?: Value, axis = -1, eps = 1e-5): Value =>
  b.op('LayerNormalization', [x, scale, bias], { axis, epsilon: { float: eps } })[0];

/** GroupNorm over [N, C, ...spatial] with per-channel scale/bias of shape [C] (PyTorch semantics). */
export function groupNorm(b: GraphBuilder, x: Value, groups: number, scale: Value, bias: Value, eps = 1e-5): Value {
  const xs = shapeOf(x, 'groupNorm');
  const C = xs[1];
  if (typeof C !== 'number' || C % groups !== 0) throw new Error(`groupNorm: channels ${C} not divisible by ${groups} groups`);
  const g = reshape(b, x, [0, groups, -1]);
  const mean = rreduce(b, 'ReduceMean', g, [2]);
  const xc = sub(b, g, mean);
  const variance = rreduce(b, 'ReduceMean', mul(b, xc, xc), [2]);
  const normed = div(b, xc, sqrt(b, add(b, variance, eps)));
  const back = reshape(b, normed, b.op('Shape', [x])[0]);
  const affine = [C, ...xs.slice(2).map(() => 1)];
  return add(b, mul(b, back, reshape(b, scale, affine)), reshape(b, bias, affine));
}

const axisOf = (attrs: Record<string, { kind: string; value: unknown }>, def: number) =>
  (attrs.axis?.kind === 'int' ? (attrs.axis.value as number) : def);

const softmaxRule: VjpRule = ({ b, y, node }, [dy]) => {
  const r = shapeOf(y(0), 'Softmax VJP').length;
  const a = normAxis(axisOf(node.attrs, -1), r);
  const s = rsum(b, mul(b, dy!, y(0)), [a], true);
  return [mul(b, y(0), sub(b, dy!, s))];
};

const logSoftmaxRule: VjpRule = ({ b, y, node }, [dy]) => {
  const r = shapeOf(y(0), 'LogSoftmax VJP').length;
  const a = normAxis(axisOf(node.attrs, -1), r);
  return [sub(b, dy!, mul(b, exp(b, y(0)), rsum(b, dy!, [a], true)))];
};

const layerNormRule: VjpRule = ({ b, x, node, needs }, dys) => {
  if (dys[1] || dys[2]) throw new Error(`autodiff: LayerNormalization '${node.name}': gradients through Mean/InvStdDev outputs are not supported`);
  const dy = dys[0]!;
  const X = x(0);
  const r = shapeOf(X, 'LayerNormalization VJP').length;
  const a = normAxis(axisOf(node.attrs, -1), r);
  const eps = node.attrs.epsilon?.kind === 'float' ? node.attrs.epsilon.value : 1e-5;
  const axes = [...Array(r - a).keys()].map((i) => a + i);
  // Recompute the normalized input: cheaper to emit than to thread the optional outputs.
  const mean = rreduce(b, 'ReduceMean', X, axes);
  const xc = sub(b, X, mean);
  const rstd = div(b, 1, sqrt(b, add(b, rreduce(b, 'ReduceMean', mul(b, xc, xc), axes), eps)));
  const xhat = mul(b, xc, rstd);
  let dX: Value | undefined;
  if (needs(0)) {
    const dxhat = mul(b, dy, x(1));
    const m1 = rreduce(b, 'ReduceMean', dxhat, axes);
    const m2 = rreduce(b, 'ReduceMean', mul(b, dxhat, xhat), axes);
    dX = mul(b, rstd, sub(b, sub(b, dxhat, m1), mul(b, xhat, m2)));
  }
  const dScale = needs(1) ? unbroadcast(b, mul(b, dy, xhat), x(1)) : undefined;
  const dBias = node.inputs[2] && needs(2) ? unbroadcast(b, dy, x(2)) : undefined;
  return [dX, dScale, dBias];
};

/** Inference-mode BatchNormalization over axis 1 (running mean/var are inputs, e.g. a frozen CNN). */
const batchNormRule: VjpRule = ({ b, x, node, needs }, dys) => {
  if (dys.slice(1).some(Boolean) || (node.attrs.training_mode?.kind === 'int' && node.attrs.training_mode.value === 1)) {
    throw new Error(`autodiff: BatchNormalization in training mode is not supported (node '${node.name}')`);
  }
  const dy = dys[0]!;
  const r = shapeOf(x(0), 'BatchNormalization VJP').length;
  const eps = node.attrs.epsilon?.kind === 'float' ? node.attrs.epsilon.value : 1e-5;
  const chan = (v: Value) => reshape(b, v, [-1, ...Array(r - 2).fill(1)]); // [C] → [C, 1, ...]
  const reduceAxes = [0, ...[...Array(r - 2).keys()].map((i) => i + 2)];
  const std = sqrt(b, add(b, chan(x(4)), eps));
  const xc = sub(b, x(0), chan(x(3)));
  const sumDy = needs(2) || needs(3) ? rsum(b, dy, reduceAxes, false) : undefined;
  const sumDyXc = needs(1) || needs(4) ? rsum(b, mul(b, dy, xc), reduceAxes, false) : undefined;
  const flat = (v: Value) => reshape(b, v, [-1]);
  const invStd = flat(div(b, 1, std));
  return [
    needs(0) ? mul(b, dy, div(b, chan(x(1)), std)) : undefined,
    needs(1) ? mul(b, sumDyXc!, invStd) : undefined,
    needs(2) ? sumDy : undefined,
    needs(3) ? neg(b, mul(b, sumDy!, mul(b, x(1), invStd))) : undefined,
    needs(4) ? mul(b, mul(b, sumDyXc!, x(1)), mul(b, mul(b, mul(b, invStd, invStd), invStd), -0.5)) : undefined,
  ];
};

/**
 * InstanceNormalization (per sample and channel over the spatial axes, per-channel affine).
 * PyTorch exports GroupNorm as Reshape → InstanceNormalization → Reshape → Mul → Add, so
 * this rule is what differentiates GroupNorm in exported diffusion UNets.
 */
const instanceNormRule: VjpRule = ({ b, x, node, needs }, [dy]) => {
  const X = x(0);
  const r = shapeOf(X, 'InstanceNormalization VJP').length;
  const eps = node.attrs.epsilon?.kind === 'float' ? node.attrs.epsilon.value : 1e-5;
  const axes = [...Array(r - 2).keys()].map((i) => i + 2);
  const chan = (v: Value) => reshape(b, v, [-1, ...Array(r - 2).fill(1)]);
  const mean = rreduce(b, 'ReduceMean', X, axes);
  const xc = sub(b, X, mean);
  const rstd = div(b, 1, sqrt(b, add(b, rreduce(b, 'ReduceMean', mul(b, xc, xc), axes), eps)));
  const xhat = mul(b, xc, rstd);
  let dX: Value | undefined;
  if (needs(0)) {
    const dxhat = mul(b, dy!, chan(x(1)));
    const m1 = rreduce(b, 'ReduceMean', dxhat, axes);
    const m2 = rreduce(b, 'ReduceMean', mul(b, dxhat, xhat), axes);
    dX = mul(b, rstd, sub(b, sub(b, dxhat, m1), mul(b, xhat, m2)));
  }
  const sumAxes = [0, ...axes];
  return [
    dX,
    needs(1) ? rsum(b, mul(b, dy!, xhat), sumAxes, false) : undefined,
    needs(2) ? rsum(b, dy!, sumAxes, false) : undefined,
  ];
};

/**
 * GroupNormalization op (opset 18+), for imported models: scale/bias are per group before
 * opset 21 and per channel from 21 (the spec changed); both are handled.
 */
const groupNormOpRule: VjpRule = ({ b, x, node, needs }, [dy]) => {
  const X = x(0);
  const xs = shapeOf(X, 'GroupNormalization VJP');
  const r = xs.length;
  const C = xs[1];
  const G = node.attrs.num_groups?.kind === 'int' ? node.attrs.num_groups.value : 0;
  if (typeof C !== 'number' || !G || C % G !== 0) throw new Error(`autodiff: GroupNormalization '${node.name}' needs static channels divisible by num_groups`);
  const eps = node.attrs.epsilon?.kind === 'float' ? node.attrs.epsilon.value : 1e-5;
  const perChannel = b.opset >= 21;
  const spatial = Array(r - 2).fill(1);
  // per-channel view [C, 1, ...] of scale (per-group scale repeated C/G times)
  const chan = (v: Value) => (perChannel ? reshape(b, v, [C, ...spatial])
    : reshape(b, b.op('Expand', [reshape(b, v, [G, 1]), b.ints([G, C / G])])[0], [C, ...spatial]));
  const xg = reshape(b, X, [0, G, -1]);
  const xc = sub(b, xg, rreduce(b, 'ReduceMean', xg, [2]));
  const rstd = div(b, 1, sqrt(b, add(b, rreduce(b, 'ReduceMean', mul(b, xc, xc), [2]), eps)));
  const xhatG = mul(b, xc, rstd);
  const shapeX = b.op('Shape', [X])[0];
  let dX: Value | undefined;
  if (needs(0)) {
    const dxhat = reshape(b, mul(b, dy!, chan(x(1))), [0, G, -1]);
    const m1 = rreduce(b, 'ReduceMean', dxhat, [2]);
    const m2 = rreduce(b, 'ReduceMean', mul(b, dxhat, xhatG), [2]);
    dX = reshape(b, mul(b, rstd, sub(b, sub(b, dxhat, m1), mul(b, xhatG, m2))), shapeX);
  }
  const sumAxes = [0, ...spatial.map((_, i) => i + 2)];
  const toParam = (perC: Value) => (perChannel ? perC : rsum(b, reshape(b, perC, [G, C / G]), [1], false));
  return [
    dX,
    needs(1) ? toParam(rsum(b, mul(b, dy!, reshape(b, xhatG, shapeX)), sumAxes, false)) : undefined,
    needs(2) ? toParam(rsum(b, dy!, sumAxes, false)) : undefined,
  ];
};

export const normRules: Record<string, VjpRule> = {
  GroupNormalization: groupNormOpRule,
  InstanceNormalization: instanceNormRule,
  BatchNormalization: batchNormRule,
  Softmax: softmaxRule,
  LogSoftmax: logSoftmaxRule,
  LayerNormalization: layerNormRule,
};
