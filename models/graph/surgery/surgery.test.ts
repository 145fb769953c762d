import { describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-node';
import type { Model, Node, TensorData } from '../ir.ts';
import { encodeModel } from '../encode.ts';
import { exposeOutputs } from './exposeOutputs.ts';
import { cutGraph } from './cutGraph.ts';
import { feedTensor } from './feedTensor.ts';
import { constantFold } from './constantFold.ts';
import { evaluateWithOrtNode } from './evaluateOrt.ts';
import { eliminateDeadNodes } from './eliminateDeadNodes.ts';
import { injectLora } from './injectLora.ts';

const t32 = (name: string, dims: number[], values: number[]): TensorData => ({ name, dtype: 'float32', dims, values: new Float32Array(values) });
const seq = (n: number, k = 0.1, off = 0) => Array.from({ length: n }, (_, i) => Math.sin(i * 1.7 + off) * k * 10);
const node = (name: string, op: string, inputs: string[], outputs: string[], attrs: Node['attrs'] = {}): Node => ({ name, op, inputs, outputs, attrs });

/** x[2,4] → blocks.0: MatMul W1[4,3], Relu → blocks.1: MatMul W2[3,3], Add b → y; plus a dead branch. */
function mlp(): Model {
  return {
    opset: 17, irVersion: 8, producer: 'test', metadata: {},
    graph: {
      name: 'mlp',
      inputs: [{ name: 'x', dtype: 'float32', shape: [2, 4] }],
      outputs: [{ name: 'y', dtype: 'float32', shape: [2, 3] }],
      initializers: new Map([
        ['blocks.0.w', t32('blocks.0.w', [4, 3], seq(12))],
        ['blocks.1.w', t32('blocks.1.w', [3, 3], seq(9, 0.1, 1))],
        ['blocks.1.b', t32('blocks.1.b', [3], [0.5, -0.25, 1])],
      ]),
      valueInfo: new Map(),
      nodes: [
        node('blocks.0/MatMul', 'MatMul', ['x', 'blocks.0.w'], ['blocks.0.mm']),
        node('blocks.0/Relu', 'Relu', ['blocks.0.mm'], ['blocks.0.out']),
        node('blocks.1/MatMul', 'MatMul', ['blocks.0.out', 'blocks.1.w'], ['blocks.1.mm']),
        node('blocks.1/Add', 'Add', ['blocks.1.mm', 'blocks.1.b'], ['y']),
        node('dead/Exp', 'Exp', ['x'], ['dead.out']),
      ],
    },
  };
}

function matmul(a: ArrayLike<number>, b: ArrayLike<number>, m: number, k: number, n: number): number[] {
  const out = new Array<number>(m * n).fill(0);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) for (let p = 0; p < k; p++) out[i * n + j] += a[i * k + p] * b[p * n + j];
  return out;
}

async function run(m: Model, feeds: Record<string, ort.Tensor>): Promise<Record<string, Float32Array>> {
  const s = await ort.InferenceSession.create(encodeModel(m));
  const out = await s.run(feeds);
  await s.release();
  return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, v.data as Float32Array]));
}

const X = new Float32Array(seq(8, 0.1, 2));
const xFeed = () => ({ x: new ort.Tensor('float32', X, [2, 4]) });
const W1 = () => mlp().graph.initializers.get('blocks.0.w')!.values as Float32Array;
const hidden = () => matmul(X, W1(), 2, 4, 3).map((v) => Math.max(0, v));

describe('surgery', () => {
  it('exposes inner tensors by RegExp with their dtype, and the values are the inner activations', async () => {
    const m = exposeOutputs(mlp(), /^blocks\.0\.(mm|out)$/);
    expect(m.graph.outputs.map((o) => o.name)).toEqual(['y', 'blocks.0.mm', 'blocks.0.out']);
    expect(m.graph.outputs[2]).toEqual({ name: 'blocks.0.out', dtype: 'float32', shape: [2, 3] }); // from shape inference
    expect(mlp().graph.outputs).toHaveLength(1); // argument untouched
    const out = await run(m, xFeed());
    [...out['blocks.0.out']].forEach((v, i) => expect(v).toBeCloseTo(hidden()[i], 5));
    expect(() => exposeOutputs(mlp(), 'nope')).toThrow(/no tensor named 'nope'/);
  });

  it('cuts a layer range into its own graph whose inputs are the crossing tensors', async () => {
    const full = await run(mlp(), xFeed());
    const cut = cutGraph(mlp(), { layers: 'blocks', from: 1, to: 1 });
    expect(cut.graph.inputs).toEqual([{ name: 'blocks.0.out', dtype: 'float32', shape: [2, 3] }]);
    expect(cut.graph.outputs.map((o) => o.name)).toEqual(['y']);
    expect([...cut.graph.initializers.keys()].sort()).toEqual(['blocks.1.b', 'blocks.1.w']);
    const out = await run(cut, { 'blocks.0.out': new ort.Tensor('float32', new Float32Array(hidden()), [2, 3]) });
    [...out.y].forEach((v, i) => expect(v).toBeCloseTo(full.y[i], 5));
    const first = cutGraph(mlp(), { from: 'blocks.0/MatMul', to: 'blocks.0/Relu' });
    expect(first.graph.outputs.map((o) => o.name)).toEqual(['blocks.0.out']);
    const h = await run(first, xFeed());
    [...h['blocks.0.out']].forEach((v, i) => expect(v).toBeCloseTo(hidden()[i], 5));
  });

  it('feeds embeddings where input_ids + Gather were', async () => {
    const emb = t32('emb', [5, 4], seq(20, 0.1, 3));
    const base: Model = {
      opset: 17, irVersion: 8, producer: 'test', metadata: {},
      graph: {
        name: 'text', inputs: [{ name: 'input_ids', dtype: 'int64', shape: [1, 3] }],
        outputs: [{ name: 'y', dtype: 'float32', shape: [1, 3, 3] }],
        initializers: new Map([['emb', emb], ['w', t32('w', [4, 3], seq(12))]]), valueInfo: new Map(),
        nodes: [node('embed/Gather', 'Gather', ['emb', 'input_ids'], ['tok']), node('proj/MatMul', 'MatMul', ['tok', 'w'], ['y'])],
      },
    };
    const ids = [4, 0, 2];
    const ref = await run(base, { input_ids: new ort.Tensor('int64', BigInt64Array.from(ids.map(BigInt)), [1, 3]) });
    const fed = feedTensor(base, 'tok', { as: 'inputs_embeds' });
    expect(fed.graph.inputs).toEqual([{ name: 'inputs_embeds', dtype: 'float32', shape: [1, 3, 4] }]);
    expect(fed.graph.nodes.map((n) => n.op)).toEqual(['MatMul']);
    expect(fed.graph.initializers.has('emb')).toBe(false);
    const rows = new Float32Array(ids.flatMap((i) => [...(emb.values as Float32Array).subarray(i * 4, i * 4 + 4)]));
    const out = await run(fed, { inputs_embeds: new ort.Tensor('float32', rows, [1, 3, 4]) });
    [...out.y].forEach((v, i) => expect(v).toBeCloseTo(ref.y[i], 5));
  });

  it('folds constant subgraphs (Constant, Shape of static tensors, arithmetic) and keeps results', async () => {
    const m = mlp();
    const g = m.graph;
    g.initializers.set('a', t32('a', [3], [1, 2, 3]));
    g.nodes.push(
      node('c/Constant', 'Constant', [], ['c.k'], { value: { kind: 'tensor', value: t32('', [3], [0.5, 0.5, 2]) } }),
      node('c/Mul', 'Mul', ['a', 'c.k'], ['c.scale']),
      node('c/Sqrt', 'Sqrt', ['c.scale'], ['c.root']),
      node('c/Shape', 'Shape', ['x'], ['c.shape']),
      node('y2/Mul', 'Mul', ['y', 'c.root'], ['y2.mul']),
      node('y2/Reshape', 'Reshape', ['y2.mul', 'c.shape2'], ['y2']),
      node('c/Slice', 'Slice', ['c.shape', 'c.starts', 'c.ends'], ['c.rows']),
      node('c/Concat', 'Concat', ['c.rows', 'c.three'], ['c.shape2'], { axis: { kind: 'int', value: 0 } }),
    );
    g.initializers.set('c.starts', { name: 'c.starts', dtype: 'int64', dims: [1], values: BigInt64Array.from([0n]) });
    g.initializers.set('c.ends', { name: 'c.ends', dtype: 'int64', dims: [1], values: BigInt64Array.from([1n]) });
    g.initializers.set('c.three', { name: 'c.three', dtype: 'int64', dims: [1], values: BigInt64Array.from([3n]) });
    g.outputs.push({ name: 'y2', dtype: 'float32', shape: [2, 3] });
    const before = await run(m, xFeed());
    const evaluatedOps: string[] = [];
    const { model: f, folded } = await constantFold(m, {
      evaluate: (sub) => { evaluatedOps.push(...sub.graph.nodes.map((n) => n.op)); return evaluateWithOrtNode(sub); },
    });
    // Shape math is folded in JS (from shape inference); only float arithmetic needs the runtime.
    for (const op of ['Shape', 'Slice', 'Concat', 'Constant']) expect(evaluatedOps).not.toContain(op);
    expect(folded).toEqual(expect.arrayContaining(['c.k', 'c.shape', 'c.root', 'c.shape2']));
    const ops = f.graph.nodes.map((n) => n.op);
    for (const op of ['Constant', 'Shape', 'Sqrt', 'Concat', 'Slice']) expect(ops).not.toContain(op);
    expect([...(f.graph.initializers.get('c.root')!.values as Float32Array)].map((v) => +v.toFixed(5))).toEqual([0.70711, 1, 2.44949]);
    expect(f.graph.initializers.has('a')).toBe(false); // only read by folded nodes
    const after = await run(f, xFeed());
    [...after.y2].forEach((v, i) => expect(v).toBeCloseTo(before.y2[i], 5));
  });

  it('eliminates dead nodes and unused initializers but keeps inputs unless asked', () => {
    const m = mlp();
    m.graph.initializers.set('unused', t32('unused', [1], [0]));
    const d = eliminateDeadNodes(m);
    expect(d.graph.nodes.map((n) => n.name)).not.toContain('dead/Exp');
    expect(d.graph.nodes).toHaveLength(4);
    expect(d.graph.initializers.has('unused')).toBe(false);
    m.graph.inputs.push({ name: 'spare', dtype: 'float32', shape: [1] });
    expect(eliminateDeadNodes(m).graph.inputs).toHaveLength(2);
    expect(eliminateDeadNodes(m, { pruneInputs: true }).graph.inputs.map((i) => i.name)).toEqual(['x']);
  });

  it('injects LoRA slots that default to the base model and apply scale·(xA)B when fed', async () => {
    const { model: lm, slots, defaults } = injectLora(mlp(), { match: /^blocks\.0\.w$/, rank: 2 });
    expect(slots).toEqual([{ weight: 'blocks.0.w', down: 'blocks.0.w.lora_down', up: 'blocks.0.w.lora_up', scale: 'blocks.0.w.lora_scale', inFeatures: 4, outFeatures: 3 }]);
    const base = await run(exposeOutputs(mlp(), 'blocks.0.mm'), xFeed());
    const zero = Object.fromEntries([...defaults].map(([k, t]) => [k, new ort.Tensor('float32', t.values as Float32Array, t.dims)]));
    expect(Object.keys(zero).sort()).toEqual(['blocks.0.w.lora_down', 'blocks.0.w.lora_scale', 'blocks.0.w.lora_up']);
    const dflt = await run(exposeOutputs(lm, 'blocks.0.mm'), { ...xFeed(), ...zero });
    [...dflt.y].forEach((v, i) => expect(v).toBeCloseTo(base.y[i], 6));
    const A = new Float32Array(seq(8, 0.05, 4));
    const B = new Float32Array(seq(6, 0.05, 5));
    const fed = await run(exposeOutputs(lm, 'blocks.0.mm'), {
      ...xFeed(),
      'blocks.0.w.lora_down': new ort.Tensor('float32', A, [4, 2]),
      'blocks.0.w.lora_up': new ort.Tensor('float32', B, [2, 3]),
      'blocks.0.w.lora_scale': new ort.Tensor('float32', new Float32Array([0.75]), []),
    });
    const delta = matmul(matmul(X, A, 2, 4, 2), B, 2, 2, 3);
    [...fed['blocks.0.mm']].forEach((v, i) => expect(v).toBeCloseTo(base['blocks.0.mm'][i] + 0.75 * delta[i], 5));
    expect(() => injectLora(mlp(), { match: /nothing/, rank: 2 })).toThrow(/no MatMul\/Gemm weight/);
  });

  it('injects LoRA into Gemm with transB and alpha', async () => {
    const m: Model = {
      opset: 17, irVersion: 8, producer: 'test', metadata: {},
      graph: {
        name: 'gemm', inputs: [{ name: 'x', dtype: 'float32', shape: [2, 4] }], outputs: [{ name: 'y', dtype: 'float32', shape: [2, 3] }],
        initializers: new Map([['fc.weight', t32('fc.weight', [3, 4], seq(12))], ['fc.bias', t32('fc.bias', [3], [1, 2, 3])]]), valueInfo: new Map(),
        nodes: [node('fc/Gemm', 'Gemm', ['x', 'fc.weight', 'fc.bias'], ['y'], { transB: { kind: 'int', value: 1 }, alpha: { kind: 'float', value: 2 } })],
      },
    };
    const base = await run(m, xFeed());
    const { model: lm } = injectLora(m, { match: 'fc.weight', rank: 1 });
    const A = new Float32Array([0.1, -0.2, 0.3, 0.4]);
    const B = new Float32Array([1, 0.5, -1]);
    const out = await run(lm, { ...xFeed(), 'fc.weight.lora_down': new ort.Tensor('float32', A, [4, 1]), 'fc.weight.lora_up': new ort.Tensor('float32', B, [1, 3]),
      'fc.weight.lora_scale': new ort.Tensor('float32', new Float32Array([1]), []),
    });
    const delta = matmul(matmul(X, A, 2, 4, 1), B, 2, 1, 3);
    [...out.y].forEach((v, i) => expect(v).toBeCloseTo(base.y[i] + 2 * delta[i], 5));
  });
});
