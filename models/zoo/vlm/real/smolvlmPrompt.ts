/**
 * SmolVLM's prompt through the model's own tokenizer.json (@huggingface/tokenizers, offline):
 * the chat template with one image tile and no image splitting —
 *
 *   <|im_start|>User:<fake_token_around_image><global-img><image>×T<fake_token_around_image>{question}<end_of_utterance>\nAssistant:
 *
 * (what the Idefics3 processor expands `<image>` to for a single 512² tile). The answer stops at
 * `<end_of_utterance>`. Special-token ids are looked up by name, never hard-coded, so any export
 * whose tokenizer.json carries these tokens works, and one that lacks them is refused by name.
 */
import { Tokenizer } from '@huggingface/tokenizers';

export const SMOLVLM_TOKENS = {
  imStart: '<|im_start|>',
  image: '<image>',
  around: '<fake_token_around_image>',
  global: '<global-img>',
  endOfUtterance: '<end_of_utterance>',
} as const;

export const SMOLVLM_CAPTION_QUESTION = 'Can you describe this image?';

export interface SmolVlmPrompt {
  ids: number[];
  imageTokenId: number;
  /** Rows of the `<image>` tokens. */
  imageRows: number[];
}

export class SmolVlmTokenizer {
  readonly imageTokenId: number;
  readonly eosId: number;

  private constructor(private readonly tok: Tokenizer, readonly imageTokens: number) {
    const id = (t: string) => {
      const v = tok.token_to_id(t);
      if (v === undefined) throw new Error(`tokenizer.json has no ${t} token (is this SmolVLM's tokenizer?)`);
      return v;
    };
    for (const t of Object.values(SMOLVLM_TOKENS)) id(t);
    this.imageTokenId = id(SMOLVLM_TOKENS.image);
    this.eosId = id(SMOLVLM_TOKENS.endOfUtterance);
  }

  /** tokenizer.json as parsed JSON or bytes; `imageTokens` per tile (64 for SmolVLM at 512²). */
  static from(tokenizerJson: unknown, imageTokens: number, config: Record<string, unknown> = {}): SmolVlmTokenizer {
    const j = tokenizerJson instanceof Uint8Array ? JSON.parse(new TextDecoder().decode(tokenizerJson)) as unknown : tokenizerJson;
    if (!j || typeof j !== 'object' || !('model' in j)) throw new Error('tokenizer.json is not a Hugging Face tokenizer file');
    return new SmolVlmTokenizer(new Tokenizer(j, config), imageTokens);
  }

  prompt(question: string): SmolVlmPrompt {
    const T = SMOLVLM_TOKENS;
    const text = `${T.imStart}User:${T.around}${T.global}${T.image.repeat(this.imageTokens)}${T.around}${question}${T.endOfUtterance}\nAssistant:`;
    const ids = this.tok.encode(text, { add_special_tokens: false }).ids;
    const imageRows = ids.flatMap((id, p) => (id === this.imageTokenId ? [p] : []));
    // A tokenizer that splits "<image>" into pieces would silently feed text where image features belong.
    if (imageRows.length !== this.imageTokens) throw new Error(`the prompt has ${imageRows.length} <image> tokens, expected ${this.imageTokens}`);
    return { ids, imageTokenId: this.imageTokenId, imageRows };
  }

  decode(ids: readonly number[]): string {
    return this.tok.decode([...ids], { skip_special_tokens: true }).trim();
  }
}
