/**
 * Runs the visualness graph (graph.ts) on sentences: one session.run per batch gives each
 * sentence's score S and relevance map R; words get R[eot, position] (normalized to the
 * sentence's max, so 1 = the word that carries the most visualness).
 *
 *   const scorer = new VisualnessScorer(rt, session, microScoringTokenizer(32));
 *   const [s] = await scorer.score(['a red star on the grass']);  // { score, words: [{ text, relevance }] }
 */
import type { Runtime, Session, Tensor } from '../../models/runtime/Runtime.ts';
import { MicroTokenizer, toBigInt64 } from '../../models/text/tokenizer.ts';
import { DELTA_PREFIX, RELEVANCE_OUTPUT, SCORE_OUTPUT } from '../../models/train/visualness/visualnessGraph.ts';

export interface TokenWord {
  text: string;
  /** UTF-16 span in the scored string. */
  start: number;
  end: number;
  /** Token position in the model input. */
  position: number;
  unknown: boolean;
}

export interface ScoringTokens {
  /** [batch, length] int64 ids. */
  ids: BigInt64Array;
  length: number;
  rows: { eot: number; words: TokenWord[]; droppedWords: number }[];
}

export type ScoringTokenizer = (texts: readonly string[]) => ScoringTokens;

/** micro-CLIP's word tokenizer: one token per word, so positions map 1:1 to words. */
export function microScoringTokenizer(contextLength: number): ScoringTokenizer {
  const tok = MicroTokenizer.microworld({ contextLength });
  return (texts) => {
    const e = tok.encodeBatch(texts);
    return {
      ids: toBigInt64(e.ids), length: e.contextLength,
      rows: e.encodings.map((x) => ({ eot: x.eotIndex, droppedWords: x.droppedWords, words: x.words.map((w) => ({ text: w.text, start: w.start, end: w.end, position: w.position, unknown: w.unknown })) })),
    };
  };
}

export interface WordScore extends TokenWord {
  /** Share of visualness relevance, in [0, 1] (1 = the sentence's most relevant word). */
  relevance: number;
  /** Raw R[eot, position] before normalization. */
  raw: number;
}

export interface ScoredText {
  score: number;
  words: WordScore[];
  droppedWords: number;
}

export class VisualnessScorer {
  private readonly deltas: { name: string; dims: (number | string)[] }[];

  constructor(private readonly rt: Runtime, private readonly session: Session, private readonly tokenize: ScoringTokenizer, private readonly maxBatch = 16) {
    this.deltas = session.inputs.filter((i) => i.name.startsWith(DELTA_PREFIX)).map((i) => ({ name: i.name, dims: i.shape ?? [] }));
    const missing = [SCORE_OUTPUT, RELEVANCE_OUTPUT].filter((n) => !session.outputNames.includes(n));
    if (missing.length || !session.inputNames.includes('input_ids')) {
      throw new Error(`visualness: the model is not a visualness graph (needs input_ids → ${SCORE_OUTPUT}, ${RELEVANCE_OUTPUT}; missing ${missing.join(', ') || 'input_ids'})`);
    }
  }

  async score(texts: readonly string[], signal?: AbortSignal): Promise<ScoredText[]> {
    const out: ScoredText[] = [];
    for (let s = 0; s < texts.length; s += this.maxBatch) {
      if (signal?.aborted) throw new DOMException('aborted', 'AbortError');
      out.push(...(await this.batch(texts.slice(s, s + this.maxBatch))));
    }
    return out;
  }

  private async batch(texts: readonly string[]): Promise<ScoredText[]> {
    const B = texts.length;
    const t = this.tokenize(texts);
    const L = t.length;
    const feeds: Record<string, Tensor> = { input_ids: this.rt.tensor('int64', t.ids, [B, L]) };
    for (const d of this.deltas) {
      const dims = d.dims.map((x, i) => (i === 0 ? B : typeof x === 'number' ? x : L));
      feeds[d.name] = this.rt.tensor('float32', new Float32Array(dims.reduce((a, b) => a * b, 1)), dims);
    }
    const r = await this.session.run(feeds, [SCORE_OUTPUT, RELEVANCE_OUTPUT]);
    const scores = (await this.rt.read(r[SCORE_OUTPUT])) as Float32Array;
    const rel = (await this.rt.read(r[RELEVANCE_OUTPUT])) as Float32Array;
    for (const x of Object.values(r)) x.dispose?.();
    return t.rows.map((row, b) => {
      const raw = row.words.map((w) => rel[b * L * L + row.eot * L + w.position]);
      const max = Math.max(0, ...raw);
      const words = row.words.map((w, i) => ({ ...w, raw: raw[i], relevance: max > 0 ? Math.max(0, raw[i]) / max : 0 }));
      return { score: scores[b], words, droppedWords: row.droppedWords };
    });
  }
}
