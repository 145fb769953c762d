/**
 * Resize (nearest and linear) on the last one or two axes, the usual NCHW upsampling.
 *
 *   const up = resize(b, x, { scales: [1, 1, 2, 2], mode: 'nearest' });
 *
 * Resize is linear in its input and separable per axis: Y = A_h · X · A_wᵀ with A built
 * on the host from the same coordinate rules onnxruntime uses. The VJP is therefore two
 * constant MatMuls, dX = A_hᵀ · dY · A_w — no ScatterND, runs on every EP.
 */
import type { GraphBuilder, Value } from '../builder.ts';
import type { Node } from '../ir.ts';
import { type VjpRule, shapeOf } from './common.ts';

export interface ResizeOpts {
  scales?: number[]; sizes?: number[];
  mode?: 'nearest' | 'linear';
  coordinateTransformationMode?: 'half_pixel' | 'pytorch_half_pixel' | 'align_corners' | 'asymmetric' | 'tf_half_pixel_for_nearest';
  nearestMode?: 'round_prefer_floor' | 'round_prefer_ceil' | 'floor' | 'ceil';
}

export function resize(b: GraphBuilder, x: Value, o: ResizeOpts): Value {
  if (!o.scales === !o.sizes) throw new Error('resize: give exactly one of scales or sizes');
  const attrs: Record<string, string> = { mode: o.mode ?? 'nearest' };
  if (o.coordinateTransformationMode) attrs.coordinate_transformation_mode = o.coordinateTransformationMode;
  if (o.nearestMode) attrs.nearest_mode = o.nearestMode;
  const scales = o.scales ? b.constant(o.scales, [o.scales.length]) : undefined;
  const sizes = o.sizes ? b.ints(o.sizes) : undefined;
  return b.op('Resize', [x, undefined, scales, sizes], attrs)[0];
}

const str = (n: Node, k: string, d: string) => (n.attrs[k]?.kind === 'string' ? (n.attrs[k].value as string) : d);

/** Row-major [out, in] interpolation matrix of one axis, following onnxruntime's Resize. */
export function resizeMatrix(inLen: number, outLen: number, scale: number, mode: string, ctm: string, nearestMode: string): Float32Array {
  const A = new Float32Array(outLen * inLen);
  const orig = (x: number): number => {
    switch (ctm) {
      case 'half_pixel': return (x + 0.5) / scale - 0.5;
      case 'pytorch_half_pixel': return outLen > 1 ? (x + 0.5) / scale - 0.5 : 0;
      case 'align_corners': return outLen === 1 ? 0 : (x * (inLen - 1)) / (outLen - 1);
      case 'asymmetric': return x / scale;
      case 'tf_half_pixel_for_nearest': return (x + 0.5) / scale;
      default: throw new Error(`autodiff: Resize coordinate_transformation_mode '${ctm}' is not supported`);
    }
  };
  for (let o = 0; o < outLen; o++) {
    const xo = orig(o);
    if (mode === 'nearest') {
      let i: number;
      switch (nearestMode) {
        case 'floor': i = Math.floor(xo); break;
        case 'ceil': i = Math.ceil(xo); break;
        case 'round_prefer_ceil': i = Math.round(xo); break;
        default: i = xo === Math.floor(xo) + 0.5 ? Math.floor(xo) : Math.round(xo);
      }
      A[o * inLen + Math.min(Math.max(i, 0), inLen - 1)] = 1;
    } else {
      const c = Math.min(Math.max(xo, 0), inLen - 1);
      const i0 = Math.floor(c), i1 = Math.min(i0 + 1, inLen - 1), w = c - i0;
      A[o * inLen + i0] += 1 - w;
      A[o * inLen + i1] += w;
    }
  }
  return A;
}

const transpose2 = (A: Float32Array, rows: number, cols: number) => {
  const T = new Float32Array(A.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) T[c * rows + r] = A[r * cols + c];
  return T;
};

const resizeRule: VjpRule = ({ b, x, y, node }, [dy]) => {
  const what = `Resize VJP ('${node.name}')`;
  const xs = shapeOf(x(0), what), ys = shapeOf(y(0), what);
  const r = xs.length;
  const mode = str(node, 'mode', 'nearest');
  if (mode !== 'nearest' && mode !== 'linear') throw new Error(`autodiff: Resize mode '${mode}' is not supported (node '${node.name}')`);
  if (node.attrs.antialias?.kind === 'int' && node.attrs.antialias.value) throw new Error(`autodiff: Resize antialias is not supported (node '${node.name}')`);
  const scalesC = node.inputs[2] ? b.consts.get(node.inputs[2]) : undefined;
  const ctm = str(node, 'coordinate_transformation_mode', 'half_pixel');
  const nm = str(node, 'nearest_mode', 'round_prefer_floor');
  let g = dy!;
  for (let a = 0; a < r; a++) {
    const i = xs[a], o = ys[a];
    const scale = scalesC && scalesC.values.length === r ? scalesC.values[a] : typeof i === 'number' && typeof o === 'number' ? o / i : 1;
    if (scale === 1 && i === o) continue;
    if (a < r - 2) throw new Error(`autodiff: Resize of axis ${a} (only the last two axes) is not supported (node '${node.name}')`);
    if (typeof i !== 'number' || typeof o !== 'number') throw new Error(`${what}: needs static sizes on axis ${a}`);
    const A = resizeMatrix(i, o, scale, mode, ctm, nm);
    if (a === r - 1) g = b.op('MatMul', [g, b.constant(A, [o, i])])[0];                     // [..., o] · A → [..., i]
    else g = b.op('MatMul', [b.constant(transpose2(A, o, i), [i, o]), g])[0];               // Aᵀ · [..., o, W]
  }
  return [g];
};

export const resizeRules: Record<string, VjpRule> = { Resize: resizeRule };
