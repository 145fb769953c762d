/**
 * A tiny tokenizer.json with the structure of SmolVLM's (SmolLM2's GPT-2-style byte-level BPE:
 * Digits + ByteLevel pre-tokenizer, ByteLevel decoder, no word-end suffix, special tokens as
 * added tokens: <|endoftext|>, <|im_start|>, <|im_end|>, <fake_token_around_image>, <image>,
 * <end_of_utterance>, <global-img>) but a vocabulary of the 256 byte symbols plus merges for a
 * few words. Every text tokenizes; the real file is a drop-in replacement.
 */
import { addLeftToRightMerges, bytesToUnicode } from '../../clip/real/tokenizerFixture.ts';

export const SMOLVLM_FIXTURE_SPECIALS = ['<|endoftext|>', '<|im_start|>', '<|im_end|>', '<fake_token_around_image>', '<image>', '<end_of_utterance>', '<global-img>'] as const;
const WORDS = ['User', 'Assistant', 'Can', 'you', 'describe', 'this', 'image', 'red', 'star', 'blue', 'ring', 'what', 'color', 'is', 'the', 'a'];

export interface SmolVlmTokenizerFixture {
  tokenizerJson: Record<string, unknown>;
  vocabSize: number;
}

export function smolVlmTokenizerFixture(words: readonly string[] = WORDS): SmolVlmTokenizerFixture {
  const byteChars = bytesToUnicode();
  const vocab: Record<string, number> = {};
  const add = (t: string) => { if (!(t in vocab)) vocab[t] = Object.keys(vocab).length; };
  SMOLVLM_FIXTURE_SPECIALS.forEach(add);
  byteChars.forEach(add);
  const merges: string[] = [];
  const space = byteChars[32]; // 'Ġ': a word after a space carries it, as in GPT-2 BPE
  for (const w of words.flatMap((x) => [x, `${space}${x}`])) addLeftToRightMerges([...w], merges, add);
  const special = (content: string) => ({ id: vocab[content], content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true });
  const tokenizerJson = {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: SMOLVLM_FIXTURE_SPECIALS.map(special),
    normalizer: null,
    pre_tokenizer: {
      type: 'Sequence',
      pretokenizers: [{ type: 'Digits', individual_digits: true }, { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true }],
    },
    post_processor: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: false, use_regex: true },
    decoder: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true },
    model: { type: 'BPE', dropout: null, unk_token: null, continuing_subword_prefix: null, end_of_word_suffix: null, fuse_unk: false, byte_fallback: false, vocab, merges },
  };
  return { tokenizerJson, vocabSize: Object.keys(vocab).length };
}
