/**
 * A CLIP-type model is two ONNX graphs (vision, text) plus a tokenizer. Each graph is an
 * ordinary ModelManifest (so the loader, cache and Models window treat it like any model);
 * a ClipBundle ties them together with what pipelines need to drive them.
 *
 * Published models whose exact bytes/sha256 we could not record offline are described by a
 * ClipSpec (approximate sizes, sha256 where known) and pinned on first load: `pinFiles` turns the
 * user's (or first-downloaded) bytes into exact manifests, refusing a file whose sha256 differs
 * from a known one. Later loads verify against the pinned values like any manifest.
 */
import type { IOSpec, ModelManifest } from './schema.ts';

export type ClipTokenizerSpec =
  | { kind: 'microworld-words'; contextLength: number }
  /** tokenizer.json (+ tokenizer_config.json) of the model, read by models/text/hfTokenizer.ts. */
  | { kind: 'bpe'; files: { tokenizer: string; config?: string }; contextLength: number };

export interface ClipBundle {
  id: string;
  title: string;
  vision: ModelManifest;
  text: ModelManifest;
  tokenizer: ClipTokenizerSpec;
  /** Square input side the vision graph expects (after models/vision/preprocess.ts). */
  imageSize: number;
  /** Shared embedding dimension. */
  embedDim: number;
}

/** The I/O of public CLIP ONNX exports (HF/optimum names), for either tower. */
export function clipVisionIo(imageSize: number, embedDim: number, tokens: number, width: number): ModelManifest['io'] {
  return {
    inputs: [{ name: 'pixel_values', dtype: 'float32', shape: ['batch_size', 3, imageSize, imageSize] }],
    outputs: [
      { name: 'image_embeds', dtype: 'float32', shape: ['batch_size', embedDim] },
      { name: 'last_hidden_state', dtype: 'float32', shape: ['batch_size', tokens, width] },
    ],
  };
}

export function clipTextIo(embedDim: number, width: number, length: number | string = 'sequence_length', extraInputs: IOSpec[] = []): ModelManifest['io'] {
  return {
    inputs: [{ name: 'input_ids', dtype: 'int64', shape: ['batch_size', length] }, ...extraInputs],
    outputs: [
      { name: 'text_embeds', dtype: 'float32', shape: ['batch_size', embedDim] },
      { name: 'last_hidden_state', dtype: 'float32', shape: ['batch_size', length, width] },
    ],
  };
}

export interface SpecFile {
  name: string;
  /** Approximate size for progress before the first download (exact after pinning). */
  approxBytes: number;
  /** Known sha256 (lower-case hex), or undefined: pinned on first load (trust on first use). */
  sha256?: string;
  url: string;
}

export interface ClipSpec {
  id: string;
  title: string;
  vision: { file: SpecFile; io: ModelManifest['io'] };
  text: { file: SpecFile; io: ModelManifest['io'] };
  tokenizer: ClipTokenizerSpec;
  tokenizerFiles: SpecFile[];
  imageSize: number;
  embedDim: number;
  needs: ModelManifest['needs'];
}

export class PinError extends Error {
  constructor(readonly file: string, message: string) {
    super(message);
    this.name = 'PinError';
  }
}

/**
 * Exact manifests from actual bytes: every graph and tokenizer file must be present; a file
 * with a known sha256 must match it. Returns a bundle whose manifests have source 'user'
 * (bytes come from the user or a first download), so the standard loader verifies them.
 */
export function pinFiles(spec: ClipSpec, files: Record<string, { bytes: number; sha256: string }>): ClipBundle {
  const pin = (f: SpecFile) => {
    const got = files[f.name];
    if (!got) throw new PinError(f.name, `${spec.id}: file ${f.name} is missing (expected about ${(f.approxBytes / 1e6).toFixed(0)} MB from ${f.url})`);
    if (f.sha256 && got.sha256 !== f.sha256) throw new PinError(f.name, `${spec.id}: ${f.name} has sha256 ${got.sha256}, the published file has ${f.sha256}`);
    return { name: f.name, bytes: got.bytes, sha256: got.sha256, url: f.url };
  };
  for (const f of spec.tokenizerFiles) pin(f);
  const manifest = (part: 'vision' | 'text'): ModelManifest => ({
    id: `${spec.id}-${part}`, title: `${spec.title} (${part})`, task: 'clip', source: 'user',
    files: [pin(spec[part].file)], io: spec[part].io, needs: spec.needs,
  });
  return { id: spec.id, title: spec.title, vision: manifest('vision'), text: manifest('text'), tokenizer: spec.tokenizer, imageSize: spec.imageSize, embedDim: spec.embedDim };
}
