/**
 * A tiny tokenizer.json with the exact structure of openai/clip-vit-base-patch32's (NFC +
 * whitespace + lowercase normalizer, CLIP's split regex + ByteLevel pre-tokenizer, BPE with
 * "</w>" word ends, RobertaProcessing with <|startoftext|>/<|endoftext|>, ByteLevel decoder),
 * but a vocabulary of the 2×256 byte symbols plus merges for a handful of words. Any text
 * tokenizes (bytes are always in the vocabulary), so it exercises the real-CLIP tokenizer path
 * offline; the real file is a drop-in replacement.
 */

/**
 * Merges that build `symbols` into one token left to right ("r e" → "re", "re d" → "red"),
 * appended to `merges` once each, with every intermediate token registered through `add`.
 */
export function addLeftToRightMerges(symbols: readonly string[], merges: string[], add: (token: string) => void): void {
  let acc = symbols[0];
  for (let i = 1; i < symbols.length; i++) {
    const m = `${acc} ${symbols[i]}`;
    acc += symbols[i];
    if (!merges.includes(m)) merges.push(m);
    add(acc);
  }
}

/** GPT-2/CLIP byte → printable unicode table (bytes_to_unicode). */
export function bytesToUnicode(): string[] {
  const bs: number[] = [];
  for (let b = 33; b <= 126; b++) bs.push(b);
  for (let b = 161; b <= 172; b++) bs.push(b);
  for (let b = 174; b <= 255; b++) bs.push(b);
  const cs = [...bs];
  let n = 0;
  for (let b = 0; b < 256; b++) if (!bs.includes(b)) { bs.push(b); cs.push(256 + n++); }
  const table: string[] = new Array(256);
  bs.forEach((b, i) => { table[b] = String.fromCodePoint(cs[i]); });
  return table;
}

export const FIXTURE_WORDS = ['photo', 'of', 'red', 'blue', 'star', 'cat', 'dog', 'ring', 'green', 'the'] as const;

export interface ClipTokenizerFixture {
  tokenizerJson: Record<string, unknown>;
  tokenizerConfig: Record<string, unknown>;
  vocabSize: number;
  sotId: number;
  eotId: number;
}

export function clipTokenizerFixture(words: readonly string[] = FIXTURE_WORDS): ClipTokenizerFixture {
  const byteChars = bytesToUnicode();
  const vocab: Record<string, number> = {};
  const add = (t: string) => { if (!(t in vocab)) vocab[t] = Object.keys(vocab).length; };
  for (const c of byteChars) add(c);
  for (const c of byteChars) add(`${c}</w>`);
  const merges: string[] = [];
  for (const w of words) {
    // Left-to-right merges: "r e" → "re", "re d</w>" → "red</w>" (the last symbol carries </w>).
    addLeftToRightMerges([...w].map((ch, i, a) => (i === a.length - 1 ? `${ch}</w>` : ch)), merges, add);
  }
  const sotId = Object.keys(vocab).length, eotId = sotId + 1;
  vocab['<|startoftext|>'] = sotId;
  vocab['<|endoftext|>'] = eotId;
  const special = (id: number, content: string) => ({ id, content, single_word: false, lstrip: false, rstrip: false, normalized: true, special: true });
  const tokenizerJson = {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: [special(sotId, '<|startoftext|>'), special(eotId, '<|endoftext|>')],
    normalizer: { type: 'Sequence', normalizers: [{ type: 'NFC' }, { type: 'Replace', pattern: { Regex: '\\s+' }, content: ' ' }, { type: 'Lowercase' }] },
    pre_tokenizer: {
      type: 'Sequence',
      pretokenizers: [
        { type: 'Split', pattern: { Regex: "<\\|startoftext\\|>|<\\|endoftext\\|>|'s|'t|'re|'ve|'m|'ll|'d|[\\p{L}]+|[\\p{N}]|[^\\s\\p{L}\\p{N}]+" }, behavior: 'Removed', invert: true },
        { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: false },
      ],
    },
    post_processor: { type: 'RobertaProcessing', sep: ['<|endoftext|>', eotId], cls: ['<|startoftext|>', sotId], trim_offsets: false, add_prefix_space: false },
    decoder: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true },
    model: { type: 'BPE', dropout: null, unk_token: '<|endoftext|>', continuing_subword_prefix: '', end_of_word_suffix: '</w>', fuse_unk: false, vocab, merges },
  };
  const tokenizerConfig = {
    tokenizer_class: 'CLIPTokenizer', bos_token: '<|startoftext|>', eos_token: '<|endoftext|>', pad_token: '<|endoftext|>',
    unk_token: '<|endoftext|>', model_max_length: 77, do_lower_case: true,
  };
  return { tokenizerJson, tokenizerConfig, vocabSize: eotId + 1, sotId, eotId };
}
