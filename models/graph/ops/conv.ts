/**
 * Conv and ConvTranspose (any number of spatial dims; strides, pads, dilations, groups).
 *
 *   const h = conv(b, x, w, bias, { strides: [2, 2], pads: [1, 1, 1, 1], group: 1 });
 *
 * VJPs stay inside Conv/ConvTranspose, which every onnxruntime EP runs:
 *   Conv:          dX = ConvTranspose(dY, W) with output_padding sized to X,
 *                  dW = a Conv of the (group-regrouped) input with dY as the kernel
 *                       (stride ↔ dilation swapped), cropped to the kernel size.
 *   ConvTranspose: dX = Conv(dY, W) (its adjoint), dW = the same weight-gradient
 *                  convolution with the roles of input and output swapped.
 */
import type { GraphBuilder, Value } from '../builder.ts';
import type { Node } from '../ir.ts';
import { type VjpRule, rsum, shapeOf, staticDims } from './common.ts';
import { reshape, slice, transpose } from './shape.ts';

export interface ConvOpts { strides?: number[]; pads?: number[]; dilations?: number[]; group?: number }
export interface ConvTransposeOpts extends ConvOpts { outputPadding?: number[] }

function convAttrs(o: ConvOpts): Record<string, number | number[]> {
  const a: Record<string, number | number[]> = {};
  if (o.strides) a.strides = o.strides;
  if (o.pads) a.pads = o.pads;
  if (o.dilations) a.dilations = o.dilations;
  if (o.group && o.group !== 1) a.group = o.group;
  return a;
}

export const conv = (b: GraphBuilder, x: Value, w: Value, bias?: Value, o: ConvOpts = {}): Value =>
  b.op('Conv', [x, w, bias], convAttrs(o))[0];
export function convTranspose(b: GraphBuilder, x: Value, w: Value, bias?: Value, o: ConvTransposeOpts = {}): Value {
  const a = convAttrs(o);
  if (o.outputPadding && o.outputPadding.some((p) => p !== 0)) a.output_padding = o.outputPadding;
  return b.op('ConvTranspose', [x, w, bias], a)[0];
}

interface Geometry { sp: number; k: number[]; s: number[]; p: number[]; d: number[]; g: number }

/** Resolve a conv-like node's attributes to explicit numbers (auto_pad SAME_* included). */
export function geometry(n: Node, x: number[], kernel: number[]): Geometry {
  const ints = (k: string) => (n.attrs[k]?.kind === 'ints' ? (n.attrs[k].value as number[]) : undefined);
  const sp = x.length - 2;
  const k = ints('kernel_shape') ?? kernel;
  const s = ints('strides') ?? Array(sp).fill(1);
  const d = ints('dilations') ?? Array(sp).fill(1);
  let p = ints('pads') ?? Array(2 * sp).fill(0);
  const g = n.attrs.group?.kind === 'int' ? n.attrs.group.value : 1;
  const auto = n.attrs.auto_pad?.kind === 'string' ? n.attrs.auto_pad.value : 'NOTSET';
  if (auto === 'VALID') p = Array(2 * sp).fill(0);
  else if (auto === 'SAME_UPPER' || auto === 'SAME_LOWER') {
    if (n.op === 'ConvTranspose') throw new Error(`autodiff: ConvTranspose auto_pad ${auto} is not supported (node '${n.name}')`);
    p = Array(2 * sp).fill(0);
    for (let i = 0; i < sp; i++) {
      const total = Math.max(0, (Math.ceil(x[2 + i] / s[i]) - 1) * s[i] + (k[i] - 1) * d[i] + 1 - x[2 + i]);
      const small = Math.floor(total / 2);
      p[i] = auto === 'SAME_UPPER' ? small : total - small;
      p[i + sp] = total - p[i];
    }
  }
  return { sp, k, s, p, d, g };
}

const swap01 = (r: number) => [1, 0, ...[...Array(r - 2).keys()].map((i) => i + 2)];

/**
 * ∂L/∂W of Y = Conv(inp, W) given gout = ∂L/∂Y: W is [Cout, Cin/g, ...k].
 * The input is regrouped to [Cin/g, g·N, ...] so one grouped Conv (kernel = gout as
 * [Cout, N, ...]) yields every group's weight gradient at once.
 */
export function convWeightGrad(b: GraphBuilder, inp: Value, gout: Value, geo: Geometry, what: string): Value {
  const xs = staticDimsExceptBatch(inp, what);
  const r = xs.length;
  const { sp, k, s, p, d, g } = geo;
  const C = xs[1] as number;
  let xr: Value;
  if (g === 1) xr = transpose(b, inp, swap01(r));
  else {
    const spat = xs.slice(2) as number[];
    const x5 = reshape(b, inp, [-1, g, C / g, ...spat]);
    const t = transpose(b, x5, [2, 1, 0, ...spat.map((_, i) => i + 3)]);
    xr = reshape(b, t, [C / g, -1, ...spat]);
  }
  const kr = transpose(b, gout, swap01(r));
  const full = b.op('Conv', [xr, kr], { strides: d, dilations: s, pads: p, ...(g !== 1 ? { group: g } : {}) })[0];
  let dW = transpose(b, full, swap01(r));
  const got = shapeOf(dW, what).slice(2);
  if (got.some((v, i) => v !== k[i])) dW = slice(b, dW, Array(sp).fill(0), k, k.map((_, i) => i + 2));
  return dW;
}

function staticDimsExceptBatch(v: Value, what: string): (number | string)[] {
  const s = shapeOf(v, what);
  if (!s.slice(1).every((d) => typeof d === 'number')) throw new Error(`${what}: '${v.name}' needs static channel and spatial dims, got [${s}]`);
  return s;
}

const biasGrad = (b: GraphBuilder, dy: Value) => {
  const r = shapeOf(dy, 'bias VJP').length;
  return rsum(b, dy, [0, ...[...Array(r - 2).keys()].map((i) => i + 2)], false);
};

const convRule: VjpRule = ({ b, x, y, node, needs }, [dy]) => {
  const what = `Conv VJP ('${node.name}')`;
  const xs = staticDimsExceptBatch(x(0), what);
  const ws = staticDims(x(1), what);
  const geo = geometry(node, xs as number[], ws.slice(2));
  let dX: Value | undefined;
  if (needs(0)) {
    const ys = staticDimsExceptBatch(y(0), what);
    const op = geo.k.map((kk, i) => (xs[2 + i] as number) - (((ys[2 + i] as number) - 1) * geo.s[i] + (kk - 1) * geo.d[i] + 1 - geo.p[i] - geo.p[i + geo.sp]));
    dX = convTranspose(b, dy!, x(1), undefined, { strides: geo.s, pads: geo.p, dilations: geo.d, group: geo.g, outputPadding: op });
  }
  const dW = needs(1) ? convWeightGrad(b, x(0), dy!, geo, what) : undefined;
  const dB = node.inputs[2] && needs(2) ? biasGrad(b, dy!) : undefined;
  return [dX, dW, dB];
};

const convTransposeRule: VjpRule = ({ b, x, node, needs }, [dy]) => {
  const what = `ConvTranspose VJP ('${node.name}')`;
  if (node.attrs.output_shape) throw new Error(`autodiff: ConvTranspose with output_shape is not supported (node '${node.name}')`);
  const xs = staticDimsExceptBatch(x(0), what);
  const ws = staticDims(x(1), what);
  const geo = geometry(node, xs as number[], ws.slice(2));
  const dX = needs(0) ? conv(b, dy!, x(1), undefined, { strides: geo.s, pads: geo.p, dilations: geo.d, group: geo.g }) : undefined;
  const dW = needs(1) ? convWeightGrad(b, dy!, x(0), geo, what) : undefined;
  const dB = node.inputs[2] && needs(2) ? biasGrad(b, dy!) : undefined;
  return [dX, dW, dB];
};

export const convRules: Record<string, VjpRule> = { Conv: convRule, ConvTranspose: convTransposeRule };
