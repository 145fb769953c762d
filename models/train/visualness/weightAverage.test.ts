import { describe, expect, it } from 'vitest';
import { TailAverage, averageWeights } from './weightAverage.ts';

describe('weight averaging', () => {
  it('TailAverage averages only the steps at or after `from`', () => {
    const t = new TailAverage(['w'], 20);
    const values: Record<number, number[]> = { 10: [100, 100], 20: [1, 2], 30: [3, 6] };
    for (const step of [10, 20, 30]) t.add(step, () => Float32Array.from(values[step]));
    expect(t.count).toBe(2);
    expect(Array.from(t.mean('w'))).toEqual([2, 4]);
  });

  it('TailAverage refuses a mean of nothing', () => {
    const t = new TailAverage(['w'], 50);
    t.add(10, () => Float32Array.of(1));
    expect(() => t.mean('w')).toThrow(/nothing added/);
  });

  it('averageWeights is the element-wise mean and checks that members agree', () => {
    const a = new Map([['w', Float32Array.of(1, 2)], ['b', Float32Array.of(0)]]);
    const b = new Map([['w', Float32Array.of(3, 4)], ['b', Float32Array.of(1)]]);
    const m = averageWeights([a, b]);
    expect(Array.from(m.get('w')!)).toEqual([2, 3]);
    expect(Array.from(m.get('b')!)).toEqual([0.5]);
    expect(() => averageWeights([a, new Map([['w', Float32Array.of(1)]])])).toThrow(/disagree/);
    expect(() => averageWeights([])).toThrow(/no members/);
  });
});
