/**
 * Constant folding: every node whose inputs are all constants (initializers that are not
 * overridable inputs, Constant nodes, earlier folds) is evaluated once and replaced by an
 * initializer. `Constant` nodes and `Shape` of statically shaped tensors (shapes from
 * `inferShapes` unless given) are folded in JS; the rest are evaluated together in one
 * run of a caller-given evaluator (`evaluateWithOrtNode` on Node), so folding matches
 * the runtime's own kernels exactly.
 */
import type { Model, TensorData } from '../ir.ts';
import { cloneModel, knownInfo, topoSort } from './graphTools.ts';
import { eliminateDeadNodes } from './eliminateDeadNodes.ts';
import { defaultTypes, propagateDTypes, typeOf, type TypeMap } from './tensorTypes.ts';
import { type ConstVal, inferAll } from '../infer.ts';

/** Runs a model that has no inputs and returns the named outputs. */
export type Evaluate = (model: Model) => Promise<Map<string, TensorData>>;

/** Ops whose result is not a pure function of their inputs. */
const IMPURE = new Set(['RandomNormal', 'RandomUniform', 'RandomNormalLike', 'RandomUniformLike', 'Multinomial', 'Bernoulli', 'Dropout']);

export interface FoldOptions {
  evaluate: Evaluate;
  types?: TypeMap;
}

export interface FoldResult {
  model: Model;
  /** Names of tensors that became initializers. */
  folded: string[];
}

export async function constantFold(model: Model, opts: FoldOptions): Promise<FoldResult> {
  const types = opts.types ?? defaultTypes(model);
  const m = cloneModel(model);
  const g = m.graph;
  const overridable = new Set(g.inputs.map((v) => v.name));
  const isConst = (t: string) => t === '' || (g.initializers.has(t) && !overridable.has(t));
  const graphOutputs = new Set(g.outputs.map((o) => o.name));
  const folded: string[] = [];
  const jsFolded = new Set<object>();

  // JS folds first: they unlock more of the graph (Shape → Slice → Concat → Reshape
  // targets). Shape math comes from the graph module's inference, which evaluates small
  // int64/float constants while propagating shapes.
  const consts = constValues(model);
  for (const n of topoSort(g)) {
    if (n.outputs.some((o) => graphOutputs.has(o)) || n.inputs.some((i) => overridable.has(i) && n.op !== 'Shape')) continue;
    if (n.op === 'Constant' && n.attrs.value?.kind === 'tensor') {
      g.initializers.set(n.outputs[0], { ...n.attrs.value.value, name: n.outputs[0] });
    } else if (n.op === 'Shape' && Object.keys(n.attrs).length === 0) {
      const info = types?.get(n.inputs[0]) ?? knownInfo(g, n.inputs[0]);
      if (!info?.shape || !info.shape.every((d) => typeof d === 'number')) continue;
      const dims = info.shape as number[];
      g.initializers.set(n.outputs[0], { name: n.outputs[0], dtype: 'int64', dims: [dims.length], values: BigInt64Array.from(dims.map(BigInt)) });
    } else {
      const o = n.outputs[0];
      const c = n.outputs.length === 1 ? consts?.get(o) : undefined;
      const dtype = types?.get(o)?.dtype;
      if (!c || (dtype !== 'int64' && dtype !== 'int32' && dtype !== 'float32') || IMPURE.has(n.op)) continue;
      const values = dtype === 'int64' ? BigInt64Array.from(c.values.map((v) => BigInt(Math.trunc(v)))) : dtype === 'int32' ? Int32Array.from(c.values) : Float32Array.from(c.values);
      g.initializers.set(o, { name: o, dtype, dims: [...c.dims], values });
    }
    jsFolded.add(n);
    folded.push(n.outputs[0]);
  }
  g.nodes = g.nodes.filter((n) => !jsFolded.has(n));

  // Everything else that is constant-only goes through the evaluator in one run.
  const constNow = new Set<string>();
  const foldable = new Set<object>();
  for (const n of topoSort(g)) {
    const pure = !IMPURE.has(n.op) && !Object.values(n.attrs).some((a) => a.kind === 'graph');
    if (!pure || n.outputs.some((o) => graphOutputs.has(o))) continue;
    if (n.inputs.every((i) => isConst(i) || constNow.has(i))) {
      foldable.add(n);
      for (const o of n.outputs) if (o) constNow.add(o);
    }
  }
  if (foldable.size > 0) {
    const targets = new Set<string>();
    for (const n of g.nodes) if (!foldable.has(n)) for (const i of n.inputs) if (constNow.has(i)) targets.add(i);
    const dtypes = propagateDTypes(g, types);
    const sub: Model = {
      ...m,
      graph: {
        name: `${g.name}_fold`,
        nodes: g.nodes.filter((n) => foldable.has(n)),
        inputs: [],
        outputs: [...targets].map((t) => typeOf(g, t, types, dtypes)),
        initializers: new Map([...g.initializers].filter(([k]) => !overridable.has(k))),
        valueInfo: new Map(),
      },
    };
    if (targets.size > 0) {
      const values = await opts.evaluate(eliminateDeadNodes(sub));
      for (const t of targets) {
        const v = values.get(t);
        if (!v) throw new Error(`constantFold: evaluator returned no value for '${t}'`);
        g.initializers.set(t, { ...v, name: t });
        folded.push(t);
      }
    }
    g.nodes = g.nodes.filter((n) => !foldable.has(n));
  }
  return { model: eliminateDeadNodes(m), folded };
}

/** Small constants the shape inference could evaluate (undefined if it cannot handle the graph). */
function constValues(model: Model): Map<string, ConstVal> | undefined {
  try {
    return inferAll({ ...model, graph: { ...model.graph, nodes: topoSort(model.graph) } }).consts;
  } catch (_e) {
    return undefined;
  }
}
