import { describe, expect, it } from 'vitest';
import { GraphBuilder, type Value } from '../builder.ts';
import { gradCheck, randU } from '../check/gradCheck.ts';
import { reduceMax, reduceMean, reduceSum } from './reduce.ts';
import { globalAveragePool } from './pool.ts';

/** Distinct values spaced 2/n apart (a permutation), so ±2h probes never swap a maximum. */
const spaced = (dims: number[]) => {
  const n = dims.reduce((p, q) => p * q, 1);
  return { dims, data: Float32Array.from({ length: n }, (_, i) => ((i * 7) % n) * (2 / n) - 1) };
};

const check = async (shape: (number | string)[], dims: number[], f: (b: GraphBuilder, x: Value) => Value, opset = 17, kinked = false) => {
  const b = new GraphBuilder('t', { opset });
  const x = b.input('x', 'float32', shape);
  b.output(f(b, x), 'out');
  const feeds = { x: kinked ? spaced(dims) : randU(dims, 3) };
  const r = await gradCheck(b.build(), { wrt: ['x'], feeds, samples: 8, eps: kinked ? 5e-3 : undefined });
  expect(r.maxRelErr, JSON.stringify(r.worst)).toBeLessThan(1e-3);
  expect(r.fp32Islands).toEqual([]);
};

describe('Reduce* VJPs vs finite differences', () => {
  it('ReduceSum axes [1] keepdims=0', () => check([2, 3, 4], [2, 3, 4], (b, x) => reduceSum(b, x, [1], false)));
  it('ReduceSum all axes', () => check([2, 3], [2, 3], (b, x) => reduceSum(b, x, [], false)));
  it('ReduceMean axes [-1] keepdims=1', () => check([2, 3, 4], [2, 3, 4], (b, x) => reduceMean(b, x, [-1])));
  it('ReduceMean axes [0,2] keepdims=0, symbolic batch', () => check(['n', 3, 4], [2, 3, 4], (b, x) => reduceMean(b, x, [0, 2], false)));
  it('ReduceMax axes [1] keepdims=0', () => check([3, 5], [3, 5], (b, x) => reduceMax(b, x, [1], false), 17, true));
  it('ReduceMean / ReduceMax with opset 18 axes inputs', () => check([2, 3, 4], [2, 3, 4], (b, x) => b.op('Add', [reduceMean(b, x, [1], false), reduceMax(b, x, [1], false)])[0], 18, true));
  it('ReduceL2 axes [-1]', () => check([3, 4], [3, 4], (b, x) => b.op('ReduceL2', [x], { axes: [-1], keepdims: 0 })[0]));
  it('ReduceSumSquare axes [0] keepdims', () => check([3, 4], [3, 4], (b, x) => b.op('ReduceSumSquare', [x], { axes: [0], keepdims: 1 })[0]));
  it('GlobalAveragePool', () => check([2, 3, 2, 3], [2, 3, 2, 3], (b, x) => globalAveragePool(b, x)));
});
