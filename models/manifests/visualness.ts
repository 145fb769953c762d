/**
 * Visualness models: TIP-CLIP text encoders plus the NULL image embedding they are scored
 * against (visualness_dyvte.md §A5: S = 1 − cos(NULL, text); at inference only the text tower
 * and one constant vector are needed).
 *
 * VISUALNESS_MICRO is the committed model (assets/models/visualness/, written by
 * `npm run train -- visualness`): `visualness.onnx` is the scoring + attribution graph
 * (input_ids → visualness_score, relevance, text_embeds), `text_model.onnx` the fine-tuned text
 * encoder with the public CLIP export contract; bytes, sha256, NULL embedding and the
 * validation-tuned threshold come from the model.json the run wrote, so they cannot disagree.
 */
import type { ClipTokenizerSpec } from './clipBundle.ts';
import { clipTextIo } from './clipBundle.ts';
import type { ModelManifest } from './schema.ts';
import type { SpecFile } from './clipBundle.ts';
import json from '../../assets/models/visualness/model.json';

export interface VisualnessBundle {
  id: string;
  title: string;
  /** Graph with input_ids (+ zero-fed attn_delta_*) → visualness_score, relevance, text_embeds. */
  scorer: ModelManifest;
  /** The text encoder it was built from (public CLIP text export contract). */
  text: ModelManifest;
  /** Unit-norm NULL image embedding: inline values, or a file of little-endian float32. */
  nullEmbedding: { kind: 'inline'; values: readonly number[] } | { kind: 'file'; file: SpecFile; dim: number };
  tokenizer: ClipTokenizerSpec;
  /** Decision threshold on S, tuned on validation. */
  threshold: number;
  heads: number;
  embedDim: number;
}

interface ModelJson {
  id: string;
  config: { text: { contextLength: number; width: number; heads: number; layers: number }; projectionDim: number };
  files: Record<'scorer' | 'text', { name: string; bytes: number; sha256: string }>;
  nullEmbedding: number[];
  threshold: number;
}

function microBundle(j: ModelJson): VisualnessBundle {
  const c = j.config, L = c.text.contextLength, D = c.projectionDim;
  const part = (p: 'scorer' | 'text', title: string, io: ModelManifest['io']): ModelManifest => ({
    id: p === 'scorer' ? j.id : `${j.id}-text`, title, task: 'visualness', source: 'assets',
    files: [{ ...j.files[p], url: `models/${j.id}/${j.files[p].name}` }], io, needs: { memoryBytes: 64 << 20 },
  });
  return {
    id: j.id, title: 'TIP-CLIP visualness (micro-CLIP, fine-tuned)',
    scorer: part('scorer', 'TIP-CLIP visualness scorer (micro)', {
      // attn_delta_i: one zero-fed input per attention layer (the handle autodiff differentiates through).
      inputs: [
        { name: 'input_ids', dtype: 'int64', shape: ['batch_size', L] },
        ...Array.from({ length: c.text.layers }, (_, i) => ({ name: `attn_delta_${i}`, dtype: 'float32' as const, shape: ['batch_size', c.text.heads, L, L] })),
      ],
      outputs: [
        { name: 'text_embeds', dtype: 'float32', shape: ['batch_size', D] },
        { name: 'visualness_score', dtype: 'float32', shape: ['batch_size'] },
        { name: 'relevance', dtype: 'float32', shape: ['batch_size', L, L] },
      ],
    }),
    text: part('text', 'TIP-CLIP text encoder (micro)', clipTextIo(D, c.text.width, L)),
    nullEmbedding: { kind: 'inline', values: j.nullEmbedding },
    tokenizer: { kind: 'microworld-words', contextLength: L },
    threshold: j.threshold, heads: c.text.heads, embedDim: D,
  };
}

export const VISUALNESS_MICRO: VisualnessBundle = microBundle(json as ModelJson);

export const VISUALNESS_MANIFESTS: ModelManifest[] = [VISUALNESS_MICRO.scorer, VISUALNESS_MICRO.text];
