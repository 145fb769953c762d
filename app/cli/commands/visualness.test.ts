import { describe, expect, it } from 'vitest';
import { run } from './visualness.ts';

function capture() {
  const out: string[] = [], err: string[] = [];
  return { io: { out: (s: string) => out.push(s), err: (s: string) => err.push(s) }, out, err };
}

describe('atelier visualness', () => {
  it('--json prints per-sentence scores, labels, word relevance and the document score', async () => {
    const c = capture();
    expect(await run(['A red kite over the green hills. Justice is hard to define.', '--json'], c.io)).toBe(0);
    const r = JSON.parse(c.out.join('')) as { sentences: { text: string; visual: boolean; score: number; words: { text: string; relevance: number }[] }[]; document: { score: number }; threshold: number };
    expect(r.sentences.map((s) => s.text)).toEqual(['A red kite over the green hills.', 'Justice is hard to define.']);
    expect(r.sentences.map((s) => s.visual)).toEqual([true, false]);
    expect(r.sentences[0].words.some((w) => w.relevance === 1)).toBe(true);
    expect(Number.isFinite(r.document.score)).toBe(true);
  }, 60_000);

  it('bad input gives a clear message, not a crash', async () => {
    const c = capture();
    expect(await run(['🙂🙂', '--json'], c.io)).toBe(0);
    expect(JSON.parse(c.out.join('')).message).toMatch(/no words/);
    const d = capture();
    expect(await run([], d.io)).toBe(2);
    expect(d.err.join('')).toMatch(/no text given/);
    const e = capture();
    expect(await run(['x', '--threshold', 'abc'], e.io)).toBe(2);
  }, 60_000);
});
