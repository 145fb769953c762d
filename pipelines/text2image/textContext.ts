/**
 * Prompt → cross-attention context: tokenize with the bundle's tokenizer, run the text encoder,
 * return its last_hidden_state rows. The micro stack uses the Microworld word tokenizer of
 * micro-CLIP; SD 1.5's BPE tokenizer comes from the model's own tokenizer files.
 */
import type { Runtime, Session, Tensor } from '../../models/runtime/Runtime.ts';
import type { DiffusionBundle } from '../../models/manifests/sdBundle.ts';
import { MicroTokenizer } from '../../models/text/tokenizer.ts';
import { readFloat } from './floatIo.ts';

export interface TokenizedPrompt { ids: Int32Array; mask: Int32Array; length: number; words: { text: string; position: number }[] }

export type PromptTokenizer = (text: string) => TokenizedPrompt;

/** tokenizer.json (+ tokenizer_config.json) contents of a BPE model (SD 1.5's CLIP ViT-L/14 tokenizer). */
export interface TokenizerFiles { tokenizer: unknown; config?: Record<string, unknown> }

/**
 * The bundle's tokenizer: Microworld words for the micro stack; CLIP BPE from the model's own
 * tokenizer files for real models (loaded lazily, so the micro path does not pull the BPE library
 * into the browser bundle).
 */
export async function bundleTokenizer(b: DiffusionBundle, files?: TokenizerFiles): Promise<PromptTokenizer> {
  if (b.tokenizer.kind === 'bpe') {
    if (!files) throw new Error(`text2image: ${b.id} needs its tokenizer files (${b.tokenizer.files.tokenizer}) in params.tokenizerFiles`);
    const { ClipBpeTokenizer } = await import('../../models/text/hfTokenizer.ts');
    const bpe = ClipBpeTokenizer.fromJSON(files.tokenizer, files.config ?? {}, { contextLength: b.tokenizer.contextLength });
    return (text) => {
      const e = bpe.encode(text);
      return { ids: e.ids, mask: e.attentionMask, length: bpe.contextLength, words: e.tokens.map((t, i) => ({ text: t.replace(/<\/w>$/, ''), position: i + 1 })) };
    };
  }
  const tok = MicroTokenizer.microworld({ contextLength: b.tokenizer.contextLength });
  return (text) => {
    const e = tok.encode(text);
    return { ids: e.ids, mask: e.attentionMask, length: tok.contextLength, words: e.words.map((w) => ({ text: w.text, position: w.position })) };
  };
}

/** Contexts for several prompts, stacked [n, L, D]. input_ids is fed as the session declares (int32 or int64). */
export async function encodePrompts(rt: Runtime, text: Session, tokenize: PromptTokenizer, prompts: readonly string[]): Promise<{ context: Float32Array; length: number; dim: number }> {
  const toks = prompts.map(tokenize);
  const L = toks[0].length;
  const ids = new Int32Array(prompts.length * L);
  toks.forEach((t, i) => ids.set(t.ids, i * L));
  const dtype = text.inputs.find((i) => i.name === 'input_ids')?.dtype ?? 'int64';
  const feeds: Record<string, Tensor> = {
    input_ids: dtype === 'int32' ? rt.tensor('int32', ids, [prompts.length, L]) : rt.tensor('int64', BigInt64Array.from(ids, (v) => BigInt(v)), [prompts.length, L]),
  };
  // Exports with an attention_mask input get one (1 = token, 0 = padding), in the declared int dtype.
  if (text.inputNames.includes('attention_mask')) {
    const mask = new Int32Array(prompts.length * L);
    toks.forEach((t, i) => mask.set(t.mask, i * L));
    const mdt = text.inputs.find((i) => i.name === 'attention_mask')?.dtype;
    feeds.attention_mask = mdt === 'int32' ? rt.tensor('int32', mask, [prompts.length, L]) : rt.tensor('int64', BigInt64Array.from(mask, (v) => BigInt(v)), [prompts.length, L]);
  }
  const out = await text.run(feeds, ['last_hidden_state']);
  const t = out.last_hidden_state;
  const context = await readFloat(rt, t);
  const dim = t.dims[2];
  t.dispose?.();
  return { context, length: L, dim };
}
