/** Tiny random-weight CLIP text graphs with micro-CLIP's I/O and names, for fast tests (no trained weights needed). */
import type { Model } from '../../graph/ir.ts';
import { MicroTokenizer } from '../../text/tokenizer.ts';
import { clipTextGraph } from '../../zoo/clip/clipGraphs.ts';
import { type ClipConfig, microClipConfig } from '../../zoo/clip/config.ts';

export function tinyClipConfig(contextLength = 12): ClipConfig {
  const tok = MicroTokenizer.microworld({ contextLength });
  const c = microClipConfig(tok.vocab.tokens.length, tok.vocab.eotId, contextLength);
  return { ...c, text: { ...c.text, width: 16, layers: 2, heads: 2 }, projectionDim: 8 };
}

export function tinyTextGraph(seed: string | number = 'tiny', contextLength = 12): { cfg: ClipConfig; model: Model } {
  const cfg = tinyClipConfig(contextLength);
  return { cfg, model: clipTextGraph(cfg, seed) };
}

/** A tiny random micro-CLIP (both towers) written like `npm run train -- clip` writes one: model.json + two graphs. */
export async function writeTinyMicroClip(dir: string, contextLength = 12): Promise<ClipConfig> {
  const { clipVisionGraph } = await import('../../zoo/clip/clipGraphs.ts');
  const { encodeModel } = await import('../../graph/encode.ts');
  const { writeClipModel } = await import('../clip/export.ts');
  const base = tinyClipConfig(contextLength);
  const cfg: ClipConfig = { ...base, vision: { ...base.vision, imageSize: 16, patchSize: 8, width: 16, layers: 1, heads: 2, headDim: base.projectionDim } };
  await writeClipModel(dir, 'micro-clip', cfg, { vision: encodeModel(clipVisionGraph(cfg, 'tiny')), text: encodeModel(clipTextGraph(cfg, 'tiny')) });
  return cfg;
}
