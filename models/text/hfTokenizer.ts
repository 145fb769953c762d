/**
 * CLIP's byte-level BPE tokenizer, read from a model's own `tokenizer.json` (+ optional
 * `tokenizer_config.json`) through @huggingface/tokenizers — fully offline with files we
 * ship or the user loads. That library neither pads nor truncates, so we do CLIP's framing:
 * <|startoftext|> tokens <|endoftext|>, truncated to the context length (77) with the end token
 * kept last, then padded with the pad token (HF CLIP pads with <|endoftext|>). The model pools
 * at the first end token, so padding never changes the embedding.
 *
 *   const tok = ClipBpeTokenizer.fromJSON(tokenizerJson, tokenizerConfig);
 *   const e = tok.encode('a photo of a cat');   // e.ids: Int32Array(77), e.eotIndex, e.truncated
 *
 * Never throws on user text: '' encodes to <sot><eot>; emoji and any other Unicode are bytes
 * to the byte-level BPE; over-long text is truncated and says so (`truncated`, `droppedTokens`).
 */
import { Tokenizer } from '@huggingface/tokenizers';
import type { BatchTokenizer } from '../zoo/clip/ClipModel.ts';

export interface ClipBpeEncoding {
  ids: Int32Array;
  attentionMask: Int32Array;
  /** Index of the <|endoftext|> that ends the text (the pooling position). */
  eotIndex: number;
  /** BPE tokens of the text (without specials) that were kept. */
  tokens: string[];
  truncated: boolean;
  droppedTokens: number;
}

interface TokenizerJsonLike {
  model?: { type?: string };
  added_tokens?: { id: number; content: string }[];
}

export interface ClipBpeOptions {
  contextLength?: number;
  /** Longest input (UTF-16 units) passed to the BPE; longer text is cut first, since anything past
   * a few hundred characters cannot fit in 77 tokens anyway and BPE time grows with length. */
  maxChars?: number;
}

export class ClipBpeTokenizer {
  readonly contextLength: number;
  readonly sotId: number;
  readonly eotId: number;
  readonly padId: number;
  private readonly maxChars: number;

  private constructor(private readonly tok: Tokenizer, ids: { sot: number; eot: number; pad: number }, o: ClipBpeOptions) {
    this.contextLength = o.contextLength ?? 77;
    if (!Number.isInteger(this.contextLength) || this.contextLength < 2) throw new RangeError(`contextLength must be an integer >= 2, got ${this.contextLength}`);
    this.maxChars = o.maxChars ?? 8 * this.contextLength * 4;
    this.sotId = ids.sot;
    this.eotId = ids.eot;
    this.padId = ids.pad;
  }

  static fromJSON(tokenizerJson: unknown, tokenizerConfig: Record<string, unknown> = {}, o: ClipBpeOptions = {}): ClipBpeTokenizer {
    const j = tokenizerJson as TokenizerJsonLike;
    if (!j || typeof j !== 'object' || j.model?.type !== 'BPE') throw new Error('ClipBpeTokenizer: tokenizer.json must describe a BPE model (CLIP\'s byte-level BPE)');
    const tok = new Tokenizer(tokenizerJson as object, { model_max_length: 77, ...tokenizerConfig });
    const idOf = (names: unknown[], what: string) => {
      for (const n of names) if (typeof n === 'string') { const id = tok.token_to_id(n); if (id !== undefined) return id; }
      throw new Error(`ClipBpeTokenizer: no ${what} token (tried ${names.filter(Boolean).join(', ')})`);
    };
    const sot = idOf([tokenizerConfig.bos_token, '<|startoftext|>'], 'start');
    const eot = idOf([tokenizerConfig.eos_token, '<|endoftext|>'], 'end');
    const padName = tokenizerConfig.pad_token;
    const pad = typeof padName === 'string' && tok.token_to_id(padName) !== undefined ? tok.token_to_id(padName)! : eot;
    return new ClipBpeTokenizer(tok, { sot, eot, pad }, { contextLength: o.contextLength ?? (typeof tokenizerConfig.model_max_length === 'number' && tokenizerConfig.model_max_length <= 1024 ? tokenizerConfig.model_max_length : 77), maxChars: o.maxChars });
  }

  encode(text: string): ClipBpeEncoding {
    let s = typeof text === 'string' ? text : String(text ?? '');
    // Lone surrogates (from sliced strings) become U+FFFD, as TextEncoder would.
    s = s.slice(0, this.maxChars).replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
    const e = this.tok.encode(s, { add_special_tokens: false });
    const room = this.contextLength - 2;
    const kept = e.ids.slice(0, room);
    const L = this.contextLength;
    const ids = new Int32Array(L).fill(this.padId);
    const attentionMask = new Int32Array(L);
    ids[0] = this.sotId;
    kept.forEach((id, i) => { ids[i + 1] = id; });
    const eotIndex = kept.length + 1;
    ids[eotIndex] = this.eotId;
    attentionMask.fill(1, 0, eotIndex + 1);
    const dropped = e.ids.length - kept.length;
    return { ids, attentionMask, eotIndex, tokens: e.tokens.slice(0, kept.length), truncated: dropped > 0 || s.length < (typeof text === 'string' ? text.length : 0), droppedTokens: dropped };
  }

  decode(ids: ArrayLike<number>): string {
    const out: number[] = [];
    for (let i = 0; i < ids.length; i++) {
      if (ids[i] === this.eotId) break;
      if (ids[i] !== this.sotId && ids[i] !== this.padId) out.push(ids[i]);
    }
    return out.length ? this.tok.decode(out, { skip_special_tokens: true }).trim() : '';
  }

  /** As a ClipModel batch tokenizer (int64 ids and mask). */
  batch(): BatchTokenizer {
    return (texts) => {
      const L = this.contextLength;
      const ids = new BigInt64Array(texts.length * L), attentionMask = new BigInt64Array(texts.length * L);
      texts.forEach((t, b) => {
        const e = this.encode(t);
        for (let i = 0; i < L; i++) { ids[b * L + i] = BigInt(e.ids[i]); attentionMask[b * L + i] = BigInt(e.attentionMask[i]); }
      });
      return { ids, attentionMask, length: L };
    };
  }
}
