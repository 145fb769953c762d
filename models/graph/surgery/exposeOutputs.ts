/**
 * Expose inner tensors as graph outputs, by exact name, list, RegExp or predicate — the
 * tool for attention maps (DPL), per-layer hidden states (DyVTE) and debugging.
 */
import type { Model } from '../ir.ts';
import { cloneModel, matches, type NameMatcher } from './graphTools.ts';
import { defaultTypes, propagateDTypes, typeOf, type TypeMap } from './tensorTypes.ts';

export interface ExposeOptions {
  /** Types to use for the new outputs, e.g. `inferShapes(model)`; falls back to what the graph knows. */
  types?: TypeMap;
}

/** Returns a new model whose outputs also include every node output that `which` matches. */
export function exposeOutputs(model: Model, which: NameMatcher, opts: ExposeOptions = {}): Model {
  const types = opts.types ?? defaultTypes(model);
  const m = cloneModel(model);
  const g = m.graph;
  const present = new Set(g.outputs.map((o) => o.name));
  const wanted: string[] = [];
  for (const n of g.nodes) for (const o of n.outputs) if (o && !present.has(o) && matches(which, o)) { wanted.push(o); present.add(o); }
  const exact = typeof which === 'string' ? [which] : Array.isArray(which) ? which : [];
  for (const name of exact) {
    if (!present.has(name) && !g.initializers.has(name) && !g.inputs.some((i) => i.name === name)) {
      throw new Error(`exposeOutputs: no tensor named '${name}' in graph '${g.name}'`);
    }
  }
  if (wanted.length === 0 && exact.length === 0) throw new Error(`exposeOutputs: nothing in graph '${g.name}' matches ${String(which)}`);
  const dtypes = propagateDTypes(g, types);
  for (const name of wanted) g.outputs.push(typeOf(g, name, types, dtypes));
  return m;
}
