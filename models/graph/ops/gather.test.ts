import { describe, expect, it } from 'vitest';
import { GraphBuilder } from '../builder.ts';
import { gradCheck, randU } from '../check/gradCheck.ts';
import { gather, gatherElements } from './gather.ts';

describe('Gather / GatherElements VJPs vs finite differences', () => {
  it('embedding lookup (axis 0) with repeated and negative ids', async () => {
    const b = new GraphBuilder('t');
    const ids = b.input('ids', 'int64', [2, 3]);
    const emb = b.param('emb', { dims: [5, 4], values: randU([5, 4], 1).data as Float32Array });
    b.output(gather(b, emb, ids), 'out');
    const feeds = { ids: { dims: [2, 3], data: BigInt64Array.from([0n, 3n, 3n, -1n, 2n, 0n]) } };
    const r = await gradCheck(b.build(), { wrt: ['emb'], feeds, samples: 20 });
    expect(r.maxRelErr, JSON.stringify(r.worst)).toBeLessThan(1e-3);
    expect(r.fp32Islands).toEqual([]);
  });

  it('token pick on axis 1 with a scalar index (class token pooling), symbolic batch', async () => {
    const b = new GraphBuilder('t');
    const x = b.input('x', 'float32', ['n', 3, 4]);
    b.output(gather(b, x, b.constant([0], [], 'int64'), 1), 'out');
    const r = await gradCheck(b.build(), { wrt: ['x'], feeds: { x: randU([2, 3, 4], 2) }, samples: 12 });
    expect(r.maxRelErr, JSON.stringify(r.worst)).toBeLessThan(1e-3);
    expect(r.fp32Islands).toEqual([]);
  });

  it('GatherElements on axis 1', async () => {
    const b = new GraphBuilder('t');
    const x = b.input('x', 'float32', [2, 4, 3]);
    const idx = b.constant([0, 3, 3, 1, 2, 0, 2, 2, 1, 0, 0, 3, 1, 1, 2, 3, 0, 1], [2, 3, 3], 'int64');
    b.output(gatherElements(b, x, idx, 1), 'out');
    const r = await gradCheck(b.build(), { wrt: ['x'], feeds: { x: randU([2, 4, 3], 3) }, samples: 12 });
    expect(r.maxRelErr, JSON.stringify(r.worst)).toBeLessThan(1e-3);
    expect(r.fp32Islands).toEqual([]);
  });

  it('TopK values (k=2 of 5 on the last axis) route the gradient to the selected entries', async () => {
    const b = new GraphBuilder('t');
    const x = b.input('x', 'float32', [3, 5]);
    const [v] = b.op('TopK', [x, b.ints([2])], { axis: -1 }, 2);
    b.output(b.op('Mul', [v, v])[0], 'out');
    const data = Float32Array.from({ length: 15 }, (_, i) => ((i * 7) % 15) / 15 - 0.5); // distinct: no ties
    const r = await gradCheck(b.build(), { wrt: ['x'], feeds: { x: { dims: [3, 5], data } }, samples: 15, eps: 1e-3 });
    expect(r.maxRelErr, JSON.stringify(r.worst)).toBeLessThan(1e-3);
    expect(r.fp32Islands).toEqual([]);
  });
});
