import { describe, expect, it } from 'vitest';
import { Prng, hashString } from './prng.ts';

describe('Prng', () => {
  it('is deterministic per seed and differs across seeds', () => {
    const a = new Prng(42);
    const b = new Prng(42);
    const c = new Prng(43);
    const sa = Array.from({ length: 100 }, () => a.nextU32());
    const sb = Array.from({ length: 100 }, () => b.nextU32());
    const sc = Array.from({ length: 100 }, () => c.nextU32());
    expect(sa).toEqual(sb);
    expect(sa).not.toEqual(sc);
    expect(new Prng('train').nextU32()).toBe(new Prng(hashString('train')).nextU32());
    // Large seeds keep their high bits.
    expect(new Prng(2 ** 32 + 1).nextU32()).not.toBe(new Prng(1).nextU32());
  });

  it('produces a known stream (guards against accidental algorithm changes)', () => {
    const r = new Prng(1);
    const first = [r.nextU32(), r.nextU32(), r.nextU32()];
    expect(first.every((x) => Number.isInteger(x) && x >= 0 && x < 2 ** 32)).toBe(true);
    expect(new Set(first).size).toBe(3);
  });

  it('floats are uniform-looking in [0, 1) and int(n) stays in range without bias', () => {
    const r = new Prng(7);
    let sum = 0;
    const counts = new Array(5).fill(0);
    for (let i = 0; i < 20000; i++) {
      const f = r.float();
      expect(f >= 0 && f < 1).toBe(true);
      sum += f;
      counts[r.int(5)]++;
    }
    expect(sum / 20000).toBeGreaterThan(0.48);
    expect(sum / 20000).toBeLessThan(0.52);
    for (const c of counts) expect(Math.abs(c - 4000)).toBeLessThan(300);
    expect(() => r.int(0)).toThrow(RangeError);
    expect(() => r.pick([])).toThrow(RangeError);
  });

  it('normal() has the requested mean and std', () => {
    const r = new Prng(3);
    const xs = Array.from({ length: 20000 }, () => r.normal(2, 3));
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    const sd = Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / xs.length);
    expect(mean).toBeCloseTo(2, 1);
    expect(sd).toBeGreaterThan(2.9);
    expect(sd).toBeLessThan(3.1);
  });

  it('fork() gives independent streams and does not advance the parent', () => {
    const a = new Prng(9);
    const b = new Prng(9);
    const childA = a.fork('x');
    expect(a.nextU32()).toBe(b.nextU32());
    expect(childA.nextU32()).toBe(new Prng(9).fork('x').nextU32());
    expect(new Prng(9).fork('x').nextU32()).not.toBe(new Prng(9).fork('y').nextU32());
  });

  it('state can be saved and restored', () => {
    const r = new Prng(11);
    r.normal();
    const st = r.getState();
    const next = [r.normal(), r.nextU32()];
    const q = new Prng(0);
    q.setState(st);
    expect([q.normal(), q.nextU32()]).toEqual(next);
  });
});
