import { describe, expect, it } from 'vitest';
import { GraphBuilder } from './builder.ts';
import { inferShapes } from './infer.ts';
import { grad } from './autodiff.ts';
import { gradCheck, randU } from './check/gradCheck.ts';
import { mul } from './ops/elementwise.ts';
import { reduceSum } from './ops/reduce.ts';
import { slice, transpose } from './ops/shape.ts';

/** The shape math a PyTorch export emits for x.view(b, t, heads, -1) with a dynamic batch. */
function exportedReshape() {
  const b = new GraphBuilder('exported');
  const x = b.input('x', 'float32', ['batch', 4, 6]);
  const shape = b.op('Shape', [x])[0];
  const batch = b.op('Unsqueeze', [b.op('Gather', [shape, b.constant([0], [], 'int64')])[0], b.ints([0])])[0];
  const tokens = b.op('Unsqueeze', [b.op('Gather', [shape, b.constant([1], [], 'int64')])[0], b.ints([0])])[0];
  const target = b.op('Concat', [batch, tokens, b.ints([2]), b.ints([-1])], { axis: 0 })[0];
  const r = b.op('Reshape', [x, target])[0];
  return { b, x, r };
}

describe('inferShapes', () => {
  it('infers broadcasting, MatMul, Conv and Reduce shapes with symbolic dims', () => {
    const b = new GraphBuilder('g');
    const x = b.input('x', 'float32', ['n', 3, 8, 8]);
    const w = b.param('w', { dims: [4, 3, 3, 3], values: new Float32Array(108) });
    const c = b.op('Conv', [x, w], { strides: [2, 2], pads: [1, 1, 1, 1] })[0];
    expect(c.shape).toEqual(['n', 4, 4, 4]);
    const m = b.op('MatMul', [c, b.param('m', { dims: [4, 5], values: new Float32Array(20) })])[0];
    expect(m.shape).toEqual(['n', 4, 4, 5]);
    expect(b.op('Add', [m, b.input('y', 'float32', [4, 1, 1])])[0].shape).toEqual(['n', 4, 4, 5]);
    expect(reduceSum(b, m, [1, -1], false).shape).toEqual(['n', 4]);
    b.output(m, 'mm');
    expect(inferShapes(b.build()).get('mm')?.shape).toEqual(['n', 4, 4, 5]);
  });

  it('tracks partly symbolic shape tensors through Shape → Gather → Unsqueeze → Concat → Reshape', () => {
    const { r } = exportedReshape();
    expect(r.shape).toEqual(['batch', 4, 2, 3]);
  });

  it('differentiates an exported-style graph with a dynamic batch (Slice needs the static dim)', async () => {
    const { b, r } = exportedReshape();
    const t = transpose(b, r, [0, 2, 1, 3]); // [batch, 2, 4, 3]
    const s = slice(b, t, [1], [3], [2]); // tokens 1..2
    b.output(mul(b, s, s), 'out');
    const model = b.build();
    expect(() => grad({ ...model, graph: { ...model.graph, outputs: [] } }, { loss: 'out', wrt: ['x'] })).toThrow(/scalar/);
    const res = await gradCheck(model, { wrt: ['x'], feeds: { x: randU([3, 4, 6], 4) }, samples: 10 });
    expect(res.maxRelErr, JSON.stringify(res.worst)).toBeLessThan(1e-3);
  });
});

describe('shape math of exported graphs', () => {
  it('folds Shape(x)[-1] / 2 with a dynamic batch into a constant, so a chunking Slice is differentiable', async () => {
    const b = new GraphBuilder('geglu');
    const x = b.input('x', 'float32', ['batch', 3, 8]);
    const last = b.op('Gather', [b.op('Shape', [x])[0], b.ints([2])])[0];
    const half = b.op('Div', [last, b.ints([2])])[0];
    expect(b.consts.get(half.name)?.values).toEqual([4]);
    const a = b.op('Slice', [x, b.ints([0]), half, b.ints([2])])[0];
    const g = b.op('Slice', [x, half, b.ints([2 ** 31]), b.ints([2])])[0];
    expect(a.shape).toEqual(['batch', 3, 4]);
    b.output(b.op('Mul', [a, b.op('Erf', [g])[0]])[0], 'out');
    const r = await gradCheck(b.build(), { wrt: ['x'], feeds: { x: randU([2, 3, 8], 5) }, samples: 10 });
    expect(r.maxRelErr, JSON.stringify(r.worst)).toBeLessThan(1e-3);
  });

  it('takes Resize sizes from partly symbolic shape math (upsample ×2 with a dynamic batch)', () => {
    const b = new GraphBuilder('up');
    const x = b.input('x', 'float32', ['batch', 4, 3, 5]);
    const hw = b.op('Mul', [b.op('Slice', [b.op('Shape', [x])[0], b.ints([2]), b.ints([4])])[0], b.ints([2])])[0];
    const sizes = b.op('Concat', [b.op('Slice', [b.op('Shape', [x])[0], b.ints([0]), b.ints([2])])[0], hw], { axis: 0 })[0];
    const y = b.op('Resize', [x, undefined, undefined, sizes], { mode: 'nearest' })[0];
    expect(y.shape).toEqual(['batch', 4, 6, 10]);
  });
});
