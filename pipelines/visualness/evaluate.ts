/**
 * The visualness evaluation (`npm run eval -- visualness`): TIP-style, zero-shot (the NULL
 * trick on the un-tuned encoder) and the word-list heuristic on the Microworld test split
 * (unseen templates) and the hand-written set; every scorer's threshold is tuned on the same
 * validation split (§A5), metrics are macro-averaged over the two classes (§A8).
 * Plus the attribution check: on scene-grammar captions, how often the top-attributed word is
 * a visual word (color, shape, pattern, material).
 */
import { COLOR_NAMES, MATERIALS, MESHES, PATTERNS, SHAPES } from '../../models/data/microworld/attributes.ts';
import type { VisualnessExample } from '../../models/data/visualness/dataset.ts';
import { classify, metrics, tuneThreshold, type Metrics } from '../../models/train/visualness/metrics.ts';
import { heuristicScore } from './heuristic.ts';
import type { VisualnessScorer } from './scorer.ts';

export interface EvalSets { val: VisualnessExample[]; test: VisualnessExample[]; handwritten: VisualnessExample[] }

export type ScorerName = 'tip' | 'zero_shot' | 'heuristic';

export interface VisualnessEval {
  test: Record<ScorerName, Metrics>;
  handwritten: Record<ScorerName, Metrics>;
  thresholds: Record<ScorerName, number>;
}

type ScoreFn = (texts: string[]) => Promise<number[]>;

export const modelScores = (s: VisualnessScorer): ScoreFn => async (texts) => (await s.score(texts)).map((r) => r.score);
export const heuristicScores: ScoreFn = async (texts) => texts.map((t) => heuristicScore(t));

export async function evaluateVisualness(scorers: Record<ScorerName, ScoreFn>, sets: EvalSets): Promise<VisualnessEval> {
  const out = { test: {}, handwritten: {}, thresholds: {} } as VisualnessEval;
  for (const [name, fn] of Object.entries(scorers) as [ScorerName, ScoreFn][]) {
    const { threshold } = tuneThreshold(await fn(sets.val.map((e) => e.text)), sets.val.map((e) => e.visual));
    out.thresholds[name] = threshold;
    for (const set of ['test', 'handwritten'] as const) {
      const ex = sets[set];
      out[set][name] = metrics(classify(await fn(ex.map((e) => e.text)), threshold), ex.map((e) => e.visual));
    }
  }
  return out;
}

/** Words of the scene grammar that name something visible. */
export const VISUAL_ATTRIBUTE_WORDS: ReadonlySet<string> = new Set([
  ...COLOR_NAMES, ...SHAPES, ...SHAPES.map((s) => `${s}s`), ...PATTERNS, ...MATERIALS, ...MESHES,
  'stripes', 'dots', 'golden', 'wooden', 'grassy', 'checker', 'diamonds', 'circles', 'squares', 'triangles', 'hexagons', 'hearts', 'moons', 'stars', 'rings', 'crosses',
]);

export interface AttributionCheck { n: number; topIsVisual: number; rate: number; examples: { text: string; top: string }[] }

/** Fraction of sentences whose most relevant known word is a visual attribute word. */
export async function attributionCheck(scorer: VisualnessScorer, texts: readonly string[]): Promise<AttributionCheck> {
  const scored = await scorer.score(texts);
  let hits = 0;
  const examples: AttributionCheck['examples'] = [];
  scored.forEach((s, i) => {
    const words = s.words.filter((w) => !w.unknown && /\p{L}/u.test(w.text));
    const top = words.reduce((a, w) => (w.raw > a.raw ? w : a), words[0]);
    if (top && VISUAL_ATTRIBUTE_WORDS.has(top.text)) hits++;
    if (examples.length < 5) examples.push({ text: texts[i], top: top?.text ?? '' });
  });
  return { n: texts.length, topIsVisual: hits, rate: texts.length ? hits / texts.length : 0, examples };
}
