import { describe, expect, it } from 'vitest';
import { GraphBuilder, type Value } from '../builder.ts';
import { gradCheck, randU } from '../check/gradCheck.ts';
import { mul } from './elementwise.ts';
import * as S from './shape.ts';

const check = async (shapes: number[][], f: (b: GraphBuilder, xs: Value[]) => Value) => {
  const b = new GraphBuilder('t');
  const xs = shapes.map((s, i) => b.input(`in${i}`, 'float32', s));
  b.output(f(b, xs), 'out');
  const feeds = Object.fromEntries(shapes.map((s, i) => [`in${i}`, randU(s, 21 + i)]));
  const r = await gradCheck(b.build(), { wrt: xs.map((x) => x.name), feeds, samples: 8 });
  expect(r.maxRelErr, JSON.stringify(r.worst)).toBeLessThan(1e-3);
  expect(r.fp32Islands).toEqual([]);
};

describe('movement-op VJPs vs finite differences', () => {
  it('Reshape with 0 and -1', () => check([[2, 3, 4]], (b, [x]) => S.reshape(b, x, [0, -1])));
  it('Flatten', () => check([[2, 3, 2]], (b, [x]) => S.flatten(b, x, 1)));
  it('Transpose perm [2,0,1]', () => check([[2, 3, 4]], (b, [x]) => S.transpose(b, x, [2, 0, 1])));
  it('Squeeze / Unsqueeze', () => check([[2, 1, 3]], (b, [x]) => S.unsqueeze(b, S.squeeze(b, x, [1]), [0, 3])));
  it('Concat axis 1 of three inputs (one used twice)', () => check([[2, 1], [2, 3], [2, 2]], (b, [x, y, z]) => S.concat(b, [x, y, z, x], 1)));
  it('Slice with negative start, axes, clamp', () => check([[3, 5, 4]], (b, [x]) => S.slice(b, x, [1, -3], [100, 4], [1, 2])));
  it('Slice with steps 2 and -1 (reverse) on two axes', () => check([[5, 4, 3]], (b, [x]) => S.slice(b, x, [1, -1], [5, -100], [0, 1], [2, -1])));
  it('Slice with step 3 from a negative start and step -2', () => check([[2, 7]], (b, [x]) => S.slice(b, S.slice(b, x, [-6], [7], [1], [3]), [1], [-10], [1], [-2])));
  it('Split into uneven parts, one unused', () => check([[2, 6]], (b, [x]) => {
    const [p, , r] = S.split(b, x, [1, 3, 2], 1);
    return S.concat(b, [mul(b, p, p), r], 1);
  }));
  it('Expand [3,1] -> [2,3,4]', () => check([[3, 1]], (b, [x]) => S.expand(b, x, [2, 3, 4])));
  it('Tile [2,3] x [2,1]', () => check([[2, 3]], (b, [x]) => S.tile(b, x, [2, 1])));
  it('Pad constant', () => check([[2, 3]], (b, [x]) => S.pad(b, x, [1, 0, 0, 2], 0.5)));
});
