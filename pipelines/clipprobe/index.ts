/**
 * 'clip-probe': one image + several texts → cosine similarities and softmax probabilities
 * under any CLIP-type model (two towers with the public export contract), so a user can check a
 * CLIP they loaded before using it in a pipeline.
 *
 *   run(rt, { vision: 'micro-clip-vision', text: 'micro-clip-text', image, texts: ['a red star', 'a blue ring'] }, clipProbeDefaults, ctx)
 *
 * The image is resized/cropped to the vision tower's input side (read from its pixel_values shape);
 * texts go through the Microworld word tokenizer padded to the text tower's input length. Real
 * CLIP's BPE tokenizer needs its tokenizer.json, which job hosts do not serve yet: a clear error.
 */
import type { PipelineRun } from '../core/events.ts';
import { throwIfAborted } from '../core/events.ts';
import type { Session, Tensor } from '../../models/runtime/Runtime.ts';
import type { ClipTokenizerSpec } from '../../models/manifests/clipBundle.ts';
import type { Rgb8 } from '../../models/vision/normalize.ts';
import { preprocessImage } from '../../models/vision/preprocess.ts';
import { MicroTokenizer, toBigInt64 } from '../../models/text/tokenizer.ts';

export const CLIP_PROBE_VERSION = '1';
/** More texts than this is a UI mistake, not a probe. */
export const MAX_PROBE_TEXTS = 32;

export interface ClipProbeInput {
  /** Manifest ids of the two towers. */
  vision: string;
  text: string;
  image: Rgb8;
  texts: string[];
  tokenizer?: ClipTokenizerSpec;
}

export interface ClipProbeParams {
  /** Softmax temperature as CLIP's logit_scale (OpenAI CLIP: exp(4.6052) = 100). */
  logitScale: number;
}

export const clipProbeDefaults: ClipProbeParams = { logitScale: 100 };

export interface ClipProbeResult {
  /** The texts scored (trimmed, empty ones dropped), in input order. */
  texts: string[];
  /** Cosine similarity of the image with each text, in input order. */
  similarities: number[];
  /** softmax(logitScale · similarities), sums to 1. */
  probs: number[];
  /** Index of the most similar text. */
  best: number;
  imageSize: number;
  dim: number;
  /** Tokens each text kept (after truncation to the context), for the UI to warn about cuts. */
  tokenCounts: number[];
  ms: number;
}

function staticDim(s: Session, input: boolean, name: string, axis: number): number {
  const io = (input ? s.inputs : s.outputs).find((i) => i.name === name);
  const d = io?.shape?.[axis];
  if (typeof d !== 'number') throw new Error(`clip-probe: ${input ? 'input' : 'output'} '${name}' needs a static size on axis ${axis} (got ${JSON.stringify(io?.shape ?? null)})`);
  return d;
}

function normalized(v: Float32Array): Float32Array {
  let s = 0;
  for (const x of v) s += x * x;
  const inv = 1 / Math.sqrt(s + 1e-12);
  return v.map((x) => x * inv);
}

export function softmax(logits: readonly number[]): number[] {
  const m = Math.max(...logits);
  const e = logits.map((l) => Math.exp(l - m));
  const z = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / z);
}

function validate(input: ClipProbeInput): string[] {
  if (!input || typeof input !== 'object') throw new Error('clip-probe: input must be { vision, text, image, texts }');
  const img = input.image;
  if (!img || !(img.data instanceof Uint8Array) || img.width < 1 || img.height < 1 || img.data.length !== img.width * img.height * 3) {
    throw new Error('clip-probe: input.image must be an RGB image { width, height, data } with width·height·3 bytes');
  }
  const texts = (input.texts ?? []).map((t) => String(t).trim()).filter((t) => t.length > 0);
  if (texts.length === 0) throw new Error('clip-probe: type at least one text');
  if (texts.length > MAX_PROBE_TEXTS) throw new Error(`clip-probe: at most ${MAX_PROBE_TEXTS} texts (got ${texts.length})`);
  return texts;
}

export const run: PipelineRun<ClipProbeInput, ClipProbeParams, ClipProbeResult> = async (rt, input, params, ctx) => {
  const texts = validate(input);
  if (!ctx.models) throw new Error('clip-probe needs a model provider (ctx.models)');
  const tokSpec = input.tokenizer ?? { kind: 'microworld-words', contextLength: 0 };
  if (tokSpec.kind !== 'microworld-words') throw new Error('clip-probe: BPE-tokenized CLIPs need their tokenizer.json, which this host cannot serve yet; probe a micro-CLIP');
  const t0 = performance.now();
  ctx.emit({ type: 'phase', phase: 'compile', label: `loading ${input.vision} + ${input.text} on ${rt.backend}` });
  const vision = await ctx.models.session(input.vision);
  const text = await ctx.models.session(input.text);
  throwIfAborted(ctx.signal);

  const S = staticDim(vision, true, 'pixel_values', 3);
  const L = staticDim(text, true, 'input_ids', 1);
  ctx.emit({ type: 'phase', phase: 'encode', label: 'image tower' });
  const px = preprocessImage(input.image, S);
  const vOut = await vision.run({ pixel_values: rt.tensor('float32', px, [1, 3, S, S]) }, ['image_embeds']);
  const img = normalized(Float32Array.from((await rt.read(vOut.image_embeds)) as Float32Array));
  release(vOut);
  throwIfAborted(ctx.signal);

  ctx.emit({ type: 'phase', phase: 'encode', label: 'text tower' });
  const tok = MicroTokenizer.microworld({ contextLength: L });
  const enc = tok.encodeBatch(texts);
  const feeds: Record<string, Tensor> = { input_ids: rt.tensor('int64', toBigInt64(enc.ids), [texts.length, L]) };
  if (text.inputNames.includes('attention_mask')) feeds.attention_mask = rt.tensor('int64', toBigInt64(enc.attentionMask), [texts.length, L]);
  const tOut = await text.run(feeds, ['text_embeds']);
  const all = Float32Array.from((await rt.read(tOut.text_embeds)) as Float32Array);
  release(tOut);
  const D = img.length;
  if (all.length !== D * texts.length) throw new Error(`clip-probe: image embedding has ${D} values but text embeddings ${all.length / texts.length}: the towers do not belong together`);

  const similarities = texts.map((_, j) => {
    const t = normalized(all.subarray(j * D, (j + 1) * D));
    let s = 0;
    for (let k = 0; k < D; k++) s += img[k] * t[k];
    return s;
  });
  similarities.forEach((value, step) => ctx.emit({ type: 'metric', name: 'similarity', value, step }));
  const probs = softmax(similarities.map((s) => s * params.logitScale));
  const tokenCounts = texts.map((_, j) => {
    let n = 0;
    for (let k = 0; k < L; k++) n += enc.attentionMask[j * L + k];
    return n;
  });
  return { texts, similarities, probs, best: similarities.indexOf(Math.max(...similarities)), imageSize: S, dim: D, tokenCounts, ms: performance.now() - t0 };
};

function release(r: Record<string, Tensor>): void {
  for (const t of Object.values(r)) t.dispose?.();
}
