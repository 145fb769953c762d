import { describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-node';
import { GraphBuilder } from './builder.ts';
import { encodeModel } from './encode.ts';
import { decodeModel } from './decode.ts';
import { inferShapes } from './infer.ts';
import { add, relu } from './ops/elementwise.ts';
import { matmul } from './ops/matmul.ts';
import { reduceMean } from './ops/reduce.ts';
import { reshape, transpose } from './ops/shape.ts';

describe('GraphBuilder', () => {
  it('builds a scoped MLP that onnxruntime runs, with inferred shapes', async () => {
    const b = new GraphBuilder('mlp');
    const x = b.input('x', 'float32', ['batch', 2, 3]);
    const h = b.scope('blocks.0', () => b.scope('fc', () => {
      const w = b.param('weight', { dims: [3, 4], values: Float32Array.from([1, 0, 0, -1, 0, 1, 0, -1, 0, 0, 1, -1]) });
      const bias = b.param('bias', { dims: [4], values: Float32Array.from([0, 0, 0, 0.5]) });
      return relu(b, add(b, matmul(b, x, w), bias));
    }));
    expect(h.shape).toEqual(['batch', 2, 4]);
    const t = transpose(b, reshape(b, h, [0, 8]), [1, 0]);
    expect(t.shape).toEqual([8, 'batch']);
    b.output(reduceMean(b, h, [-1], false), 'y');
    const model = b.build();
    expect([...model.graph.initializers.keys()]).toContain('blocks.0.fc.weight');
    expect(model.graph.nodes.some((n) => n.name.startsWith('blocks.0.fc/MatMul'))).toBe(true);
    expect(inferShapes(model).get('y')?.shape).toEqual(['batch', 2]);

    const bytes = encodeModel(model);
    expect(decodeModel(bytes).graph.nodes.length).toBe(model.graph.nodes.length);
    const s = await ort.InferenceSession.create(bytes);
    const out = await s.run({ x: new ort.Tensor('float32', Float32Array.from([1, 2, 3, -1, -2, -3]), [1, 2, 3]) });
    // row 1: [1,2,3,-6+0.5] relu -> [1,2,3,0] mean 1.5; row 2: [0,0,0,6.5] -> 1.625
    expect([...(out.y.data as Float32Array)]).toEqual([1.5, 1.625]);
    await s.release();
  });

  it('rejects duplicate names and foreign values', () => {
    const b = new GraphBuilder('g');
    b.input('x', 'float32', [2]);
    expect(() => b.input('x', 'float32', [2])).toThrow(/already used/);
    expect(() => b.op('Relu', [{ name: 'nope', dtype: 'float32' }])).toThrow(/not a value of this graph/);
    expect(() => new GraphBuilder('old', { opset: 13 })).toThrow(/opset/);
  });

  it('continues an existing model with GraphBuilder.from, keeping folded shape math', () => {
    const b = new GraphBuilder('g');
    const x = b.input('x', 'float32', [2, 6]);
    const s = b.op('Shape', [x])[0];
    const r = b.op('Reshape', [x, b.op('Concat', [b.ints([3]), b.op('Gather', [s, b.ints([0])])[0]], { axis: 0 })[0]])[0];
    expect(r.shape).toEqual([3, 2]);
    b.output(r, 'r');
    const c = GraphBuilder.from(b.build());
    expect(c.value('r').shape).toEqual([3, 2]);
    const y = c.op('Shape', [c.value('r')])[0];
    expect(y.name).not.toBe('Shape'); // the original graph's Shape node keeps its name
    expect(c.consts.get(y.name)?.values).toEqual([3, 2]);
  });
});

describe('float16 constants', () => {
  it('encodes IEEE half bits (normal, subnormal, rounding, overflow)', async () => {
    const { toHalfBits } = await import('./builder.ts');
    expect(toHalfBits(1)).toBe(0x3c00);
    expect(toHalfBits(-2)).toBe(0xc000);
    expect(toHalfBits(0.5)).toBe(0x3800);
    expect(toHalfBits(65504)).toBe(0x7bff);
    expect(toHalfBits(1e6)).toBe(0x7c00);
    expect(toHalfBits(2 ** -24)).toBe(0x0001);
    expect(toHalfBits(1 + 2 ** -11)).toBe(0x3c00); // tie → even
    expect(toHalfBits(1 + 3 * 2 ** -11)).toBe(0x3c02);
    expect(toHalfBits(0)).toBe(0);
  });

  it('differentiates a float16 graph on onnxruntime-node', async () => {
    const { grad } = await import('./autodiff.ts');
    const b = new GraphBuilder('h');
    const x = b.input('x', 'float16', [3]);
    b.output(b.op('ReduceSum', [b.op('Mul', [b.op('Tanh', [x])[0], b.constant([2], [], 'float16')])[0]], { keepdims: 0 })[0], 'loss');
    const s = await ort.InferenceSession.create(encodeModel(grad(b.build(), { loss: 'loss', wrt: ['x'] })));
    const out = await s.run({ x: new ort.Tensor('float16', Uint16Array.from([0, 0x3c00, 0xbc00]), [3]) });
    const g = out.x_grad.data as Uint16Array;
    // d(2·tanh x)/dx = 2(1 − tanh²x): 2 at 0, 0.8399 at ±1 (half: 0x3ab8 ≈ 0.8398)
    expect(g[0]).toBe(0x4000);
    expect(Math.abs(g[1] - 0x3ab8)).toBeLessThanOrEqual(2);
    expect(g[2]).toBe(g[1]);
    await s.release();
  });
});
