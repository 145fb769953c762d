import { describe, expect, it } from 'vitest';
import { type ItemOutcomes, pickThreshold, policyPoint, thresholdPoint } from './threshold.ts';

// Two layers (L = 2): score/flops index 0 = exit after layer 0, 1 = after layer 1, 2 = no exit.
const item = (score: number[], pExit: number[]): ItemOutcomes => ({ score, flops: [10, 20, 30], pExit });
// An "easy" item is right whenever it exits; a "hard" one only without an early exit. The gate is sure about the easy ones.
const easy = item([1, 1, 1], [0.9, 0.95]);
const hard = item([0, 1, 1], [0.3, 0.6]);

describe('gate threshold replay and choice (validation split)', () => {
  it('replays the gate policy: first layer with p > t, gate FLOPs for every layer consulted', () => {
    const p = thresholdPoint([easy, hard], 0.5, 1);
    // easy exits at 0 (10 + 1 gate), hard at 1 (20 + 2 gates).
    expect(p).toMatchObject({ accuracy: 1, flops: (11 + 22) / 2, exitRate: 1, meanExitLayer: 0.5 });
    const never = thresholdPoint([easy, hard], 0.99, 1);
    expect(never).toMatchObject({ accuracy: 1, flops: 32, exitRate: 0, meanExitLayer: null });
    expect(thresholdPoint([easy, hard], 0.2, 1).accuracy).toBe(0.5); // both exit after layer 0: the hard one fails
    expect(policyPoint([easy, hard], 0)).toEqual({ accuracy: 0.5, flops: 10 });
  });

  it('takes the cheapest threshold that keeps no-exit accuracy and beats every fixed layer that costs no more', () => {
    const c = pickThreshold([easy, hard, hard], 1, { thresholds: [0.2, 0.5, 0.7, 0.99] });
    expect(c.met).toBe(true);
    expect(c.threshold).toBe(0.5);
    expect(c.chosen.flops).toBeLessThan(c.noExit.flops);
    expect(c.sweep.map((p) => p.threshold)).toEqual([0.2, 0.5, 0.7, 0.99]);
  });

  it('falls back to the reference 0.5 when no threshold meets the rule', () => {
    // The gate is confidently wrong: it wants to exit early on items that need the image.
    const wrong = item([0, 0, 1], [0.99, 0.99]);
    const c = pickThreshold([wrong, wrong], 1, { thresholds: [0.5, 0.9] });
    expect(c.met).toBe(false);
    expect(c.threshold).toBe(0.5);
  });
});
