/**
 * Cut a node range or layer range out into its own graph. Inputs of the new graph are the
 * tensors crossing the cut into the range (initializers it reads come along as
 * initializers); outputs are the tensors it produces that the rest of the graph (or the
 * original outputs) read, unless the caller names them. Used for per-layer execution
 * (DyVTE exits) and to run one UNet block under autodiff.
 */
import type { Model, Node, TensorData } from '../ir.ts';
import { matches, topoSort, type NameMatcher } from './graphTools.ts';
import { defaultTypes, propagateDTypes, typeOf, type TypeMap } from './tensorTypes.ts';

export type CutSpec =
  /** Every node whose name matches. */
  | { nodes: NameMatcher }
  /** Node names, inclusive, in topological order. */
  | { from: string; to: string }
  /** Layers `<prefix>.<from>` … `<prefix>.<to>` (node names scoped like `blocks.2/MatMul` or `blocks.2.attn/...`). */
  | { layers: string; from: number; to: number };

export interface CutOptions {
  outputs?: string[];
  types?: TypeMap;
  name?: string;
}

function inLayer(name: string, prefix: string, from: number, to: number): boolean {
  if (!name.startsWith(`${prefix}.`)) return false;
  const m = /^(\d+)(?:[./]|$)/.exec(name.slice(prefix.length + 1));
  return !!m && Number(m[1]) >= from && Number(m[1]) <= to;
}

function select(order: Node[], spec: CutSpec): Node[] {
  if ('nodes' in spec) return order.filter((n) => matches(spec.nodes, n.name));
  if ('layers' in spec) return order.filter((n) => inLayer(n.name, spec.layers, spec.from, spec.to));
  const a = order.findIndex((n) => n.name === spec.from);
  const b = order.findIndex((n) => n.name === spec.to);
  if (a < 0 || b < 0) throw new Error(`cutGraph: node '${a < 0 ? spec.from : spec.to}' not found`);
  if (b < a) throw new Error(`cutGraph: '${spec.to}' comes before '${spec.from}' in topological order`);
  return order.slice(a, b + 1);
}

export function cutGraph(model: Model, spec: CutSpec, opts: CutOptions = {}): Model {
  const g = model.graph;
  const order = topoSort(g);
  const chosen = select(order, spec);
  if (chosen.length === 0) throw new Error(`cutGraph: no nodes selected by ${JSON.stringify(spec, (_k, v) => (v instanceof RegExp ? String(v) : v))}`);
  const inside = new Set(chosen);
  const made = new Set(chosen.flatMap((n) => n.outputs.filter(Boolean)));
  const types = opts.types ?? defaultTypes(model);
  const dtypes = propagateDTypes(g, types);
  const type = (t: string) => typeOf(g, t, types, dtypes);

  const initializers = new Map<string, TensorData>();
  const crossingIn: string[] = [];
  for (const n of chosen) {
    for (const i of n.inputs) {
      if (!i || made.has(i) || crossingIn.includes(i) || initializers.has(i)) continue;
      const init = g.initializers.get(i);
      if (init && !g.inputs.some((v) => v.name === i)) initializers.set(i, init);
      else crossingIn.push(i);
    }
  }

  let outs = opts.outputs;
  if (!outs) {
    const read = new Set<string>(g.outputs.map((o) => o.name));
    for (const n of g.nodes) if (!inside.has(n)) for (const i of n.inputs) if (i) read.add(i);
    outs = [...made].filter((t) => read.has(t));
  }
  for (const o of outs) if (!made.has(o)) throw new Error(`cutGraph: output '${o}' is not produced inside the cut`);

  const valueInfo = new Map([...g.valueInfo].filter(([k]) => made.has(k)));
  return {
    ...model,
    metadata: { ...model.metadata },
    graph: {
      name: opts.name ?? `${g.name}_cut`,
      nodes: chosen.map((n) => ({ ...n, inputs: [...n.inputs], outputs: [...n.outputs], attrs: { ...n.attrs } })),
      inputs: crossingIn.map(type),
      outputs: outs.map(type),
      initializers,
      valueInfo,
    },
  };
}
