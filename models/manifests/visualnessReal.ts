/**
 * Real path: TIP-style scoring with a real CLIP text encoder — OpenAI CLIP ViT-B/32's text tower
 * as published in ONNX (the same file as clipVitB32.ts) and a NULL-embedding file: 512
 * little-endian float32, the unit-norm image embedding of the seeded 224×224 uniform-noise NULL
 * image (models/data/visualness/dataset.ts `nullImage(224)`) through the ViT-B/32 vision tower,
 * CLIP preprocessing without resize (§A9.2). The file is not published anywhere: the user makes
 * it once (`atelier visualness --make-null --vision vision_model.onnx --out null_embedding.f32`)
 * and it is pinned on first load like the other un-hashed files.
 *
 * Same contract as the micro model: input_ids → text_embeds; S = 1 − cos(NULL, text). The stock
 * encoder reproduces the paper's zero-shot "CLIP" row (threshold 0.83, §A5), not TIP-CLIP: TIP
 * weights are not public (§A2.4). For word attribution the scorer graph is built from these bytes
 * with models/train/visualness/visualnessGraph.ts (heads 8, context 77); not exercised offline.
 */
import { CLIP_VIT_B32 } from './clipVitB32.ts';
import type { ClipSpec } from './clipBundle.ts';
import type { SpecFile } from './clipBundle.ts';

export interface VisualnessRealSpec {
  id: string;
  title: string;
  text: ClipSpec['text'];
  tokenizer: ClipSpec['tokenizer'];
  tokenizerFiles: SpecFile[];
  nullEmbedding: { file: SpecFile; dim: number };
  /** §A5: pre-trained CLIP ViT-B/32 with the NULL image, tuned on TIMED validation. */
  threshold: number;
  heads: number;
  contextLength: number;
  needs: ClipSpec['needs'];
}

export const VISUALNESS_CLIP_VIT_B32: VisualnessRealSpec = {
  id: 'visualness-clip-vit-b32',
  title: 'Visualness with CLIP ViT-B/32 (zero-shot NULL trick)',
  text: CLIP_VIT_B32.text,
  tokenizer: CLIP_VIT_B32.tokenizer,
  tokenizerFiles: CLIP_VIT_B32.tokenizerFiles,
  nullEmbedding: { file: { name: 'null_embedding.f32', approxBytes: 512 * 4, url: 'user://null_embedding.f32' }, dim: 512 },
  threshold: 0.83,
  heads: 8,
  contextLength: 77,
  needs: { memoryBytes: 400_000_000, minBufferBytes: 49408 * 512 * 4 },
};

/** NULL embedding file bytes → unit-norm vector; a clear error for a wrong size. */
export function readNullEmbedding(bytes: Uint8Array, dim: number): Float32Array {
  if (bytes.length !== dim * 4) throw new Error(`NULL embedding file has ${bytes.length} bytes, expected ${dim * 4} (${dim} float32)`);
  const v = new Float32Array(bytes.slice().buffer);
  const n = Math.hypot(...v);
  if (!(n > 0) || !Number.isFinite(n)) throw new Error('NULL embedding file holds a zero or non-finite vector');
  return v.map((x) => x / n);
}
