/**
 * Dead-node elimination: keep only nodes that some graph output depends on, and drop
 * initializers nobody reads. Graph inputs stay unless `pruneInputs` (removing an input
 * changes the I/O contract callers feed).
 */
import type { Model } from '../ir.ts';
import { cloneModel, producers } from './graphTools.ts';

export function eliminateDeadNodes(model: Model, opts: { pruneInputs?: boolean } = {}): Model {
  const m = cloneModel(model);
  const g = m.graph;
  const prod = producers(g);
  const live = new Set<string>();
  const keep = new Set<object>();
  const stack = g.outputs.map((o) => o.name);
  while (stack.length) {
    const t = stack.pop()!;
    if (live.has(t)) continue;
    live.add(t);
    const n = prod.get(t);
    if (n && !keep.has(n)) {
      keep.add(n);
      for (const i of n.inputs) if (i) stack.push(i);
      // Subgraph attributes (If/Loop/Scan bodies) may read outer tensors by name.
      for (const a of Object.values(n.attrs)) if (a.kind === 'graph') for (const sn of a.value.nodes) for (const i of sn.inputs) if (i) stack.push(i);
    }
  }
  g.nodes = g.nodes.filter((n) => keep.has(n));
  for (const k of [...g.initializers.keys()]) if (!live.has(k)) g.initializers.delete(k);
  for (const k of [...g.valueInfo.keys()]) if (!live.has(k)) g.valueInfo.delete(k);
  if (opts.pruneInputs) g.inputs = g.inputs.filter((v) => live.has(v.name));
  return m;
}
