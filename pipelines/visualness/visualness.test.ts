import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classify, metrics, tuneThreshold } from '../../models/train/visualness/metrics.ts';
import { handwrittenSet, visualnessExamples } from '../../models/data/visualness/dataset.ts';
import { analyzeText } from './analyze.ts';
import { evaluateVisualness, heuristicScores, modelScores } from './evaluate.ts';
import { heuristicScore, VISUAL_WORDS } from './heuristic.ts';
import { splitSentences } from './sentences.ts';
import { tinyScorer } from './testing.ts';

describe('sentence splitting', () => {
  it('splits at . ! ? and line breaks with spans into the original text', () => {
    const t = '  A red star.  Is it blue?\nYes!  trailing words';
    const s = splitSentences(t);
    expect(s.map((x) => x.text)).toEqual(['A red star.', 'Is it blue?', 'Yes!', 'trailing words']);
    for (const x of s) expect(t.slice(x.start, x.end)).toBe(x.text);
    expect(splitSentences('   \n  ')).toEqual([]);
  });
});

describe('metrics', () => {
  it('macro-averages F1/precision/recall over both classes', () => {
    // visual: tp 2 fp 1 fn 1 → P 2/3 R 2/3; non-visual: tp 1 fp 1 fn 1 → P 1/2 R 1/2
    const m = metrics([true, true, true, false, false], [true, true, false, true, false]);
    expect(m.precision).toBeCloseTo((2 / 3 + 1 / 2) / 2, 6);
    expect(m.recall).toBeCloseTo((2 / 3 + 1 / 2) / 2, 6);
    expect(m.accuracy).toBeCloseTo(3 / 5, 6);
  });
  it('tunes the threshold that separates separable scores', () => {
    const { threshold, f1 } = tuneThreshold([0.1, 0.2, 0.7, 0.9], [false, false, true, true]);
    expect(f1).toBe(1);
    expect(threshold).toBeGreaterThan(0.2);
    expect(threshold).toBeLessThan(0.7);
    expect(classify([0.3, 0.8], threshold)).toEqual([false, true]);
  });
});

describe('data', () => {
  it('balanced splits; test sentences use test templates; the hand-written fixture has ≥ 100 labeled sentences of both classes', () => {
    const test = visualnessExamples('test', 40);
    expect(test.filter((e) => e.visual)).toHaveLength(20);
    expect(test.every((e) => e.template.startsWith('test:'))).toBe(true);
    const train = visualnessExamples('train', 40);
    expect(train.every((e) => !e.template.startsWith('test:'))).toBe(true);
    expect(train.filter((e) => e.visual).every((e) => e.scene && e.scene.objects.length > 0)).toBe(true);
    expect(train.filter((e) => !e.visual).every((e) => e.scene === undefined)).toBe(true);
    const hw = handwrittenSet();
    expect(hw.length).toBeGreaterThanOrEqual(100);
    expect(hw.filter((e) => e.visual).length).toBeGreaterThan(40);
    expect(hw.filter((e) => !e.visual).length).toBeGreaterThan(40);
    expect(new Set(hw.map((e) => e.text)).size).toBe(hw.length);
  });
  it('a proxy scene takes the colors and shapes its sentence names', () => {
    const e = visualnessExamples('train', 200).find((x) => x.category === 'object' && /\bred\b/.test(x.text) && x.scene);
    expect(e).toBeDefined();
    expect(e!.scene!.objects.some((o) => o.color === 'red')).toBe(true);
  });
});

describe('word-list heuristic', () => {
  it('scores the share of unique words in the visual list', () => {
    expect(VISUAL_WORDS.has('red') && VISUAL_WORDS.has('dog') && !VISUAL_WORDS.has('freedom')).toBe(true);
    expect(heuristicScore('red dog')).toBe(1);
    expect(heuristicScore('freedom is hard to define')).toBe(0);
    expect(heuristicScore('')).toBe(0);
    expect(heuristicScore('🙂🙂')).toBe(0);
  });
});

describe('analyzeText on bad input (tiny random scorer)', () => {
  let t: Awaited<ReturnType<typeof tinyScorer>>;
  beforeAll(async () => { t = await tinyScorer(); });
  afterAll(async () => { await t.dispose(); });
  const opts = { threshold: 0.5 };

  it('empty and whitespace text: no sentences and a message', async () => {
    for (const s of ['', '   \n\t ']) {
      const r = await analyzeText(t.scorer, s, opts);
      expect(r.sentences).toEqual([]);
      expect(r.document).toBeNull();
      expect(r.message).toMatch(/empty/);
    }
  });

  it('emoji only: a message, no crash', async () => {
    const r = await analyzeText(t.scorer, '🙂🚀🎨 🙃', opts);
    expect(r.document).toBeNull();
    expect(r.message).toMatch(/no words/);
  });

  it('one character: a scored sentence', async () => {
    const r = await analyzeText(t.scorer, 'a', opts);
    expect(r.sentences).toHaveLength(1);
    expect(Number.isFinite(r.sentences[0].score)).toBe(true);
    expect(r.sentences[0].words.map((w) => w.text)).toEqual(['a']);
  });

  it('a language the tokenizer never saw: scored, flagged unknown, with a message', async () => {
    for (const s of ['Der Hund schläft unter dem Baum.', '狗在树下睡觉。']) {
      const r = await analyzeText(t.scorer, s, opts);
      expect(r.sentences.length).toBeGreaterThan(0);
      expect(r.sentences.every((x) => x.words.filter((w) => /\p{L}/u.test(w.text)).every((w) => w.unknown))).toBe(true);
      expect(r.message).toMatch(/vocabulary/);
    }
  });

  it('20,000 characters: capped to maxSentences with a note, spans stay in range', async () => {
    const text = 'The red ball rolls on the grass. '.repeat(Math.ceil(20000 / 33)).slice(0, 20000);
    const r = await analyzeText(t.scorer, text, { threshold: 0.5, maxSentences: 20 });
    expect(r.sentences).toHaveLength(20);
    expect(r.skippedSentences).toBeGreaterThan(500);
    expect(r.message).toMatch(/first 20/);
    for (const s of r.sentences) for (const w of s.words) expect(text.slice(w.start, w.end).toLowerCase()).toBe(w.text);
  });

  it('one sentence longer than the context: cut with a note', async () => {
    const r = await analyzeText(t.scorer, `${'red '.repeat(50)}star`, opts);
    expect(r.sentences[0].droppedWords).toBeGreaterThan(0);
    expect(r.message).toMatch(/cut/);
  });

  it('scores are independent of batch composition and relevance is normalized per sentence', async () => {
    const a = await t.scorer.score(['a red star', 'freedom is hard to define']);
    const b = await t.scorer.score(['a red star']);
    expect(a[0].score).toBeCloseTo(b[0].score, 5);
    for (const s of a) expect(Math.max(...s.words.map((w) => w.relevance))).toBeCloseTo(1, 6);
  });

  it('evaluateVisualness: F1, precision, recall and accuracy per scorer on both sets, thresholds from validation', async () => {
    const sets = { val: visualnessExamples('val', 16), test: visualnessExamples('test', 16), handwritten: handwrittenSet().slice(0, 12) };
    const r = await evaluateVisualness({ tip: modelScores(t.scorer), zero_shot: modelScores(t.scorer), heuristic: heuristicScores }, sets);
    for (const set of ['test', 'handwritten'] as const) {
      for (const k of ['tip', 'zero_shot', 'heuristic'] as const) {
        expect(Object.keys(r[set][k])).toEqual(expect.arrayContaining(['f1', 'precision', 'recall', 'accuracy']));
        expect(r[set][k].n).toBe(sets[set].length);
      }
    }
    // The same scorer under two names gets the same threshold and numbers.
    expect(r.thresholds.tip).toBe(r.thresholds.zero_shot);
    expect(r.test.tip).toEqual(r.test.zero_shot);
  });
});
