/**
 * Gather (embeddings, token picks on any axis), GatherElements and TopK (values).
 *
 *   const tok = gather(b, embedding, ids);          // [V, D] × ids[B, T] → [B, T, D]
 *   const cls = gather(b, h, b.ints([0]), 1);       // pick token 0 on axis 1
 *
 * VJPs use a one-hot formulation instead of ScatterElements/ScatterND with add-reduction:
 * onehot(indices)ᵀ · dY is a MatMul (and a mul + ReduceSum for GatherElements), which
 * every onnxruntime EP (CPU, wasm, WebGPU) runs. Indices are compared in float32, exact
 * for vocabularies below 2^24. Negative indices are wrapped first.
 */
import type { GraphBuilder, Value } from '../builder.ts';
import { type VjpRule, normAxis, rsum, shapeOf } from './common.ts';
import { add, cast, equal, less, where } from './elementwise.ts';
import { reshape, transpose, unsqueeze } from './shape.ts';

export const gather = (b: GraphBuilder, x: Value, indices: Value, axis = 0): Value => b.op('Gather', [x, indices], { axis })[0];
export const gatherElements = (b: GraphBuilder, x: Value, indices: Value, axis = 0): Value =>
  b.op('GatherElements', [x, indices], { axis })[0];

const isNum = (d: unknown): d is number => typeof d === 'number';
const prod = (ds: (number | string)[]) => (ds.every(isNum) ? (ds as number[]).reduce((p, q) => p * q, 1) : undefined);

/** Indices as float32 with negatives wrapped into [0, V). */
function floatIndices(b: GraphBuilder, idx: Value, V: number): Value {
  const f = cast(b, idx, 'float32');
  return where(b, less(b, f, 0), add(b, f, V), f);
}

const gatherRule: VjpRule = ({ b, x, node }, [dy]) => {
  const data = x(0), idx = x(1);
  const ds = shapeOf(data, 'Gather VJP'), is = shapeOf(idx, 'Gather VJP');
  const a = normAxis(node.attrs.axis?.kind === 'int' ? node.attrs.axis.value : 0, ds.length);
  const V = ds[a];
  if (!isNum(V)) throw new Error(`autodiff: Gather '${node.name}' needs a static size on axis ${a}`);
  const pA = prod(ds.slice(0, a)), pB = prod(ds.slice(a + 1)), N = prod(is);
  const unknown = [pA, N, pB].filter((v) => v === undefined).length;
  if (unknown > 1) throw new Error(`autodiff: Gather '${node.name}' needs static dims (data [${ds}], indices [${is}])`);
  const iota = b.constant([...Array(V).keys()], [V]);
  const onehot = cast(b, equal(b, unsqueeze(b, floatIndices(b, idx, V), [-1]), iota), 'float32'); // [...I, V]
  const ohT = transpose(b, reshape(b, onehot, [-1, V]), [1, 0]); // [V, N]
  const dy3 = reshape(b, dy!, [pA ?? -1, N ?? -1, pB ?? -1]);
  const d3 = b.op('MatMul', [ohT, dy3])[0]; // [pA, V, pB]
  return [reshape(b, d3, b.op('Shape', [data])[0]), undefined];
};

/**
 * Adjoint of GatherElements: dData[.., v, ..] = Σ_k dY[.., k, ..]·[idx[.., k, ..] = v] along
 * `axis` (one-hot Mul + ReduceSum). Also the TopK values gradient, with TopK's indices.
 */
export function scatterElements(b: GraphBuilder, dy: Value, idx: Value, data: Value, axis: number, what: string): Value {
  const ds = shapeOf(data, what), is = shapeOf(idx, what);
  const r = ds.length;
  const a = normAxis(axis, r);
  const V = ds[a];
  if (!isNum(V)) throw new Error(`autodiff: ${what} needs a static size on axis ${a}`);
  ds.forEach((d, i) => {
    if (i !== a && isNum(d) && isNum(is[i]) && d !== is[i]) {
      throw new Error(`autodiff: ${what}: indices smaller than data off the gather axis are not supported`);
    }
  });
  const iotaDims = Array(r + 1).fill(1);
  iotaDims[a + 1] = V;
  const iota = b.constant([...Array(V).keys()], iotaDims);
  const onehot = cast(b, equal(b, unsqueeze(b, floatIndices(b, idx, V), [a + 1]), iota), 'float32'); // [.., K, V, ..]
  const contrib = b.op('Mul', [onehot, unsqueeze(b, dy, [a + 1])])[0];
  return rsum(b, contrib, [a], false);
}

const axisAttr = (n: { attrs: Record<string, { kind: string; value: unknown }> }, d: number) => (n.attrs.axis?.kind === 'int' ? (n.attrs.axis.value as number) : d);

const gatherElementsRule: VjpRule = ({ b, x, node }, [dy]) =>
  [scatterElements(b, dy!, x(1), x(0), axisAttr(node, 0), `GatherElements '${node.name}'`), undefined];

/** TopK: the values' gradient goes back to the selected positions (indices output). */
const topKRule: VjpRule = ({ b, x, y, node }, [dv]) =>
  [dv ? scatterElements(b, dv, y(1), x(0), axisAttr(node, -1), `TopK '${node.name}'`) : undefined, undefined];

export const gatherRules: Record<string, VjpRule> = { Gather: gatherRule, GatherElements: gatherElementsRule, TopK: topKRule };
