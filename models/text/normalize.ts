/**
 * Text normalization with an offset map back to the user's original string, so every token can
 * point at the characters it came from (UI word highlighting), whatever normalization did.
 *
 * Steps, per segment (a base character plus its combining marks, so "e" + U+0301 composes):
 * NFKC, lower-casing; control characters (tabs, newlines, NUL, ...) become spaces so they still
 * separate words; invisible format characters (zero-width space, joiners, BOM) and lone
 * surrogates are removed.
 */

export interface NormalizedText {
  text: string;
  /** For each UTF-16 unit of `text`: start offset of its source segment in the original. */
  start: Int32Array;
  /** For each UTF-16 unit of `text`: end offset (exclusive) of its source segment. */
  end: Int32Array;
}

const SEGMENT = /\P{M}\p{M}*|\p{M}+/gsu;
const CONTROL = /^\p{Cc}/u;
const DROP = /^[\p{Cf}\p{Cs}]/u;

export function normalizeText(input: string): NormalizedText {
  const parts: string[] = [];
  const starts: number[] = [];
  const ends: number[] = [];
  for (const m of input.matchAll(SEGMENT)) {
    const seg = m[0];
    const s = m.index;
    const e = s + seg.length;
    let norm: string;
    if (CONTROL.test(seg)) norm = ' ';
    else if (DROP.test(seg)) continue;
    // A lone surrogate inside a segment makes normalize() throw in some engines: drop it first.
    else norm = seg.replace(/\p{Cs}/gu, '').normalize('NFKC').toLowerCase();
    parts.push(norm);
    for (let k = 0; k < norm.length; k++) {
      starts.push(s);
      ends.push(e);
    }
  }
  return { text: parts.join(''), start: Int32Array.from(starts), end: Int32Array.from(ends) };
}

export interface RawToken {
  /** Normalized token text. */
  text: string;
  /** UTF-16 span in the original input. */
  start: number;
  end: number;
  kind: 'word' | 'punct' | 'symbol';
}

/**
 * Words (letters/digits with their marks), single ASCII punctuation marks, and runs of other
 * symbols (an emoji sequence with its joiners and selectors is one token).
 */
const TOKEN = /(?<word>[\p{L}\p{N}][\p{L}\p{M}\p{N}]*)|(?<punct>[!-/:-@[-`{-~])|(?<symbol>[^\s\p{L}\p{N}!-/:-@[-`{-~]+)/gu;

export function pretokenize(input: string): RawToken[] {
  const norm = normalizeText(input);
  const out: RawToken[] = [];
  for (const m of norm.text.matchAll(TOKEN)) {
    const i = m.index;
    const j = i + m[0].length - 1;
    const kind = m.groups?.word ? 'word' : m.groups?.punct ? 'punct' : 'symbol';
    out.push({ text: m[0], start: norm.start[i], end: norm.end[j], kind });
  }
  return out;
}

/**
 * Number of tokens pretokenize() would return, without spans: one native NFKC pass and a regex
 * count, for very long inputs where only the count of dropped words is needed. (Whole-string NFKC
 * can differ from per-segment NFKC in contrived cases; the count is then off by a few at most.)
 */
export function countTokens(input: string): number {
  const norm = input.replace(/\p{Cc}/gu, ' ').replace(/[\p{Cf}\p{Cs}]/gu, '').normalize('NFKC').toLowerCase();
  let n = 0;
  for (const _m of norm.matchAll(TOKEN)) n++;
  return n;
}
