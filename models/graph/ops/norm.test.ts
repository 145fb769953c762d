import { describe, expect, it } from 'vitest';
import { GraphBuilder, type Value } from '../builder.ts';
import { gradCheck, randU } from '../check/gradCheck.ts';
import { groupNorm, layerNorm, logSoftmax, softmax } from './norm.ts';

const check = async (shapes: number[][], f: (b: GraphBuilder, xs: Value[]) => Value, wrtAll = true) => {
  const b = new GraphBuilder('t');
  const xs = shapes.map((s, i) => b.input(`in${i}`, 'float32', s));
  b.output(f(b, xs), 'out');
  const feeds = Object.fromEntries(shapes.map((s, i) => [`in${i}`, randU(s, 31 + i, -1.5, 1.5)]));
  const wrt = wrtAll ? xs.map((x) => x.name) : [xs[0].name];
  const r = await gradCheck(b.build(), { wrt, feeds, samples: 8 });
  expect(r.maxRelErr, JSON.stringify(r.worst)).toBeLessThan(1e-3);
};

describe('Softmax / LayerNorm / GroupNorm VJPs vs finite differences', () => {
  it('Softmax axis -1', () => check([[2, 3, 5]], (b, [x]) => softmax(b, x, -1)));
  it('Softmax axis 1', () => check([[2, 4, 3]], (b, [x]) => softmax(b, x, 1)));
  it('LogSoftmax', () => check([[3, 4]], (b, [x]) => logSoftmax(b, x, -1)));
  it('LayerNormalization last axis, scale and bias', () => check([[2, 3, 6], [6], [6]], (b, [x, s, c]) => layerNorm(b, x, s, c, -1, 1e-5)));
  it('LayerNormalization over the last two axes', () => check([[2, 3, 4], [3, 4], [3, 4]], (b, [x, s, c]) => layerNorm(b, x, s, c, 1, 1e-5)));
  it('GroupNorm (decomposed) with per-channel affine', () => check([[2, 4, 3, 2], [4], [4]], (b, [x, s, c]) => groupNorm(b, x, 2, s, c, 1e-5)));
});
