/**
 * Replace an input: make an inner tensor a graph input, dropping whatever computed it.
 * Typical use: feed token embeddings where `input_ids` + Gather were, so text
 * embeddings can be optimized (null-text inversion, DPL) or mixed.
 */
import type { Dim, DType, Model } from '../ir.ts';
import { cloneModel, producers } from './graphTools.ts';
import { eliminateDeadNodes } from './eliminateDeadNodes.ts';
import { defaultTypes, propagateDTypes, type TypeMap } from './tensorTypes.ts';

export interface FeedOptions {
  /** Name of the new input (default: the tensor's own name). */
  as?: string;
  dtype?: DType;
  shape?: Dim[];
  types?: TypeMap;
  /** Drop graph inputs nothing reads any more (e.g. `input_ids`); default true. */
  pruneInputs?: boolean;
}

export function feedTensor(model: Model, tensor: string, opts: FeedOptions = {}): Model {
  const types = opts.types ?? defaultTypes(model);
  const m = cloneModel(model);
  const g = m.graph;
  const producer = producers(g).get(tensor);
  if (!producer) throw new Error(`feedTensor: '${tensor}' is not produced by any node in graph '${g.name}'`);
  const as = opts.as ?? tensor;
  const known = types?.get(tensor) ?? g.valueInfo.get(tensor);
  const dtype = opts.dtype ?? known?.dtype ?? propagateDTypes(g, types).get(tensor);
  if (!dtype) throw new Error(`feedTensor: dtype of '${tensor}' unknown; pass opts.dtype`);
  const shape = opts.shape ?? known?.shape;

  // Detach the producer from the tensor, then rename readers to the new input.
  producer.outputs = producer.outputs.map((o) => (o === tensor ? '' : o));
  if (as !== tensor) {
    for (const n of g.nodes) n.inputs = n.inputs.map((i) => (i === tensor ? as : i));
    for (const o of g.outputs) if (o.name === tensor) o.name = as;
  }
  g.inputs.push({ name: as, dtype, shape: shape ? [...shape] : undefined });
  g.valueInfo.delete(tensor);
  return eliminateDeadNodes(m, { pruneInputs: opts.pruneInputs ?? true });
}
