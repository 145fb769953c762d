/**
 * Parameters and input checks of the caption/VQA task (DyVTE). Every refusal is a sentence a
 * user can act on: what was wrong and what is accepted.
 */
import { MAX_PROMPT_TOKENS } from '../../models/zoo/vlm/config.ts';
import type { VlmModelJson } from '../../models/zoo/vlm/bundle.ts';
import type { RealVlmFiles } from './realRun.ts';

/** 'dyvte' = learned gates; 'none' = keep visual tokens; a number = fixed exit after that layer. */
export type ExitMode = 'dyvte' | 'none' | number;

export interface CaptionParams {
  exit: ExitMode;
  maxTokens: number;
  /** 0 = greedy. */
  temperature: number;
  topK: number;
  seed: number;
  /** Largest accepted image in pixels (decoding a huge image in a tab is the real cost). */
  maxPixels: number;
}

export const captionDefaults: CaptionParams = { exit: 'dyvte', maxTokens: 24, temperature: 0, topK: 0, seed: 0, maxPixels: 16_000_000 };

export interface MicroVlmFiles {
  json: VlmModelJson;
  /** File name → bytes (vision.onnx, weights.onnx, gates.onnx). */
  files: Record<string, Uint8Array>;
}

export interface CaptionInput {
  /** PNG or JPEG bytes. */
  image: Uint8Array;
  /** A question about the image; absent = caption it. */
  question?: string;
  /** The micro-VLM (model.json + files); required unless `real` is given. */
  model?: MicroVlmFiles;
  /** A real VLM's per-layer export (pipelines/dyvte/realRun.ts); takes precedence over `model`. */
  real?: RealVlmFiles;
}

/** Characters accepted in a question before tokenizing (the model reads MAX_PROMPT_TOKENS − 2 words anyway). */
export const MAX_QUESTION_CHARS = 500;

export class CaptionInputError extends Error {
  constructor(readonly code: 'empty-question' | 'question-too-long' | 'bad-param' | 'no-image' | 'no-model', message: string) {
    super(message);
    this.name = 'CaptionInputError';
  }
}

export function checkQuestion(q: string | undefined): void {
  if (q === undefined) return;
  if (typeof q !== 'string') throw new CaptionInputError('empty-question', 'the question must be text');
  if (q.trim() === '') throw new CaptionInputError('empty-question', 'the question is empty — type a question, or leave it out to get a caption');
  if (q.length > MAX_QUESTION_CHARS) {
    throw new CaptionInputError('question-too-long', `the question is ${q.length.toLocaleString('en-US')} characters long; at most ${MAX_QUESTION_CHARS} are accepted (the model reads ${MAX_PROMPT_TOKENS - 2} words)`);
  }
}

export function checkParams(p: CaptionParams, layers: number): void {
  const bad = (m: string) => { throw new CaptionInputError('bad-param', m); };
  if (typeof p.exit === 'number' && !(Number.isInteger(p.exit) && p.exit >= 0 && p.exit < layers)) bad(`exit layer must be an integer in 0…${layers - 1}, got ${p.exit}`);
  if (typeof p.exit === 'string' && p.exit !== 'dyvte' && p.exit !== 'none') bad(`exit must be 'dyvte', 'none' or a layer number, got '${p.exit}'`);
  if (!(Number.isInteger(p.maxTokens) && p.maxTokens >= 1 && p.maxTokens <= 64)) bad(`maxTokens must be an integer in 1…64, got ${p.maxTokens}`);
  if (!(p.temperature >= 0 && p.temperature <= 5)) bad(`temperature must be in [0, 5], got ${p.temperature}`);
  if (!(Number.isInteger(p.topK) && p.topK >= 0)) bad(`topK must be a non-negative integer, got ${p.topK}`);
}
