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
  expect(r.fp32Islands).toEqual([]);
};

describe('Softmax / LayerNorm / GroupNorm VJPs vs finite differences', () => {
  it('Softmax axis -1', () => check([[2, 3, 5]], (b, [x]) => softmax(b, x, -1)));
  it('Softmax axis 1', () => check([[2, 4, 3]], (b, [x]) => softmax(b, x, 1)));
  it('LogSoftmax', () => check([[3, 4]], (b, [x]) => logSoftmax(b, x, -1)));
  it('LayerNormalization last axis, scale and bias', () => check([[2, 3, 6], [6], [6]], (b, [x, s, c]) => layerNorm(b, x, s, c, -1, 1e-5)));
  it('LayerNormalization over the last two axes', () => check([[2, 3, 4], [3, 4], [3, 4]], (b, [x, s, c]) => layerNorm(b, x, s, c, 1, 1e-5)));
  it('GroupNorm (decomposed) with per-channel affine', () => check([[2, 4, 3, 2], [4], [4]], (b, [x, s, c]) => groupNorm(b, x, 2, s, c, 1e-5)));
});

describe('BatchNormalization (inference) VJP vs finite differences', () => {
  it('all five inputs', async () => {
    const b = new GraphBuilder('t');
    const x = b.input('x', 'float32', [2, 3, 2, 2]);
    const [s, c, m] = ['scale', 'bias', 'mean'].map((n) => b.input(n, 'float32', [3]));
    const v = b.input('var', 'float32', [3]);
    b.output(b.op('BatchNormalization', [x, s, c, m, v], { epsilon: { float: 1e-3 } })[0], 'out');
    const feeds = { x: randU([2, 3, 2, 2], 1), scale: randU([3], 2), bias: randU([3], 3), mean: randU([3], 4), var: randU([3], 5, 0.5, 1.5) };
    const r = await gradCheck(b.build(), { wrt: ['x', 'scale', 'bias', 'mean', 'var'], feeds, samples: 6 });
    expect(r.maxRelErr, JSON.stringify(r.worst)).toBeLessThan(1e-3);
    expect(r.fp32Islands).toEqual([]);
  });
});

describe('InstanceNormalization VJP (exported GroupNorm) vs finite differences', () => {
  it('PyTorch-style GroupNorm export: Reshape → InstanceNormalization → Reshape → affine', async () => {
    const b = new GraphBuilder('t');
    const x = b.input('x', 'float32', [2, 4, 3, 2]);
    const gamma = b.input('gamma', 'float32', [4, 1, 1]);
    const grouped = b.op('Reshape', [x, b.ints([2, 2, -1])])[0];
    const ones = b.input('in_scale', 'float32', [2]);
    const zeros = b.input('in_bias', 'float32', [2]);
    const n = b.op('InstanceNormalization', [grouped, ones, zeros], { epsilon: { float: 1e-5 } })[0];
    b.output(b.op('Mul', [b.op('Reshape', [n, b.ints([2, 4, 3, 2])])[0], gamma])[0], 'out');
    const feeds = { x: randU([2, 4, 3, 2], 1), gamma: randU([4, 1, 1], 2), in_scale: randU([2], 3), in_bias: randU([2], 4) };
    const r = await gradCheck(b.build(), { wrt: ['x', 'gamma', 'in_scale', 'in_bias'], feeds, samples: 8 });
    expect(r.maxRelErr, JSON.stringify(r.worst)).toBeLessThan(1e-3);
    expect(r.fp32Islands).toEqual([]);
  });
});

describe('GroupNormalization op (imported models) VJP vs finite differences', () => {
  for (const [opset, len] of [[18, 2], [21, 4]]) {
    it(`opset ${opset}: scale/bias per ${opset >= 21 ? 'channel' : 'group'}`, async () => {
      const b = new GraphBuilder('t', { opset });
      const x = b.input('x', 'float32', [2, 4, 3, 2]);
      const s = b.input('scale', 'float32', [len]);
      const c = b.input('bias', 'float32', [len]);
      b.output(b.op('GroupNormalization', [x, s, c], { num_groups: 2, epsilon: { float: 1e-5 } })[0], 'out');
      const feeds = { x: randU([2, 4, 3, 2], 1), scale: randU([len], 2), bias: randU([len], 3) };
      const r = await gradCheck(b.build(), { wrt: ['x', 'scale', 'bias'], feeds, samples: 8 });
      expect(r.maxRelErr, JSON.stringify(r.worst)).toBeLessThan(1e-3);
      expect(r.fp32Islands).toEqual([]);
    });
  }
});
