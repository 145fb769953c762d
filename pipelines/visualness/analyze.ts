/**
 * Text → per-sentence visualness with word attribution, plus a document score and the least
 * visual words (what the inline chip shows). Pure over a VisualnessScorer, so the pipeline, the
 * CLI and tests share it. Bad input never throws: empty or whitespace text, text with no letters
 * or digits (emoji only), and text with no word the model knows (another language) come back with
 * a `message` saying so; very long text is cut to `maxSentences` with a note.
 */
import type { ScoredText, VisualnessScorer, WordScore } from './scorer.ts';
import { splitSentences } from './sentences.ts';

export interface SentenceResult {
  text: string;
  start: number;
  end: number;
  score: number;
  visual: boolean;
  /** Words with UTF-16 spans into the whole input and relevance in [0, 1]. */
  words: WordScore[];
  /** Words the model does not know (scored as <unk>). */
  unknownWords: number;
  droppedWords: number;
}

export interface VisualnessResult {
  sentences: SentenceResult[];
  /** Word-count-weighted mean of the sentence scores; null when nothing was scored. */
  document: { score: number; visual: boolean } | null;
  threshold: number;
  /** Known content words with low relevance (< 0.5) in the least visual sentence, weakest first (for the chip). */
  leastVisualWords: string[];
  /** Most relevant known content words of the sentences labeled visual (empty when none is). */
  mostVisualWords: string[];
  /** Why the result is empty or unreliable, in words for the user. */
  message?: string;
  /** Sentences beyond `maxSentences` that were not scored. */
  skippedSentences: number;
}

export interface AnalyzeOptions {
  threshold: number;
  maxSentences?: number;
  signal?: AbortSignal;
}

/** Function words never reported as "least visual": they carry no imagery either way. */
const STOP = new Set('a an the of in on at to and or is are was were be been it its this that with by for from as if then there than i we you he she they my our your his her their me us them'.split(' '));

export async function analyzeText(scorer: VisualnessScorer, text: string, o: AnalyzeOptions): Promise<VisualnessResult> {
  const input = typeof text === 'string' ? text : String(text ?? '');
  const empty = (message: string): VisualnessResult => ({ sentences: [], document: null, threshold: o.threshold, leastVisualWords: [], mostVisualWords: [], message, skippedSentences: 0 });
  if (!input.trim()) return empty('Nothing to score: the text is empty.');
  if (!/[\p{L}\p{N}]/u.test(input)) return empty('Nothing to score: the text has no words (only symbols or emoji).');
  const spans = splitSentences(input).filter((s) => /[\p{L}\p{N}]/u.test(s.text));
  const max = o.maxSentences ?? 200;
  const kept = spans.slice(0, max);
  const scored: ScoredText[] = await scorer.score(kept.map((s) => s.text), o.signal);
  const sentences: SentenceResult[] = kept.map((s, i) => {
    const r = scored[i];
    return {
      text: s.text, start: s.start, end: s.end, score: r.score, visual: r.score > o.threshold,
      words: r.words.map((w) => ({ ...w, start: w.start + s.start, end: w.end + s.start })),
      unknownWords: r.words.filter((w) => w.unknown).length, droppedWords: r.droppedWords,
    };
  });
  const known = sentences.reduce((a, s) => a + s.words.filter((w) => !w.unknown && /\p{L}/u.test(w.text)).length, 0);
  let wsum = 0, ssum = 0;
  for (const s of sentences) { const w = Math.max(1, s.words.length); wsum += w; ssum += w * s.score; }
  const docScore = ssum / wsum;
  const content = sentences.flatMap((s) => s.words.filter((w) => !w.unknown && !STOP.has(w.text) && /\p{L}/u.test(w.text)).map((w) => ({ w, s })));
  const worst = [...sentences].sort((a, b) => a.score - b.score)[0];
  // Weak words only (relevance < 0.5 of the sentence's top word): in "a vase made of red brick" that is "made", not "red".
  const least = content.filter((c) => c.s === worst && c.w.relevance < 0.5).sort((a, b) => a.w.relevance - b.w.relevance).map((c) => c.w.text);
  // Words carrying visualness: only from sentences labeled visual (a non-visual sentence's top word carries little).
  const most = content.filter((c) => c.s.visual).sort((a, b) => b.w.relevance * b.s.score - a.w.relevance * a.s.score).map((c) => c.w.text);
  const notes: string[] = [];
  if (known === 0) notes.push('No word of this text is in the model\'s vocabulary (another language, or words it never saw), so the score says little.');
  if (spans.length > max) notes.push(`Only the first ${max} of ${spans.length} sentences were scored.`);
  if (sentences.some((s) => s.droppedWords > 0)) notes.push('Some sentences were longer than the model\'s context and were cut.');
  return {
    sentences, document: { score: docScore, visual: docScore > o.threshold }, threshold: o.threshold,
    leastVisualWords: [...new Set(least)].slice(0, 3), mostVisualWords: [...new Set(most)].slice(0, 3),
    ...(notes.length ? { message: notes.join(' ') } : {}), skippedSentences: Math.max(0, spans.length - max),
  };
}
