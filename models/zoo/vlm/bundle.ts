/**
 * A trained micro-VLM as files (assets/models/micro-vlm/): `model.json` (config, file sizes and
 * sha256, training summary), `vision.onnx` (the micro-CLIP image tower whose `last_hidden_state`
 * the VLM was trained on — stored beside it so the two never drift apart), `weights.onnx` (LM
 * weights as initializers of an empty graph) and optionally `gates.onnx` (DyVTE gate weights).
 * `vlmGraphsFromFiles` puts the weights into freshly built inference graphs by name.
 */
import { decodeModel } from '../../graph/decode.ts';
import { encodeModel } from '../../graph/encode.ts';
import type { Model, TensorData } from '../../graph/ir.ts';
import { withWeights } from '../clip/clipGraphs.ts';
import { gateGraph } from '../dyvte/gateGraph.ts';
import type { VlmConfig } from './config.ts';
import { vlmInferenceGraphs } from './graphs.ts';
import type { VlmGraphBytes } from './VlmModel.ts';

export interface VlmFileEntry { name: string; bytes: number; sha256: string }

export interface VlmModelJson {
  id: string;
  config: VlmConfig;
  files: { vision: VlmFileEntry; weights: VlmFileEntry; gates?: VlmFileEntry };
  /** True when the vision tower is trained micro-CLIP, false for a random-init stand-in. */
  visionTrained: boolean;
  training?: Record<string, unknown>;
  gates?: Record<string, unknown>;
}

/**
 * The gate threshold the model was tuned with (chosen on a validation split by
 * `npm run train -- dyvte-gates`), or the reference's 0.5 for gates trained before that existed.
 */
export function gateThreshold(json: Pick<VlmModelJson, 'gates'>): number {
  const t = json.gates?.threshold;
  return typeof t === 'number' && t > 0 && t < 1 ? t : 0.5;
}

/** Weights as an ONNX model with no nodes: readable by any ONNX tool, names = graph names. */
export function encodeWeights(weights: ReadonlyMap<string, Float32Array>, dims: ReadonlyMap<string, number[]>): Uint8Array {
  const initializers = new Map<string, TensorData>();
  for (const [name, values] of weights) initializers.set(name, { name, dtype: 'float32', dims: dims.get(name) ?? [values.length], values });
  const m: Model = { graph: { name: 'weights', nodes: [], inputs: [], outputs: [], initializers, valueInfo: new Map() }, opset: 17, irVersion: 8, producer: 'atelier', metadata: {} };
  return encodeModel(m);
}

export function decodeWeights(bytes: Uint8Array): Map<string, Float32Array> {
  const m = decodeModel(bytes);
  return new Map([...m.graph.initializers].map(([k, t]) => [k, t.values as Float32Array]));
}

function filled(m: Model, w: ReadonlyMap<string, Float32Array>, what: string): Uint8Array {
  const { model, used } = withWeights(m, w);
  const missing = [...m.graph.initializers.keys()].filter((k) => !k.includes('/') && !used.includes(k));
  if (missing.length) throw new Error(`micro-VLM ${what}: no trained value for ${missing.slice(0, 4).join(', ')}`);
  return encodeModel(model);
}

/** Inference graphs with trained weights (and gates when given). */
export function vlmGraphsFromWeights(c: VlmConfig, weights: ReadonlyMap<string, Float32Array>, gates?: ReadonlyMap<string, Float32Array>): VlmGraphBytes {
  const g = vlmInferenceGraphs(c, 0);
  return {
    projector: filled(g.projector, weights, 'projector'),
    embed: filled(g.embed, weights, 'embed'),
    layers: g.layers.map((l, i) => filled(l, weights, `layer ${i}`)),
    head: filled(g.head, weights, 'head'),
    gates: gates ? filled(gateGraph(c, 0), gates, 'gates') : undefined,
  };
}

export function vlmGraphsFromFiles(json: VlmModelJson, files: Record<string, Uint8Array>): VlmGraphBytes {
  const need = (e: VlmFileEntry) => {
    const b = files[e.name];
    if (!b) throw new Error(`micro-VLM: ${e.name} was not provided`);
    return b;
  };
  return vlmGraphsFromWeights(json.config, decodeWeights(need(json.files.weights)), json.files.gates ? decodeWeights(need(json.files.gates)) : undefined);
}
