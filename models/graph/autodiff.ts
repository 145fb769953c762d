/**
 * Reverse-mode autodiff over ONNX graphs: the result is an ordinary ONNX model that
 * computes the original outputs plus one gradient output per `wrt` entry, runnable by
 * onnxruntime on CPU (Node), wasm and WebGPU.
 *
 *   const g = grad(model, { loss: 'loss', wrt: ['fc.weight', 'x'] });
 *   // outputs: loss, ..., 'fc.weight_grad', 'x_grad'
 *
 * Algorithm: mark values forward-reachable from `wrt` (through float values and
 * differentiable ops) and backward-reachable from the loss; walk the nodes on both in
 * reverse order calling each op's VJP rule (ops/*.ts); sum gradients of values used more
 * than once; finally drop every emitted node that no output needs.
 */
import { GraphBuilder, type Value } from './builder.ts';
import type { Model, Node } from './ir.ts';
import { type GradCtx, NON_DIFFERENTIABLE, vjpRules } from './ops/index.ts';
import { zerosLike } from './ops/common.ts';

export const gradName = (name: string): string => `${name}_grad`;

export interface GradOptions {
  loss: string;
  wrt: string[];
  /** Initializers in `wrt` become graph inputs (train-step graphs feed parameters each step). */
  paramsAsInputs?: boolean;
  /** Name of an input carrying dL (same shape as the loss); default: a constant 1. */
  seed?: string;
}

const isFloat = (d: string | undefined) => d === undefined || d === 'float32' || d === 'float16' || d === 'float64';

/** Nodes in dependency order (stable; already-sorted graphs are returned as they are). */
export function topoSort(nodes: Node[], available: Iterable<string>): Node[] {
  const have = new Set(available);
  const sorted = nodes.every((n) => {
    const ok = n.inputs.every((i) => !i || have.has(i));
    for (const o of n.outputs) have.add(o);
    return ok;
  });
  if (sorted) return nodes;
  const producer = new Map<string, number>();
  nodes.forEach((n, k) => n.outputs.forEach((o) => producer.set(o, k)));
  const state = new Array<0 | 1 | 2>(nodes.length).fill(0);
  const out: Node[] = [];
  const visit = (k: number) => {
    if (state[k] === 2) return;
    if (state[k] === 1) throw new Error(`autodiff: graph has a cycle through node '${nodes[k].name}'`);
    state[k] = 1;
    for (const i of nodes[k].inputs) { const p = i ? producer.get(i) : undefined; if (p !== undefined) visit(p); }
    state[k] = 2;
    out.push(nodes[k]);
  };
  nodes.forEach((_, k) => visit(k));
  return out;
}

export function grad(model: Model, opts: GradOptions): Model {
  // Opset 13 moved Squeeze/Unsqueeze/Split/ReduceSum operands from attributes to inputs; the
  // result is emitted at max(17, opset), so older graphs would change meaning.
  if (model.opset < 13) throw new Error(`autodiff: opset ${model.opset} models are not supported (need ≥ 13)`);
  const g0 = model.graph;
  const ordered = topoSort(g0.nodes, [...g0.inputs.map((i) => i.name), ...g0.initializers.keys()]);
  if (ordered !== g0.nodes) model = { ...model, graph: { ...g0, nodes: ordered } };
  const b = GraphBuilder.from(model);
  const g = model.graph;
  const nForward = b.nodes.length;
  const loss = b.info.get(opts.loss);
  if (!loss) throw new Error(`autodiff: loss '${opts.loss}' is not a value of graph '${g.name}'`);
  if (!isFloat(loss.dtype)) throw new Error(`autodiff: loss '${opts.loss}' has dtype ${loss.dtype}, expected float`);
  if (loss.shape && !(loss.shape.length === 0 || (loss.shape.length === 1 && loss.shape[0] === 1))) {
    throw new Error(`autodiff: loss '${opts.loss}' must be a scalar or shape [1], got [${loss.shape.join(', ')}]`);
  }
  const inputNames = new Set(g.inputs.map((i) => i.name));
  for (const w of opts.wrt) {
    if (!inputNames.has(w) && !g.initializers.has(w)) throw new Error(`autodiff: wrt '${w}' is neither a graph input nor an initializer`);
    if (!isFloat(b.info.get(w)?.dtype)) throw new Error(`autodiff: wrt '${w}' is not a float tensor`);
    if (b.info.has(gradName(w)) || b.nodes.some((n) => n.outputs.includes(gradName(w)))) throw new Error(`autodiff: output name '${gradName(w)}' is already taken`);
  }

  // Forward reachability from wrt (only float values through differentiable ops).
  const reach = new Set(opts.wrt);
  for (const n of b.nodes.slice(0, nForward)) {
    if (NON_DIFFERENTIABLE.has(n.op)) continue;
    if (n.inputs.some((i) => reach.has(i))) for (const o of n.outputs) if (o && isFloat(b.info.get(o)?.dtype)) reach.add(o);
  }
  // Backward reachability from the loss.
  const live = new Set([opts.loss]);
  for (let k = nForward - 1; k >= 0; k--) {
    const n = b.nodes[k];
    if (n.outputs.some((o) => live.has(o))) for (const i of n.inputs) if (i) live.add(i);
  }

  const grads = new Map<string, Value[]>();
  const push = (name: string, v: Value) => { const l = grads.get(name); if (l) l.push(v); else grads.set(name, [v]); };
  const total = (name: string): Value | undefined => {
    const l = grads.get(name);
    if (!l || l.length === 0) return undefined;
    let s = l[0];
    for (const v of l.slice(1)) s = b.op('Add', [s, v])[0];
    grads.set(name, [s]);
    return s;
  };

  // Fail early, naming the first node on the path that has no rule.
  for (let k = nForward - 1; k >= 0; k--) {
    const n = b.nodes[k];
    if (n.outputs.some((o) => reach.has(o) && live.has(o)) && (!Object.hasOwn(vjpRules, n.op) || n.domain)) {
      throw new Error(`autodiff: no gradient rule for op '${n.domain ? `${n.domain}.` : ''}${n.op}' (node '${n.name}')`);
    }
  }

  b.scope('grad', () => {
    const seed = opts.seed ? b.info.get(opts.seed) ?? b.input(opts.seed, loss.dtype, loss.shape ?? []) : b.constant([1], loss.shape ? (loss.shape as number[]) : [], loss.dtype);
    push(opts.loss, seed);
    for (let k = nForward - 1; k >= 0; k--) {
      const n = b.nodes[k];
      if (!n.outputs.some((o) => reach.has(o) && live.has(o))) continue;
      const dys = n.outputs.map((o) => (reach.has(o) && live.has(o) ? total(o) : undefined));
      if (dys.every((d) => d === undefined)) continue;
      backprop(b, n, dys, reach, push);
    }
  });

  for (const w of opts.wrt) {
    const gw = total(w) ?? b.scope('grad', () => zerosLike(b, b.value(w)));
    b.addNode({ name: b.fresh(`${w}_grad/Identity`), op: 'Identity', inputs: [gw.name], outputs: [gradName(w)], attrs: {} });
    const info = b.value(w);
    b.outputs.push({ name: gradName(w), dtype: info.dtype, shape: info.shape && [...info.shape] });
  }

  const out = b.build({ opset: b.opset });
  if (opts.paramsAsInputs) {
    for (const w of opts.wrt) {
      const t = out.graph.initializers.get(w);
      if (!t) continue;
      out.graph.initializers.delete(w);
      out.graph.inputs.push({ name: w, dtype: t.dtype, shape: [...t.dims] });
    }
  }
  pruneBackward(out, nForward);
  return out;
}

function backprop(b: GraphBuilder, n: Node, dys: (Value | undefined)[], reach: Set<string>, push: (name: string, v: Value) => void): void {
  const rule = Object.hasOwn(vjpRules, n.op) ? vjpRules[n.op] : undefined;
  if (!rule || n.domain) throw new Error(`autodiff: no gradient rule for op '${n.domain ? `${n.domain}.` : ''}${n.op}' (node '${n.name}')`);
  const needs = (i: number) => !!n.inputs[i] && reach.has(n.inputs[i]) && isFloat(b.info.get(n.inputs[i])?.dtype);
  const ctx: GradCtx = {
    b, node: n, needs,
    x: (i) => b.value(n.inputs[i]),
    y: (i) => b.value(n.outputs[i]),
  };
  const res = rule(ctx, dys);
  n.inputs.forEach((name, i) => {
    const gi = res[i];
    if (gi && needs(i)) push(name, gi);
  });
}

/** Drop emitted (backward) nodes and constants that no graph output depends on. */
function pruneBackward(m: Model, nForward: number): void {
  const g = m.graph;
  const need = new Set(g.outputs.map((o) => o.name));
  const keep = new Array<boolean>(g.nodes.length).fill(false);
  for (let k = g.nodes.length - 1; k >= 0; k--) {
    const n = g.nodes[k];
    if (k < nForward || n.outputs.some((o) => need.has(o))) {
      keep[k] = true;
      for (const i of n.inputs) if (i) need.add(i);
    }
  }
  g.nodes = g.nodes.filter((_, k) => keep[k]);
  for (const name of [...g.initializers.keys()]) {
    if (!need.has(name) && name.startsWith('grad/')) g.initializers.delete(name);
  }
}
