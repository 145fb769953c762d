/**
 * Text framing of the micro-VLM on the Microworld word vocabulary (models/text/tokenizer.ts):
 * prompt = <sot> words <eot>, answer = words <eot>. Captioning is the prompt CAPTION_PROMPT.
 * Prompts that do not fit MAX_PROMPT_TOKENS are reported, never silently cut, so a caller can
 * refuse them with a clear message.
 */
import { MicroTokenizer } from '../../text/tokenizer.ts';
import { MAX_ANSWER_TOKENS, MAX_PROMPT_TOKENS } from './config.ts';

/** The captioning instruction (only vocabulary words; "describe"/"image" are not in it). */
export const CAPTION_PROMPT = 'what objects are there?';

export interface PromptEncoding {
  ids: number[];
  /** Words beyond MAX_PROMPT_TOKENS − 2. */
  droppedWords: number;
  /** Words not in the vocabulary (encoded as <unk>). */
  unknownWords: string[];
}

let shared: MicroTokenizer | null = null;
export const vlmTokenizer = (): MicroTokenizer => (shared ??= MicroTokenizer.microworld({ contextLength: Math.max(MAX_PROMPT_TOKENS, MAX_ANSWER_TOKENS + 1) }));

export function encodePrompt(text: string, tok = vlmTokenizer()): PromptEncoding {
  const e = tok.encode(text);
  const words = e.words.slice(0, MAX_PROMPT_TOKENS - 2);
  return {
    ids: [tok.vocab.sotId, ...words.map((w) => w.id), tok.vocab.eotId],
    droppedWords: e.droppedWords + (e.words.length - words.length),
    unknownWords: e.words.filter((w) => w.unknown).map((w) => w.text),
  };
}

/** Answer words + <eot> (truncated to MAX_ANSWER_TOKENS including <eot>). */
export function encodeAnswer(text: string, tok = vlmTokenizer()): number[] {
  const e = tok.encode(text);
  return [...e.words.slice(0, MAX_ANSWER_TOKENS - 1).map((w) => w.id), tok.vocab.eotId];
}

export function decodeAnswer(ids: readonly number[], tok = vlmTokenizer()): string {
  return tok.decode(ids);
}
