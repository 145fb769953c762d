/**
 * A tiny random-weight micro-VLM in the committed file format (vision tower, LM weights, gates),
 * for tests of the pipeline, the CLI and the workspace: same vocabulary and framing as the real
 * one, 16×16 images (4 patches + class token), width 16, 2 layers.
 */
import { encodeModel } from '../../graph/encode.ts';
import type { Model } from '../../graph/ir.ts';
import { clipVisionGraph } from '../clip/clipGraphs.ts';
import { type ClipConfig, microClipConfig } from '../clip/config.ts';
import { gateGraph } from '../dyvte/gateGraph.ts';
import type { VlmConfig } from './config.ts';
import { vlmInferenceGraphs } from './graphs.ts';
import { vlmTokenizer } from './text.ts';

export interface TinyVlm {
  config: VlmConfig;
  vision: Uint8Array;
  weights: Map<string, Float32Array>;
  gates: Map<string, Float32Array>;
  dims: Map<string, number[]>;
}

function paramsOf(models: Model[], dims: Map<string, number[]>): Map<string, Float32Array> {
  const out = new Map<string, Float32Array>();
  for (const m of models) for (const [k, t] of m.graph.initializers) {
    if (!k.includes('.') || k.includes('/') || t.dtype !== 'float32') continue;
    out.set(k, t.values as Float32Array);
    dims.set(k, [...t.dims]);
  }
  return out;
}

export function tinyVlm(seed: number | string = 'tiny'): TinyVlm {
  const tok = vlmTokenizer();
  const base = microClipConfig(tok.vocab.tokens.length, tok.vocab.eotId);
  const clip: ClipConfig = { ...base, projectionDim: 8, vision: { ...base.vision, imageSize: 16, patchSize: 8, width: 16, layers: 1, heads: 2, headDim: 8 } };
  const config: VlmConfig = { visionWidth: 16, visualTokens: 5, vocabSize: tok.vocab.tokens.length, width: 16, layers: 2, heads: 2, mlpRatio: 2, maxPositions: 64, layerNormEps: 1e-5, gateHidden: 8 };
  const g = vlmInferenceGraphs(config, seed);
  const dims = new Map<string, number[]>();
  const weights = paramsOf([g.projector, g.embed, ...g.layers, g.head], dims);
  const gates = paramsOf([gateGraph(config, seed)], dims);
  return { config, vision: encodeModel(clipVisionGraph(clip, seed)), weights, gates, dims };
}
