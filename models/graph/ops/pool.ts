/**
 * AveragePool (and GlobalAveragePool's forward helper).
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

export interface PoolOpts { strides?: number[]; pads?: number[]; countIncludePad?: boolean }

export function averagePool(b: GraphBuilder, x: Value, kernel: number[], o: PoolOpts = {}): Value {
  const a: Record<string, number | number[]> = { kernel_shape: kernel };
  if (o.strides) a.strides = o.strides;
  if (o.pads) a.pads = o.pads;
  if (o.countIncludePad) a.count_include_pad = 1;
  return b.op('AveragePool', [x], a)[0];
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

export const poolRules: Record<string, VjpRule> = { AveragePool: avgPoolRule };
