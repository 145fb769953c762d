import { describe, expect, it } from 'vitest';
import { GraphBuilder } from '../builder.ts';
import { gradCheck, randU } from '../check/gradCheck.ts';
import { type PoolOpts, averagePool, maxPool } from './pool.ts';

async function check(dims: number[], k: number[], o: PoolOpts) {
  const b = new GraphBuilder('t');
  const x = b.input('x', 'float32', dims);
  b.output(averagePool(b, x, k, o), 'out');
  const r = await gradCheck(b.build(), { wrt: ['x'], feeds: { x: randU(dims, 51) }, samples: 12 });
  expect(r.maxRelErr, JSON.stringify(r.worst)).toBeLessThan(1e-3);
  expect(r.fp32Islands).toEqual([]);
}

describe('AveragePool VJP vs finite differences', () => {
  it('2x2 stride 2', () => check([2, 3, 4, 4], [2, 2], { strides: [2, 2] }));
  it('3x3 stride 2 pads 1, pads excluded from the count, odd size', () => check([1, 2, 5, 6], [3, 3], { strides: [2, 2], pads: [1, 1, 1, 1] }));
  it('3x3 stride 1 pads 1, pads counted', () => check([1, 2, 4, 4], [3, 3], { pads: [1, 1, 1, 1], countIncludePad: true }));
});

/** Distinct values (a permutation of a grid), so no window has tied maxima and ±2h never swaps them. */
const spaced = (dims: number[]) => {
  const n = dims.reduce((p, q) => p * q, 1);
  return { dims, data: Float32Array.from({ length: n }, (_, i) => ((i * 37) % n) * (2 / n) - 1) };
};

async function checkMax(dims: number[], k: number[], o: { strides?: number[]; pads?: number[]; dilations?: number[] }) {
  const b = new GraphBuilder('t');
  const x = b.input('x', 'float32', dims);
  b.output(maxPool(b, x, k, o), 'out');
  const r = await gradCheck(b.build(), { wrt: ['x'], feeds: { x: spaced(dims) }, samples: 16, eps: 1e-3 });
  expect(r.maxRelErr, JSON.stringify(r.worst)).toBeLessThan(1e-3);
  expect(r.fp32Islands).toEqual([]);
}

describe('MaxPool VJP vs finite differences', () => {
  it('2x2 stride 2', () => checkMax([1, 2, 4, 4], [2, 2], { strides: [2, 2] }));
  it('3x3 stride 2 pads 1 (overlapping windows), odd size', () => checkMax([2, 1, 5, 6], [3, 3], { strides: [2, 2], pads: [1, 1, 1, 1] }));
  it('2x2 dilation 2 stride 1', () => checkMax([1, 1, 5, 5], [2, 2], { dilations: [2, 2] }));
});
