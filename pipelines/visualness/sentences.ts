/**
 * Sentence segmentation for scoring (the paper used NLTK; §A9.5): split after . ! ? … and at
 * line breaks, keeping UTF-16 spans into the original text so the UI can highlight in place.
 * Whitespace-only pieces are dropped; abbreviations are not special-cased (a split too many
 * only costs one more, shorter sentence).
 */
export interface SentenceSpan { text: string; start: number; end: number }

const BOUNDARY = /[.!?…]+["')\]]*(?=\s|$)|\n+/g;

export function splitSentences(text: string): SentenceSpan[] {
  const out: SentenceSpan[] = [];
  let from = 0;
  const push = (end: number) => {
    const raw = text.slice(from, end);
    const lead = raw.length - raw.trimStart().length;
    const body = raw.trim();
    if (body) out.push({ text: body, start: from + lead, end: from + lead + body.length });
  };
  for (const m of text.matchAll(BOUNDARY)) {
    const end = m.index + m[0].length;
    push(m[0].startsWith('\n') ? m.index : end);
    from = end;
  }
  push(text.length);
  return out;
}
