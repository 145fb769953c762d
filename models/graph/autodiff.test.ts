import { describe, expect, it } from 'vitest';
import { GraphBuilder } from './builder.ts';
import { grad, gradName } from './autodiff.ts';
import { gradCheck, randU, runModel, withProbeLoss } from './check/gradCheck.ts';
import { decodeModel } from './decode.ts';
import { encodeModel } from './encode.ts';
import { tinyVit } from './fixtures/tinyVit.ts';
import { add, mul } from './ops/elementwise.ts';
import { matmul } from './ops/matmul.ts';
import { reduceSum } from './ops/reduce.ts';
import { reshape } from './ops/shape.ts';

const f32 = (dims: number[], v: number[]) => ({ dims, data: Float32Array.from(v) });

/** loss = sum((x·w1) * w2) + sum(w3²): w3 never meets x. */
function model() {
  const b = new GraphBuilder('m');
  const x = b.input('x', 'float32', [2, 2]);
  const w1 = b.param('w1', { dims: [2, 2], values: Float32Array.from([1, 2, 3, 4]) });
  const w2 = b.param('w2', { dims: [2], values: Float32Array.from([0.5, -1]) });
  const w3 = b.param('w3', { dims: [1], values: Float32Array.from([3]) });
  const y = mul(b, matmul(b, x, w1), w2);
  b.output(add(b, reduceSum(b, y, [], false), reduceSum(b, mul(b, w3, w3), [], false)), 'loss');
  return b.build();
}

describe('grad()', () => {
  it('computes analytic gradients, keeps the forward outputs, and names outputs gradName(wrt)', async () => {
    const g = grad(model(), { loss: 'loss', wrt: ['w1', 'w2', 'w3', 'x'] });
    expect(g.graph.outputs.map((o) => o.name)).toEqual(['loss', 'w1_grad', 'w2_grad', 'w3_grad', 'x_grad']);
    const out = await runModel(g, { x: f32([2, 2], [1, 0, 2, 1]) }, ['loss', 'w1_grad', 'w2_grad', 'w3_grad', 'x_grad']);
    // x·w1 = [[1,2],[5,8]]; loss = 0.5*6 - 1*10 + 9 = 2
    expect(out.loss.data[0]).toBeCloseTo(2, 5);
    // dL/dw1 = xᵀ·(ones·diag(w2)) = [[1*0.5+2*0.5, -1-2], [0+0.5, 0-1]]
    expect([...(out.w1_grad.data as Float32Array)]).toEqual([1.5, -3, 0.5, -1]);
    expect([...(out.w2_grad.data as Float32Array)]).toEqual([6, 10]);
    expect([...(out.w3_grad.data as Float32Array)]).toEqual([6]);
    // dL/dx = (ones·diag(w2))·w1ᵀ = [0.5*1-1*2, 0.5*3-1*4] per row
    expect([...(out.x_grad.data as Float32Array)]).toEqual([-1.5, -2.5, -1.5, -2.5]);
  });

  it('prunes backward work not needed for the requested wrt', () => {
    const g = grad(model(), { loss: 'loss', wrt: ['w3'] });
    const back = g.graph.nodes.filter((n) => n.name.startsWith('grad/'));
    expect(back.length).toBeGreaterThan(0);
    expect(back.some((n) => n.op === 'MatMul' || n.inputs.includes('w1') || n.inputs.includes('x'))).toBe(false);
  });

  it('paramsAsInputs turns wrt initializers into graph inputs; seed scales the gradient', async () => {
    const g = grad(model(), { loss: 'loss', wrt: ['w3'], paramsAsInputs: true, seed: 'dL' });
    expect(g.graph.initializers.has('w3')).toBe(false);
    expect(g.graph.inputs.map((i) => i.name)).toEqual(['x', 'dL', 'w3']);
    const out = await runModel(g, { x: f32([2, 2], [0, 0, 0, 0]), w3: f32([1], [-2]), dL: f32([], [0.5]) }, ['w3_grad']);
    expect([...(out.w3_grad.data as Float32Array)]).toEqual([-2]);
  });

  it('gives zeros for a wrt entry with no path to the loss', async () => {
    const b = new GraphBuilder('m');
    const x = b.input('x', 'float32', [3]);
    b.input('unused', 'float32', [2]);
    b.output(reduceSum(b, mul(b, x, x), [], false), 'loss');
    const out = await runModel(grad(b.build(), { loss: 'loss', wrt: ['unused', 'x'] }), { x: f32([3], [1, 2, 3]), unused: f32([2], [5, 5]) }, ['unused_grad', 'x_grad']);
    expect([...(out.unused_grad.data as Float32Array)]).toEqual([0, 0]);
    expect([...(out.x_grad.data as Float32Array)]).toEqual([2, 4, 6]);
  });

  it('lets shape computations (Shape, Gather, Concat, ConstantOfShape) pass through without rules', async () => {
    const b = new GraphBuilder('m');
    const x = b.input('x', 'float32', ['n', 4]);
    const s = b.op('Shape', [x])[0];
    const n = b.op('Gather', [s, b.ints([0])])[0];
    const target = b.op('Concat', [n, b.ints([2, 2])], { axis: 0 })[0];
    const ones = b.op('ConstantOfShape', [target], { value: { tensor: { name: '', dtype: 'float32', dims: [1], values: Float32Array.from([2]) } } })[0];
    b.output(reduceSum(b, mul(b, reshape(b, x, target), ones), [], false), 'loss');
    const out = await runModel(grad(b.build(), { loss: 'loss', wrt: ['x'] }), { x: f32([1, 4], [1, 2, 3, 4]) }, ['x_grad']);
    expect([...(out.x_grad.data as Float32Array)]).toEqual([2, 2, 2, 2]);
  });

  it('differentiates a model read back from ONNX bytes exactly like the built one', async () => {
    const { model, params, config: c } = tinyVit();
    const probe = withProbeLoss(model, 'logits', [2, c.classes], 2).model;
    const read = decodeModel(encodeModel(probe));
    const wrt = [params[0], params[params.length - 1], 'pixels'];
    const feeds = { pixels: randU([2, c.channels, c.image, c.image], 3) };
    const a = await runModel(grad(probe, { loss: 'gc_loss', wrt }), feeds, wrt.map(gradName));
    const r = await runModel(grad(read, { loss: 'gc_loss', wrt }), feeds, wrt.map(gradName));
    for (const k of wrt.map(gradName)) expect([...(r[k].data as Float32Array)]).toEqual([...(a[k].data as Float32Array)]);
  });

  it('is closed under differentiation: a gradient penalty on the tiny ViT differentiates again', async () => {
    const { model, params } = tinyVit();
    const g = grad(withProbeLoss(model, 'logits', [2, 3], 1).model, { loss: 'gc_loss', wrt: ['pixels'] });
    const b = GraphBuilder.from(g);
    const gx = b.value(gradName('pixels'));
    b.outputs.length = 0;
    b.output(b.op('ReduceSum', [b.op('Mul', [gx, gx])[0]], { keepdims: 0 })[0], 'penalty'); // ‖∂L/∂pixels‖²
    const wrt = [params[0], 'blocks.0.mlp.fc1.weight', 'blocks.0.norm1.weight'];
    const r = await gradCheck(b.build(), { wrt, feeds: { pixels: randU([2, 3, 8, 8], 3) }, samples: 4 });
    expect(r.maxRelErr, JSON.stringify(r.worst)).toBeLessThan(1e-3);
  });

  it('accepts nodes listed out of dependency order', async () => {
    const m = model();
    const shuffled = { ...m, graph: { ...m.graph, nodes: [...m.graph.nodes].reverse() } };
    const out = await runModel(grad(shuffled, { loss: 'loss', wrt: ['w2'] }), { x: f32([2, 2], [1, 0, 2, 1]) }, ['w2_grad']);
    expect([...(out.w2_grad.data as Float32Array)]).toEqual([6, 10]);
  });

  it('fails with a message naming the op and the node for ops without a rule', () => {
    const b = new GraphBuilder('m');
    const x = b.input('x', 'float32', [5]);
    const [v] = b.scope('head', () => b.op('Hardmax', [x], { axis: 0 }));
    b.output(reduceSum(b, mul(b, v, x), [], false), 'loss');
    expect(() => grad(b.build(), { loss: 'loss', wrt: ['x'] })).toThrow(/autodiff: no gradient rule for op 'Hardmax' \(node 'head\/Hardmax'\)/);
  });

  it('rejects a non-scalar loss and unknown wrt names', () => {
    const b = new GraphBuilder('m');
    const x = b.input('x', 'float32', [3]);
    b.output(mul(b, x, x), 'y');
    const m = b.build();
    expect(() => grad(m, { loss: 'y', wrt: ['x'] })).toThrow(/scalar/);
    expect(() => grad(m, { loss: 'nope', wrt: ['x'] })).toThrow(/not a value/);
    b.output(reduceSum(b, x, [], false), 's');
    expect(() => grad(b.build(), { loss: 's', wrt: ['zz'] })).toThrow(/neither a graph input nor an initializer/);
    expect(gradName('a.b')).toBe('a.b_grad');
  });
});
