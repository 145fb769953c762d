/**
 * AveragePool, MaxPool (and GlobalAveragePool's forward helper).
 *
 *   const h = averagePool(b, x, [2, 2], { strides: [2, 2] });
 *
 * VJP: scale dY by 1/(window size) — per output position when pads are excluded from the
 * count (count_include_pad = 0), computed on the host — then scatter it back over each
 * window with a depthwise ConvTranspose whose kernel is all ones.
 */
import type { GraphBuilder, Value } from '../builder.ts';
import { type VjpRule, shapeOf } from './common.ts';
import { geometry } from './conv.ts';
import { add, cast, equal, mul, sub } from './elementwise.ts';
import { pad, scatterStrided, slice } from './shape.ts';

export interface PoolOpts { strides?: number[]; pads?: number[]; countIncludePad?: boolean }

export function averagePool(b: GraphBuilder, x: Value, kernel: number[], o: PoolOpts = {}): Value {
  const a: Record<string, number | number[]> = { kernel_shape: kernel };
  if (o.strides) a.strides = o.strides;
  if (o.pads) a.pads = o.pads;
  if (o.countIncludePad) a.count_include_pad = 1;
  return b.op('AveragePool', [x], a)[0];
}
export function maxPool(b: GraphBuilder, x: Value, kernel: number[], o: { strides?: number[]; pads?: number[]; dilations?: number[] } = {}): Value {
  const a: Record<string, number | number[]> = { kernel_shape: kernel };
  if (o.strides) a.strides = o.strides;
  if (o.pads) a.pads = o.pads;
  if (o.dilations) a.dilations = o.dilations;
  return b.op('MaxPool', [x], a)[0];
}
export const globalAveragePool = (b: GraphBuilder, x: Value): Value => b.op('GlobalAveragePool', [x])[0];

const avgPoolRule: VjpRule = ({ b, x, y, node }, [dy]) => {
  const what = `AveragePool VJP ('${node.name}')`;
  const xs = shapeOf(x(0), what), ys = shapeOf(y(0), what);
  if (!xs.slice(1).every((d) => typeof d === 'number') || !ys.slice(2).every((d) => typeof d === 'number')) {
    throw new Error(`${what}: needs static channel and spatial dims`);
  }
  if (node.attrs.ceil_mode?.kind === 'int' && node.attrs.ceil_mode.value === 1) {
    throw new Error(`autodiff: AveragePool with ceil_mode=1 is not supported (node '${node.name}')`);
  }
  if (node.attrs.dilations) throw new Error(`autodiff: AveragePool with dilations is not supported (node '${node.name}')`);
  const geo = geometry(node, xs as number[], []);
  const C = xs[1] as number;
  const inDims = xs.slice(2) as number[], outDims = ys.slice(2) as number[];
  const includePad = node.attrs.count_include_pad?.kind === 'int' && node.attrs.count_include_pad.value === 1;
  // Window element count per output position, per axis (separable), then multiplied out.
  const perAxis = outDims.map((o, i) => Array.from({ length: o }, (_, j) => {
    if (includePad) return geo.k[i];
    const start = j * geo.s[i] - geo.p[i];
    return Math.min(start + geo.k[i], inDims[i]) - Math.max(start, 0);
  }));
  const total = outDims.reduce((p, q) => p * q, 1);
  const inv = new Float32Array(total);
  for (let f = 0; f < total; f++) {
    let rem = f, c = 1;
    for (let i = outDims.length - 1; i >= 0; i--) { c *= perAxis[i][rem % outDims[i]]; rem = Math.floor(rem / outDims[i]); }
    inv[f] = 1 / c;
  }
  const scaled = b.op('Mul', [dy!, b.constant(inv, outDims)])[0];
  const kernel = b.constant(new Float32Array(C * geo.k.reduce((p, q) => p * q, 1)).fill(1), [C, 1, ...geo.k]);
  const op = geo.k.map((kk, i) => inDims[i] - ((outDims[i] - 1) * geo.s[i] + kk - geo.p[i] - geo.p[i + geo.sp]));
  const attrs: Record<string, number | number[]> = { strides: geo.s, pads: geo.p, group: C };
  if (op.some((v) => v !== 0)) attrs.output_padding = op;
  return [b.op('ConvTranspose', [scaled, kernel], attrs)[0]];
};

/**
 * MaxPool: for each kernel offset, compare the strided window slice of the (−∞-padded)
 * input with Y; the first offset that matches takes the gradient (one winner per window,
 * like the Indices output and PyTorch), which is scattered back with the strided-Slice
 * adjoint. kh·kw Equal/Mul/Pad groups — fine for the small kernels pools use.
 */
const maxPoolRule: VjpRule = ({ b, x, y, node }, dys) => {
  const what = `MaxPool VJP ('${node.name}')`;
  if (node.attrs.ceil_mode?.kind === 'int' && node.attrs.ceil_mode.value === 1) throw new Error(`autodiff: MaxPool with ceil_mode=1 is not supported (node '${node.name}')`);
  const dy = dys[0]!;
  const xs = shapeOf(x(0), what), ys = shapeOf(y(0), what);
  if (!xs.slice(1).every((d) => typeof d === 'number') || !ys.slice(2).every((d) => typeof d === 'number')) throw new Error(`${what}: needs static channel and spatial dims`);
  const geo = geometry(node, xs as number[], []);
  const sp = geo.k.length;
  const inDims = xs.slice(2) as number[], outDims = ys.slice(2) as number[];
  const padded = inDims.map((d, i) => d + geo.p[i] + geo.p[i + sp]);
  const axes = inDims.map((_, i) => i + 2);
  const xp = geo.p.some((v) => v !== 0) ? pad(b, x(0), [0, 0, ...geo.p.slice(0, sp), 0, 0, ...geo.p.slice(sp)], -3.4e38) : x(0);
  const offsets: number[][] = [[]];
  for (let i = 0; i < sp; i++) offsets.splice(0, offsets.length, ...offsets.flatMap((o) => [...Array(geo.k[i]).keys()].map((j) => [...o, j])));
  let taken: Value | undefined, total: Value | undefined;
  for (const o of offsets) {
    const starts = o.map((j, i) => j * geo.d[i]);
    const win = slice(b, xp, starts, starts.map((st, i) => st + (outDims[i] - 1) * geo.s[i] + 1), axes, geo.s);
    const hit = cast(b, equal(b, win, y(0)), 'float32');
    const first = taken ? mul(b, hit, sub(b, 1, taken)) : hit;
    taken = taken ? add(b, taken, first) : first;
    let g = mul(b, dy, first);
    for (let i = 0; i < sp; i++) g = scatterStrided(b, g, 2 + i, padded[i], starts[i], geo.s[i], outDims[i], what);
    total = total ? add(b, total, g) : g;
  }
  const crop = geo.p.some((v) => v !== 0) ? slice(b, total!, geo.p.slice(0, sp), inDims.map((d, i) => geo.p[i] + d), axes) : total!;
  return [crop];
};

export const poolRules: Record<string, VjpRule> = { AveragePool: avgPoolRule, MaxPool: maxPoolRule };
