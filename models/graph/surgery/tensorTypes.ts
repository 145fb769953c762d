/**
 * Types for tensors that surgery turns into graph inputs/outputs. ONNX needs an element
 * type on every graph input/output; shapes may stay unknown. We take, in order: a caller's
 * map (by default `inferShapes` of the model, see `defaultTypes`), what the graph already records (inputs,
 * initializers, valueInfo, outputs), then a cheap dtype-only propagation through the
 * nodes (shape left unknown, which onnxruntime accepts).
 */
import type { DType, Graph, Model, ValueInfo } from '../ir.ts';
import { dtypeFromCode } from '../dtype.ts';
import { inferShapes } from '../infer.ts';
import { knownInfo, topoSort } from './graphTools.ts';

export type TypeMap = ReadonlyMap<string, ValueInfo>;

const BOOL_OPS = new Set(['Equal', 'Less', 'LessOrEqual', 'Greater', 'GreaterOrEqual', 'Not', 'And', 'Or', 'Xor', 'IsNaN', 'IsInf']);
const INT64_OPS = new Set(['Shape', 'Size', 'ArgMax', 'ArgMin', 'NonZero']);

/** dtype of every tensor we can tell, by propagating through the nodes in topological order. */
export function propagateDTypes(g: Graph, known?: TypeMap): Map<string, DType> {
  const dt = new Map<string, DType>();
  for (const v of g.inputs) dt.set(v.name, v.dtype);
  for (const [k, t] of g.initializers) dt.set(k, t.dtype);
  for (const [k, v] of g.valueInfo) dt.set(k, v.dtype);
  if (known) for (const [k, v] of known) dt.set(k, v.dtype);
  for (const n of topoSort(g)) {
    let d: DType | undefined;
    if (BOOL_OPS.has(n.op)) d = 'bool';
    else if (INT64_OPS.has(n.op)) d = 'int64';
    else if (n.op === 'Cast' && n.attrs.to?.kind === 'int') d = dtypeFromCode(n.attrs.to.value);
    else if (n.op === 'Constant' && n.attrs.value?.kind === 'tensor') d = n.attrs.value.value.dtype;
    else if (n.op === 'Where') d = dt.get(n.inputs[1]);
    else if (n.op === 'ConstantOfShape') d = n.attrs.value?.kind === 'tensor' ? n.attrs.value.value.dtype : 'float32';
    else d = n.inputs.map((i) => dt.get(i)).find((x) => x !== undefined);
    // Secondary outputs of TopK/MaxPool-like ops are indices; the rest follow the first.
    n.outputs.forEach((o, k) => {
      if (!o || dt.has(o)) return;
      const isIndex = k > 0 && (n.op === 'TopK' || n.op === 'MaxPool' || n.op === 'Unique');
      if (isIndex) dt.set(o, 'int64');
      else if (d) dt.set(o, d);
    });
  }
  return dt;
}

/** A ValueInfo for `name`: full info when known, else dtype-only. Throws when even dtype is unknown. */
export function typeOf(g: Graph, name: string, known?: TypeMap, dtypes?: Map<string, DType>): ValueInfo {
  const k = known?.get(name) ?? knownInfo(g, name);
  if (k) return { name, dtype: k.dtype, shape: k.shape ? [...k.shape] : undefined };
  const d = (dtypes ?? propagateDTypes(g, known)).get(name);
  if (!d) throw new Error(`cannot tell the dtype of tensor '${name}' in graph '${g.name}'`);
  return { name, dtype: d };
}

/**
 * Static shapes and dtypes from the graph module's shape inference, run on a
 * topologically sorted copy (inference walks nodes in order). Undefined when inference
 * cannot handle the graph, so callers fall back to what the graph records.
 */
export function defaultTypes(model: Model): TypeMap | undefined {
  try {
    return inferShapes({ ...model, graph: { ...model.graph, nodes: topoSort(model.graph) } });
  } catch (_e) {
    return undefined;
  }
}
