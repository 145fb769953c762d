import { describe, expect, it } from 'vitest';
import { Prng } from '../prng.ts';
import { addNoise, applyGuidance, cfgBatch, cfgContext, ddimInvertStep, ddimStep, ddimTimesteps, inversionPairs, NoiseSchedule, predictX0, sampleTimesteps } from './index.ts';

const s = NoiseSchedule.sd();
const randn = (n: number, seed: string) => new Prng(seed).fillNormal(new Float32Array(n), 1);
const maxAbs = (a: Float32Array, b: Float32Array) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);

describe('noise schedule', () => {
  it('matches SD 1.x scaled_linear values', () => {
    expect(s.betas[0]).toBeCloseTo(0.00085, 10);
    expect(s.betas[999]).toBeCloseTo(0.012, 10);
    // Known SD values: ᾱ_999 ≈ 0.0047, ᾱ_0 = 0.99915.
    expect(s.alphasCumprod[0]).toBeCloseTo(0.99915, 6);
    expect(s.alphasCumprod[999]).toBeGreaterThan(0.0045);
    expect(s.alphasCumprod[999]).toBeLessThan(0.0049);
    for (let t = 1; t < 1000; t++) expect(s.alphasCumprod[t]).toBeLessThan(s.alphasCumprod[t - 1]);
    expect(s.alphaBar(-1)).toBe(s.alphasCumprod[0]);
    expect(() => s.alphaBar(1000)).toThrow(RangeError);
  });
});

describe('DDPM', () => {
  it('adds noise with √ᾱ and √(1−ᾱ) per sample', () => {
    const x0 = Float32Array.of(1, 2, 3, 4), eps = Float32Array.of(-1, 0, 1, 2);
    const out = addNoise(s, x0, eps, [0, 999], 2);
    const a0 = s.alphasCumprod[0], a1 = s.alphasCumprod[999];
    expect(out[1]).toBeCloseTo(Math.sqrt(a0) * 2, 6);
    expect(out[3]).toBeCloseTo(Math.sqrt(a1) * 4 + Math.sqrt(1 - a1) * 2, 6);
    expect(() => addNoise(s, x0, eps, [0], 2)).toThrow();
  });
  it('samples integer timesteps covering the range', () => {
    const t = sampleTimesteps(new Prng(1), 2000, 1000);
    expect(Math.min(...t)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...t)).toBeLessThanOrEqual(999);
    expect(new Set(t).size).toBeGreaterThan(800);
  });
});

describe('DDIM', () => {
  it('uses SD leading timesteps', () => {
    const ts = ddimTimesteps(50);
    expect(ts[0]).toBe(981);
    expect(ts[1]).toBe(961);
    expect(ts[49]).toBe(1);
    expect(ddimTimesteps(25)[0]).toBe(961);
    expect(inversionPairs([41, 21, 1])).toEqual([[-1, 1], [1, 21], [21, 41]]);
  });

  // An "exact" ε-model for a single data point x*: ε(x, t) = (x − √ᾱ_t x*) / √(1 − ᾱ_t).
  const xStar = randn(64, 'x*');
  const exactEps = (x: Float32Array, t: number) => {
    const ab = s.alphaBar(t);
    return x.map((v, i) => (v - Math.sqrt(ab) * xStar[i]) / Math.sqrt(1 - ab));
  };

  it('deterministic sampling with the exact ε reaches the data point from any start', () => {
    const ts = ddimTimesteps(10);
    let x: Float32Array = randn(64, "start");
    ts.forEach((t, i) => { x = ddimStep(s, exactEps(x, t), t, ts[i + 1] ?? -1, x); });
    // The last step lands on ᾱ₀ (not 1): x = √ᾱ₀ x* + √(1−ᾱ₀) ε, with ε at most a few units.
    expect(maxAbs(predictX0(exactEps(x, 0), x, s.alphaBar(0)), xStar)).toBeLessThan(1e-4);
    expect(maxAbs(x, xStar)).toBeLessThan(0.15);
  });

  it('inversion then sampling is the identity (exact ε, and any ε fixed per step)', () => {
    const ts = ddimTimesteps(25);
    const x0 = xStar;
    let z: Float32Array = Float32Array.from(x0);
    const used: Float32Array[] = [];
    for (const [tPrev, t] of inversionPairs(ts)) {
      const e = exactEps(z, t);
      used.push(e);
      z = ddimInvertStep(s, e, tPrev, t, z);
    }
    // Sampling with the ε the inversion used (as a cached-ε replay does) undoes it exactly.
    let x: Float32Array = Float32Array.from(z);
    ts.forEach((t, i) => { x = ddimStep(s, used[used.length - 1 - i], t, ts[i + 1] ?? -1, x); });
    expect(maxAbs(x, x0)).toBeLessThan(1e-4);
    // Sampling with the exact model again (ε re-evaluated at the sampled latents) returns to x0's
    // trajectory: the final latent sits at ᾱ₀, whose x̂₀ is x0.
    let y: Float32Array = Float32Array.from(z);
    ts.forEach((t, i) => { y = ddimStep(s, exactEps(y, t), t, ts[i + 1] ?? -1, y); });
    expect(maxAbs(predictX0(exactEps(y, 0), y, s.alphaBar(0)), x0)).toBeLessThan(1e-3);
  });

  it('η > 0 adds the scheduled noise and requires it', () => {
    const x = randn(16, 'x'), eps = randn(16, 'e'), noise = randn(16, 'n');
    expect(() => ddimStep(s, eps, 501, 481, x, { eta: 1 })).toThrow(/noise/);
    const det = ddimStep(s, eps, 501, 481, x);
    const sto = ddimStep(s, eps, 501, 481, x, { eta: 1, noise });
    const zero = ddimStep(s, eps, 501, 481, x, { eta: 1, noise: new Float32Array(16) });
    expect(maxAbs(det, sto)).toBeGreaterThan(1e-3);
    // With zero noise, η only shrinks the direction term: different from η = 0, same from the noise side.
    const ab = s.alphaBar(501), abp = s.alphaBar(481);
    const sigma = Math.sqrt((1 - abp) / (1 - ab)) * Math.sqrt(1 - ab / abp);
    for (let i = 0; i < 16; i++) expect(sto[i] - zero[i]).toBeCloseTo(sigma * noise[i], 5);
  });
});

describe('CFG', () => {
  it('mixes halves with the guidance weight', () => {
    const pred = Float32Array.of(1, 2, 3, 5);
    expect([...applyGuidance(pred, 1)]).toEqual([3, 5]);
    expect([...applyGuidance(pred, 0)]).toEqual([1, 2]);
    expect([...applyGuidance(pred, 7.5)]).toEqual([1 + 7.5 * 2, 2 + 7.5 * 3]);
    expect([...cfgBatch(Float32Array.of(1, 2))]).toEqual([1, 2, 1, 2]);
    expect([...cfgContext(Float32Array.of(0, 0), Float32Array.of(1, 2))]).toEqual([0, 0, 1, 2]);
  });
});
