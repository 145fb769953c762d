/**
 * The committed micro-CLIP models (assets/models/micro-clip*, written by `npm run train -- clip`
 * / `-- clip-eval`): manifests for each tower, bytes and sha256 taken from the model.json the
 * training run wrote beside the weights, so the two can never disagree.
 */
import type { ClipBundle } from './clipBundle.ts';
import { clipTextIo, clipVisionIo } from './clipBundle.ts';
import type { ModelManifest } from './schema.ts';
import microClip from '../../assets/models/micro-clip/model.json';
import microClipEval from '../../assets/models/micro-clip-eval/model.json';

interface ModelJson {
  id: string;
  config: {
    vision: { imageSize: number; patchSize: number; width: number };
    text: { contextLength: number; width: number };
    projectionDim: number;
  };
  tokenizer: { contextLength: number };
  files: Record<'vision' | 'text', { name: string; bytes: number; sha256: string }>;
}

function bundle(j: ModelJson, title: string): ClipBundle {
  const c = j.config, D = c.projectionDim, S = c.vision.imageSize;
  const tokens = (S / c.vision.patchSize) ** 2 + 1;
  const part = (p: 'vision' | 'text', io: ModelManifest['io']): ModelManifest => ({
    id: `${j.id}-${p}`, title: `${title} (${p})`, task: 'clip', source: 'assets',
    files: [{ ...j.files[p], url: `models/${j.id}/${j.files[p].name}` }],
    io, needs: { memoryBytes: 64 << 20 },
  });
  return {
    id: j.id, title,
    vision: part('vision', clipVisionIo(S, D, tokens, c.vision.width)),
    text: part('text', clipTextIo(D, c.text.width, c.text.contextLength)),
    tokenizer: { kind: 'microworld-words', contextLength: j.tokenizer.contextLength },
    imageSize: S, embedDim: D,
  };
}

export const MICRO_CLIP: ClipBundle = bundle(microClip as ModelJson, 'micro-CLIP (Microworld, 64×64)');
/** Independently seeded twin, used to score pipelines optimized against MICRO_CLIP. */
export const MICRO_CLIP_EVAL: ClipBundle = bundle(microClipEval as ModelJson, 'micro-CLIP evaluator (Microworld, 64×64)');

/** Every tower manifest of the committed CLIP models (for MODEL_MANIFESTS). */
export const MICRO_CLIP_MANIFESTS: ModelManifest[] = [MICRO_CLIP.vision, MICRO_CLIP.text, MICRO_CLIP_EVAL.vision, MICRO_CLIP_EVAL.text];
