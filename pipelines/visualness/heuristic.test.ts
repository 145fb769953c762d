/**
 * The word-list baseline against the context sentences it is meant to struggle with: scenery
 * sentences carry none of its words and most idioms carry one (models/data/visualness/contextGrammar.ts).
 */
import { describe, expect, it } from 'vitest';
import { Prng } from '../../models/data/microworld/prng.ts';
import { sampleContextSentence } from '../../models/data/visualness/contextGrammar.ts';
import { VISUAL_WORDS, heuristicScore } from './heuristic.ts';

const sample = (split: 'train' | 'test', n: number) => {
  const rng = new Prng(`ctx-list:${split}`);
  return Array.from({ length: n }, (_x, i) => sampleContextSentence(rng, split, i % 2 === 0));
};
const words = (t: string) => t.match(/[a-z]+/g) ?? [];

describe('word list vs context sentences', () => {
  it('scenery sentences have no word of the visual word list; most figurative ones have one', () => {
    const all = [...sample('train', 600), ...sample('test', 600)];
    const scenery = all.filter((s) => s.category === 'scenery');
    const figurative = all.filter((s) => s.category === 'figurative');
    expect(scenery.length).toBeGreaterThan(200);
    for (const s of scenery) expect(words(s.text).filter((w) => VISUAL_WORDS.has(w)), s.text).toEqual([]);
    const withListWord = figurative.filter((s) => words(s.text).some((w) => VISUAL_WORDS.has(w))).length;
    // the rest use picture-like words the list lacks (fence, rug, roof, stadium) — just as figuratively
    expect(withListWord / figurative.length).toBeGreaterThan(0.6);
  });

  it('scores a scenery sentence 0 and an idiom with a color word above 0', () => {
    expect(heuristicScore('a lantern hangs above the doorway')).toBe(0);
    expect(heuristicScore('my neighbor was green with envy about the merger')).toBeGreaterThan(0);
  });
});
