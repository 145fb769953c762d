/**
 * micro-CLIP's tokenizer: words of the Microworld vocabulary, CLIP-style framing
 * (<sot> words <eot> <pad>...), fixed context length. It never throws on user text:
 * unknown words become <unk> (spans kept, so a UI can highlight them), emoji and other scripts are
 * <unk> tokens, control characters are cleaned, "" encodes to <sot><eot>, and over-long input is
 * truncated with `truncated: true` and the number of dropped words reported.
 *
 *   const tok = MicroTokenizer.microworld();            // context 32
 *   const enc = tok.encode('a red star left of a blue ring');
 *   enc.ids; enc.attentionMask; enc.eotIndex; enc.words[i].start/end; enc.truncated
 *   toBigInt64(enc.ids)                                // for int64 ONNX inputs
 */
import { countTokens, pretokenize, type RawToken } from './normalize.ts';
import vocabJson from './vocab.json';
import { Vocabulary, type VocabularyJson } from './vocabulary.ts';

export interface WordToken {
  /** Normalized text of the token (lower-cased, NFKC). */
  text: string;
  id: number;
  /** Index in `ids`. */
  position: number;
  /** UTF-16 span [start, end) in the original input string. */
  start: number;
  end: number;
  unknown: boolean;
}

export interface Encoding {
  /** Token ids, length = context length, padded with <pad>. */
  ids: Int32Array;
  /** 1 for <sot>, words and <eot>; 0 for padding. */
  attentionMask: Int32Array;
  /** Position of <eot> (where CLIP pools the text embedding). */
  eotIndex: number;
  /** Kept word/punctuation tokens with their spans (not the specials). */
  words: WordToken[];
  truncated: boolean;
  /** Tokens of the input that did not fit in the context. */
  droppedWords: number;
  unknownWords: number;
}

export interface BatchEncoding {
  batch: number;
  contextLength: number;
  /** [batch, contextLength] row-major. */
  ids: Int32Array;
  attentionMask: Int32Array;
  eotIndex: Int32Array;
  encodings: Encoding[];
}

export interface TokenizerOptions {
  /** Total sequence length including <sot> and <eot> (default 32, minimum 2). */
  contextLength?: number;
}

let committed: Vocabulary | null = null;

/** Inputs longer than this (UTF-16 units) take the prefix + count path in encode(). */
const LONG_INPUT = 8192;

export class MicroTokenizer {
  readonly vocab: Vocabulary;
  readonly contextLength: number;

  constructor(vocab: Vocabulary, opts: TokenizerOptions = {}) {
    const n = opts.contextLength ?? 32;
    if (!Number.isInteger(n) || n < 2) throw new RangeError(`contextLength must be an integer >= 2, got ${n}`);
    this.vocab = vocab;
    this.contextLength = n;
  }

  /**
   * The tokenizer of the committed micro-CLIP weights: ids come from the committed vocab.json
   * (regenerate with `atelier microworld --kind vocab --out models/text/vocab.json`; a test fails
   * when it drifts from the grammars), so changing a grammar never silently re-numbers words.
   */
  static microworld(opts: TokenizerOptions = {}): MicroTokenizer {
    committed ??= Vocabulary.fromJSON(vocabJson as VocabularyJson);
    return new MicroTokenizer(committed, opts);
  }

  static fromJSON(json: VocabularyJson, opts: TokenizerOptions = {}): MicroTokenizer {
    return new MicroTokenizer(Vocabulary.fromJSON(json), opts);
  }

  encode(text: string): Encoding {
    // Non-strings from untyped callers (null, numbers) are treated as their string form.
    const input = typeof text === 'string' ? text : String(text ?? '');
    const room = this.contextLength - 2;
    let raw: RawToken[];
    let total: number;
    if (input.length <= LONG_INPUT) {
      raw = pretokenize(input);
      total = raw.length;
    } else {
      // Long pastes: spans only for a prefix that holds the context (plus one token, which the cut
      // may have split), and a fast count of everything for droppedWords. Keeps a 5 MB paste cheap.
      let n = LONG_INPUT;
      for (;;) {
        raw = pretokenize(input.slice(0, n));
        if (raw.length > room + 1 || n >= input.length) break;
        n *= 4;
      }
      total = n >= input.length ? raw.length : countTokens(input);
    }
    const kept = raw.slice(0, room);
    const ids = new Int32Array(this.contextLength).fill(this.vocab.padId);
    const attentionMask = new Int32Array(this.contextLength);
    ids[0] = this.vocab.sotId;
    attentionMask[0] = 1;
    const words: WordToken[] = [];
    let unknownWords = 0;
    kept.forEach((t, i) => {
      const found = this.vocab.lookup(t.text);
      const id = found ?? this.vocab.unkId;
      if (found === undefined) unknownWords++;
      ids[i + 1] = id;
      attentionMask[i + 1] = 1;
      words.push({ text: t.text, id, position: i + 1, start: t.start, end: t.end, unknown: found === undefined });
    });
    const eotIndex = kept.length + 1;
    ids[eotIndex] = this.vocab.eotId;
    attentionMask[eotIndex] = 1;
    const droppedWords = Math.max(0, total - kept.length);
    return { ids, attentionMask, eotIndex, words, truncated: droppedWords > 0, droppedWords, unknownWords };
  }

  encodeBatch(texts: readonly string[]): BatchEncoding {
    const L = this.contextLength;
    const encodings = texts.map((t) => this.encode(t));
    const ids = new Int32Array(texts.length * L);
    const attentionMask = new Int32Array(texts.length * L);
    const eotIndex = new Int32Array(texts.length);
    encodings.forEach((e, b) => {
      ids.set(e.ids, b * L);
      attentionMask.set(e.attentionMask, b * L);
      eotIndex[b] = e.eotIndex;
    });
    return { batch: texts.length, contextLength: L, ids, attentionMask, eotIndex, encodings };
  }

  /** Ids back to text (specials and padding skipped; unknown words come back as <unk>). */
  decode(ids: ArrayLike<number>): string {
    const out: string[] = [];
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i];
      if (id === this.vocab.sotId || id === this.vocab.padId) continue;
      if (id === this.vocab.eotId) break;
      out.push(this.vocab.tokens[id] ?? '<unk>');
    }
    return out.join(' ').replace(/ ([.,?!:;])/g, '$1');
  }
}

/** int64 copy of ids or masks, for ONNX text encoders that take int64 inputs (as CLIP exports do). */
export function toBigInt64(values: Int32Array): BigInt64Array {
  const out = new BigInt64Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = BigInt(values[i]);
  return out;
}
