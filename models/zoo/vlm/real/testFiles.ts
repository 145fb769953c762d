/**
 * A micro model exported under the real per-layer contract (./contract.ts), for tests: the same
 * file names, I/O names, dtypes and ranks as a SmolVLM export, tiny widths, and a generated
 * SmolVLM-shaped tokenizer.json. Weights are random (seeded), so the model's answers mean
 * nothing; what it proves is the execution path.
 */
import { encodeModel } from '../../../graph/encode.ts';
import type { LlamaVlmConfig } from './config.ts';
import { REAL_VLM_FILES } from './contract.ts';
import { llamaEmbedGraph, llamaHeadGraph, llamaLayerGraph, microVisionGraph } from './llamaGraphs.ts';
import { smolVlmTokenizerFixture } from './tokenizerFixture.ts';

const fixture = smolVlmTokenizerFixture();

/** 3 layers, d 16, 2 query heads sharing 1 KV head (grouped-query like SmolLM2), 4 image tokens from a 32² image. */
export const MICRO_REAL_VLM: LlamaVlmConfig = {
  hidden: 16, layers: 3, heads: 2, kvHeads: 1, headDim: 8, intermediate: 32, rmsEps: 1e-5, ropeTheta: 10_000,
  vocabSize: fixture.vocabSize, imageSize: 32, imageTokens: 4, gateHidden: 8,
};

export function microRealVlmFiles(c: LlamaVlmConfig = MICRO_REAL_VLM, seed = 'real-contract'): Record<string, Uint8Array> {
  const F = REAL_VLM_FILES;
  const files: Record<string, Uint8Array> = {
    [F.vision]: encodeModel(microVisionGraph(c, seed)),
    [F.embed]: encodeModel(llamaEmbedGraph(c, seed)),
    [F.head]: encodeModel(llamaHeadGraph(c, seed)),
    [F.tokenizer]: new TextEncoder().encode(JSON.stringify(fixture.tokenizerJson)),
  };
  for (let i = 0; i < c.layers; i++) files[F.layer(i)] = encodeModel(llamaLayerGraph(c, seed, i));
  return files;
}
