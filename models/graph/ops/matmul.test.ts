import { describe, expect, it } from 'vitest';
import { GraphBuilder, type Value } from '../builder.ts';
import { gradCheck, randU } from '../check/gradCheck.ts';
import { einsum, gemm, matmul, parseEinsum } from './matmul.ts';

const check = async (shapes: number[][], f: (b: GraphBuilder, xs: Value[]) => Value) => {
  const b = new GraphBuilder('t');
  const xs = shapes.map((s, i) => b.input(`in${i}`, 'float32', s));
  b.output(f(b, xs), 'out');
  const feeds = Object.fromEntries(shapes.map((s, i) => [`in${i}`, randU(s, 5 + i)]));
  const r = await gradCheck(b.build(), { wrt: xs.map((x) => x.name), feeds, samples: 6 });
  expect(r.maxRelErr, JSON.stringify(r.worst)).toBeLessThan(1e-3);
  expect(r.fp32Islands).toEqual([]);
};

describe('MatMul / Gemm VJPs vs finite differences', () => {
  it('2-D', () => check([[3, 4], [4, 2]], (b, [x, y]) => matmul(b, x, y)));
  it('batched 4-D attention-style [2,2,3,4]·[2,2,4,3]', () => check([[2, 2, 3, 4], [2, 2, 4, 3]], (b, [x, y]) => matmul(b, x, y)));
  it('broadcast batch [2,1,3,4]·[3,4,2]', () => check([[2, 1, 3, 4], [3, 4, 2]], (b, [x, y]) => matmul(b, x, y)));
  it('weight shared over batch [2,3,4]·[4,5]', () => check([[2, 3, 4], [4, 5]], (b, [x, y]) => matmul(b, x, y)));
  it('1-D left operand [4]·[2,4,3]', () => check([[4], [2, 4, 3]], (b, [x, y]) => matmul(b, x, y)));
  it('1-D right operand [2,3,4]·[4]', () => check([[2, 3, 4], [4]], (b, [x, y]) => matmul(b, x, y)));
  for (const [tA, tB] of [[0, 0], [1, 0], [0, 1], [1, 1]]) {
    it(`Gemm transA=${tA} transB=${tB} alpha/beta, C broadcast`, () => check(
      [tA ? [4, 3] : [3, 4], tB ? [2, 4] : [4, 2], [2]],
      (b, [a, w, c]) => gemm(b, a, w, c, { alpha: 0.7, beta: 1.3, transA: tA, transB: tB }),
    ));
  }
  it('Einsum attention scores bhqd,bhkd->bhqk', () => check([[2, 2, 3, 4], [2, 2, 5, 4]], (b, [q, k]) => einsum(b, 'bhqd,bhkd->bhqk', [q, k])));
  it('Einsum with a subscript summed inside one operand (ij,jk->k) and three operands', () =>
    check([[3, 4], [4, 2], [2]], (b, [p, q, r]) => einsum(b, 'ij, jk, k -> k', [p, q, r])));
  it('Einsum implicit output', () => {
    expect(parseEinsum('ij,jk')).toEqual({ ins: ['ij', 'jk'], out: 'ik' });
    return check([[2, 3], [3, 4]], (b, [p, q]) => einsum(b, 'ij,jk', [p, q]));
  });
});
