/**
 * LoRA injection. For every MatMul/Gemm whose weight name matches, add three overridable
 * inputs — `<w>.lora_down` [in, r], `<w>.lora_up` [r, out], `<w>.lora_scale` [] — and
 * rewrite y = x W into y = x W + scale · (x A) B. The adapter tensors are plain graph
 * inputs, so one session serves any adapter of rank r; `defaults` holds zero-valued feeds
 * (base model). They are not overridable initializers (input + initializer of the same
 * name) because onnxruntime's JS APIs only accept feeds listed in `inputNames` and
 * silently ignore the rest (checked against onnxruntime-node 1.30).
 */
import type { Model, Node, TensorData } from '../ir.ts';
import { Editor, cloneModel, knownInfo, matches, topoSort, type NameMatcher } from './graphTools.ts';

export interface LoraOptions {
  /** Weight tensors (the MatMul B / Gemm B input) to adapt, e.g. /attn2\.to_[kv]/. */
  match: NameMatcher;
  rank: number;
  /** Default scale when none is fed (alpha / r in the usual parametrisation). */
  scale?: number;
}

export interface LoraSlot {
  weight: string;
  down: string;
  up: string;
  scale: string;
  inFeatures: number;
  outFeatures: number;
}

export const loraNames = (w: string) => ({ down: `${w}.lora_down`, up: `${w}.lora_up`, scale: `${w}.lora_scale` });

function weightDims(model: Model, w: string): [number, number] {
  const info = knownInfo(model.graph, w);
  const s = info?.shape;
  if (!s || s.length !== 2 || typeof s[0] !== 'number' || typeof s[1] !== 'number') {
    throw new Error(`injectLora: weight '${w}' needs a static 2-D shape, got ${JSON.stringify(s)}`);
  }
  return [s[0], s[1]];
}

export interface LoraResult {
  model: Model;
  slots: LoraSlot[];
  /** Zero adapters (scale = opts.scale ?? 1): feed these to run the base model. */
  defaults: Map<string, TensorData>;
}

export function injectLora(model: Model, opts: LoraOptions): LoraResult {
  const m = cloneModel(model);
  const g = m.graph;
  const ed = new Editor(g, 'lora');
  const slots: LoraSlot[] = [];
  const defaults = new Map<string, TensorData>();
  const original: Node[] = [...g.nodes];
  for (const n of original) {
    if ((n.op !== 'MatMul' && n.op !== 'Gemm') || !matches(opts.match, n.inputs[1])) continue;
    const w = n.inputs[1];
    const transA = n.attrs.transA?.kind === 'int' && n.attrs.transA.value === 1;
    const transB = n.attrs.transB?.kind === 'int' && n.attrs.transB.value === 1;
    if (transA) throw new Error(`injectLora: Gemm '${n.name}' has transA=1, not supported`);
    const [d0, d1] = weightDims(m, w);
    const [inF, outF] = transB ? [d1, d0] : [d0, d1];
    const names = loraNames(w);
    if (g.inputs.some((v) => v.name === names.down)) throw new Error(`injectLora: '${w}' already has LoRA inputs`);
    const r = opts.rank;
    defaults.set(names.down, { name: names.down, dtype: 'float32', dims: [inF, r], values: new Float32Array(inF * r) });
    defaults.set(names.up, { name: names.up, dtype: 'float32', dims: [r, outF], values: new Float32Array(r * outF) });
    defaults.set(names.scale, { name: names.scale, dtype: 'float32', dims: [], values: new Float32Array([opts.scale ?? 1]) });
    g.inputs.push(
      { name: names.down, dtype: 'float32', shape: [inF, r] },
      { name: names.up, dtype: 'float32', shape: [r, outF] },
      { name: names.scale, dtype: 'float32', shape: [] },
    );

    const y = n.outputs[0];
    const base = ed.fresh(`${y}.base`);
    n.outputs[0] = base;
    const xa = ed.op1('MatMul', [n.inputs[0], names.down]);
    const xab = ed.op1('MatMul', [xa, names.up]);
    let scale = names.scale;
    const alpha = n.op === 'Gemm' && n.attrs.alpha?.kind === 'float' ? n.attrs.alpha.value : 1;
    if (alpha !== 1) scale = ed.op1('Mul', [scale, ed.f32(alpha)]);
    const delta = ed.op1('Mul', [xab, scale]);
    ed.op1('Add', [base, delta], {}, y);
    slots.push({ weight: w, ...names, inFeatures: inF, outFeatures: outF });
  }
  if (slots.length === 0) throw new Error(`injectLora: no MatMul/Gemm weight matches ${String(opts.match)}`);
  // The delta nodes were appended after the readers of y: restore ONNX's topological order.
  g.nodes = topoSort(g);
  return { model: m, slots, defaults };
}
