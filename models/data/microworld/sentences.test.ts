import { describe, expect, it } from 'vitest';
import { Prng } from './prng.ts';
import { sampleSentence } from './sentences.ts';

describe('visual / non-visual sentences', () => {
  it('are labeled by grammar, deterministic, and honor a forced label', () => {
    const a = Array.from({ length: 50 }, (_x, i) => sampleSentence(new Prng(`sent:${i}`)));
    const b = Array.from({ length: 50 }, (_x, i) => sampleSentence(new Prng(`sent:${i}`)));
    expect(a).toEqual(b);
    for (const s of a) {
      expect(s.visual).toBe(['scene', 'object', 'everyday'].includes(s.category));
      expect(s.text).toMatch(/^[a-z0-9 ,:'-]+$/);
    }
    expect(a.some((s) => s.visual) && a.some((s) => !s.visual)).toBe(true);
    const rng = new Prng(2);
    for (let i = 0; i < 30; i++) expect(sampleSentence(rng, { visual: false }).visual).toBe(false);
  });

  it('test sentences use templates never used by train or val', () => {
    const rng = new Prng('templates');
    const trainTemplates = new Set<string>();
    for (let i = 0; i < 600; i++) {
      trainTemplates.add(sampleSentence(rng, { split: 'train' }).template);
      trainTemplates.add(sampleSentence(rng, { split: 'val' }).template);
    }
    const testTemplates = new Set<string>();
    for (let i = 0; i < 300; i++) testTemplates.add(sampleSentence(rng, { split: 'test' }).template);
    for (const t of testTemplates) expect(trainTemplates.has(t)).toBe(false);
    expect(testTemplates.size).toBeGreaterThan(8);
  });
});
