/**
 * Small helpers every surgery pass and the optimizer emitters share: cloning a model so a
 * pass never mutates its argument, producer/consumer indexes, fresh names, topological
 * order, and an `Editor` that appends nodes and constants to a graph with unique names.
 * These work on the raw IR (models/graph/ir.ts) so surgery does not depend on the builder.
 */
import type { Attr, DType, Graph, Model, Node, TensorData, TensorValues, ValueInfo } from '../ir.ts';

/** Structural copy: new arrays/maps/node objects; tensor values are shared (passes never write into them). */
export function cloneGraph(g: Graph): Graph {
  return {
    name: g.name,
    nodes: g.nodes.map((n) => ({ ...n, inputs: [...n.inputs], outputs: [...n.outputs], attrs: { ...n.attrs } })),
    inputs: g.inputs.map((v) => ({ ...v, shape: v.shape ? [...v.shape] : undefined })),
    outputs: g.outputs.map((v) => ({ ...v, shape: v.shape ? [...v.shape] : undefined })),
    initializers: new Map(g.initializers),
    valueInfo: new Map(g.valueInfo),
  };
}

export function cloneModel(m: Model): Model {
  return { ...m, metadata: { ...m.metadata }, graph: cloneGraph(m.graph) };
}

/** tensor name → the node that writes it. */
export function producers(g: Graph): Map<string, Node> {
  const m = new Map<string, Node>();
  for (const n of g.nodes) for (const o of n.outputs) if (o) m.set(o, n);
  return m;
}

/** tensor name → nodes that read it. */
export function consumers(g: Graph): Map<string, Node[]> {
  const m = new Map<string, Node[]>();
  for (const n of g.nodes) {
    for (const i of n.inputs) {
      if (!i) continue;
      const list = m.get(i);
      if (list) list.push(n); else m.set(i, [n]);
    }
  }
  return m;
}

/** Every tensor name the graph mentions (inputs, initializers, node outputs). */
export function allNames(g: Graph): Set<string> {
  const s = new Set<string>();
  for (const v of g.inputs) s.add(v.name);
  for (const k of g.initializers.keys()) s.add(k);
  for (const n of g.nodes) for (const o of n.outputs) if (o) s.add(o);
  for (const v of g.outputs) s.add(v.name);
  return s;
}

/** Nodes in an order where every producer precedes its consumers (Kahn). Throws on cycles. */
export function topoSort(g: Graph): Node[] {
  const prod = producers(g);
  const indeg = new Map<Node, number>();
  const users = new Map<Node, Node[]>();
  for (const n of g.nodes) {
    const deps = new Set<Node>();
    for (const i of n.inputs) {
      const p = i ? prod.get(i) : undefined;
      if (p && p !== n) deps.add(p);
    }
    indeg.set(n, deps.size);
    for (const d of deps) {
      const u = users.get(d);
      if (u) u.push(n); else users.set(d, [n]);
    }
  }
  const ready = g.nodes.filter((n) => indeg.get(n) === 0);
  const out: Node[] = [];
  while (ready.length) {
    const n = ready.shift()!;
    out.push(n);
    for (const u of users.get(n) ?? []) {
      const d = indeg.get(u)! - 1;
      indeg.set(u, d);
      if (d === 0) ready.push(u);
    }
  }
  if (out.length !== g.nodes.length) throw new Error(`graph '${g.name}' has a cycle`);
  return out;
}

/** Type of a named tensor when the graph knows it (input, initializer, output, valueInfo). */
export function knownInfo(g: Graph, name: string): ValueInfo | undefined {
  const inp = g.inputs.find((v) => v.name === name);
  if (inp) return inp;
  const init = g.initializers.get(name);
  if (init) return { name, dtype: init.dtype, shape: [...init.dims] };
  return g.valueInfo.get(name) ?? g.outputs.find((v) => v.name === name);
}

export type NameMatcher = string | RegExp | ((name: string) => boolean) | readonly string[];

export function matches(m: NameMatcher, name: string): boolean {
  if (typeof m === 'string') return m === name;
  if (m instanceof RegExp) { m.lastIndex = 0; return m.test(name); }
  if (typeof m === 'function') return m(name);
  return m.includes(name);
}

const f32 = (v: number | readonly number[]) => new Float32Array(typeof v === 'number' ? [v] : v);

/**
 * Appends nodes to a graph in place, naming each output `<prefix>/<op>_<k>` unless told
 * otherwise and never reusing a name the graph already has.
 */
export class Editor {
  private readonly taken: Set<string>;
  private counter = 0;

  constructor(readonly graph: Graph, readonly prefix = '') {
    this.taken = allNames(graph);
    for (const n of graph.nodes) this.taken.add(n.name);
  }

  fresh(base: string): string {
    let name = base;
    while (this.taken.has(name)) name = `${base}_${++this.counter}`;
    this.taken.add(name);
    return name;
  }

  private auto(op: string): string {
    return this.fresh(this.prefix ? `${this.prefix}/${op}` : op);
  }

  /** Emit one node; returns its output names. `outputs` fixes names (they must be free). */
  op(op: string, inputs: string[], attrs: Record<string, Attr> = {}, opts: { outputs?: string[]; nOutputs?: number; name?: string } = {}): string[] {
    const outputs = opts.outputs ?? Array.from({ length: opts.nOutputs ?? 1 }, () => this.auto(op));
    for (const o of opts.outputs ?? []) this.taken.add(o);
    this.graph.nodes.push({ name: opts.name ? this.fresh(opts.name) : this.auto(`${op}_node`), op, inputs, outputs, attrs });
    return outputs;
  }

  /** Single-output shorthand. */
  op1(op: string, inputs: string[], attrs: Record<string, Attr> = {}, out?: string): string {
    return this.op(op, inputs, attrs, out ? { outputs: [out] } : {})[0];
  }

  initializer(name: string, dtype: DType, dims: number[], values: TensorValues): string {
    const n = this.fresh(name);
    const t: TensorData = { name: n, dtype, dims, values };
    this.graph.initializers.set(n, t);
    return n;
  }

  /** Scalar constants already emitted by this editor, by value (shared, not duplicated). */
  private readonly scalars = new Map<number, string>();

  /** float32 constant (scalar when `dims` is omitted and a single number is given). */
  f32(value: number | readonly number[], dims?: number[], name = 'const'): string {
    if (typeof value === 'number' && (dims === undefined || dims.length === 0) && name === 'const') {
      const hit = this.scalars.get(value);
      if (hit && this.graph.initializers.has(hit)) return hit;
      const made = this.initializer(this.prefix ? `${this.prefix}/${name}` : name, 'float32', [], f32(value));
      this.scalars.set(value, made);
      return made;
    }
    const v = f32(value);
    return this.initializer(this.prefix ? `${this.prefix}/${name}` : name, 'float32', dims ?? (typeof value === 'number' ? [] : [v.length]), v);
  }

  i64(values: readonly number[], dims?: number[], name = 'const_i64'): string {
    return this.initializer(this.prefix ? `${this.prefix}/${name}` : name, 'int64', dims ?? [values.length], BigInt64Array.from(values.map(BigInt)));
  }
}

export const intAttr = (value: number): Attr => ({ kind: 'int', value });
export const intsAttr = (value: number[]): Attr => ({ kind: 'ints', value });
export const floatAttr = (value: number): Attr => ({ kind: 'float', value });
