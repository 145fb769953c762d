/**
 * Turn chosen initializers into plain graph inputs (values dropped from the graph): the
 * step the train-step graph needs so parameters flow in and out of each `run`.
 * Returns the removed values so the caller can feed them.
 */
import type { Model, TensorData } from '../ir.ts';
import { cloneModel, matches, type NameMatcher } from './graphTools.ts';

export function initializersToInputs(model: Model, which: NameMatcher): { model: Model; values: Map<string, TensorData> } {
  const m = cloneModel(model);
  const g = m.graph;
  const values = new Map<string, TensorData>();
  for (const [k, t] of g.initializers) {
    if (!matches(which, k) || t.dtype !== 'float32') continue;
    values.set(k, t);
    g.initializers.delete(k);
    if (!g.inputs.some((v) => v.name === k)) g.inputs.push({ name: k, dtype: t.dtype, shape: [...t.dims] });
  }
  return { model: m, values };
}
