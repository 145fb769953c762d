import { describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-node';
import type { Model } from '../ir.ts';
import { encodeModel } from '../encode.ts';
import { Editor } from '../surgery/graphTools.ts';
import { buildTrainStep } from './trainStep.ts';
import { emitGlobalNorm } from './clip.ts';
import { GRAD_NORM, LR, STEP, nextName, type OptimizerSpec } from './names.ts';
import { lrAt, type Schedule } from './schedule.ts';
import { refInit, refStep } from './reference.ts';

const N = 4, K = 3, M = 2;
const wave = (n: number, off: number, k = 1) => Array.from({ length: n }, (_, i) => k * Math.sin(1.3 * i + off));
/** Four fixed batches so successive steps see different gradients. */
const batches = [0, 1, 2, 3].map((b) => ({ x: wave(N * K, b), y: wave(N * M, 10 + b, 0.7) }));
const W0 = wave(K * M, 5, 0.5);
const B0 = [0.1, -0.2];

/** Hand-written gradient graph of a linear model: loss = mean((xW + b − y)²). W is an input, b an initializer. */
function linearGradModel(): Model {
  const m: Model = {
    opset: 17, irVersion: 8, producer: 'test', metadata: {},
    graph: {
      name: 'linreg',
      inputs: [{ name: 'x', dtype: 'float32', shape: [N, K] }, { name: 'y', dtype: 'float32', shape: [N, M] }, { name: 'W', dtype: 'float32', shape: [K, M] }],
      outputs: [], initializers: new Map([['b', { name: 'b', dtype: 'float32', dims: [M], values: new Float32Array(B0) }]]), valueInfo: new Map(), nodes: [],
    },
  };
  const ed = new Editor(m.graph);
  const r = ed.op1('Sub', [ed.op1('Add', [ed.op1('MatMul', ['x', 'W']), 'b']), 'y']);
  ed.op1('ReduceMean', [ed.op1('Mul', [r, r])], { keepdims: { kind: 'int', value: 0 } }, 'loss');
  const dr = ed.op1('Mul', [r, ed.f32(2 / (N * M))]);
  ed.op1('MatMul', [ed.op1('Transpose', ['x']), dr], {}, 'W_grad');
  ed.op1('ReduceSum', [dr, ed.i64([0])], { keepdims: { kind: 'int', value: 0 } }, 'b_grad');
  m.graph.outputs = [{ name: 'loss', dtype: 'float32', shape: [] }, { name: 'W_grad', dtype: 'float32', shape: [K, M] }, { name: 'b_grad', dtype: 'float32', shape: [M] }];
  return m;
}

function refGrads(W: Float64Array, b: Float64Array, x: number[], y: number[]) {
  const gW = new Float64Array(K * M), gb = new Float64Array(M);
  let loss = 0;
  for (let i = 0; i < N; i++) for (let j = 0; j < M; j++) {
    let p = b[j];
    for (let k = 0; k < K; k++) p += x[i * K + k] * W[k * M + j];
    const r = p - y[i * M + j];
    loss += (r * r) / (N * M);
    const d = (2 * r) / (N * M);
    gb[j] += d;
    for (let k = 0; k < K; k++) gW[k * M + j] += x[i * K + k] * d;
  }
  return { loss, grads: new Map([['W', gW], ['b', gb]]) };
}

interface Case { name: string; spec: OptimizerSpec; schedule: Schedule; clipNorm?: number; decay?: string[] }
const cases: Case[] = [
  { name: 'SGD, constant lr', spec: { kind: 'sgd' }, schedule: { kind: 'constant', lr: 0.1 } },
  { name: 'SGD nesterov momentum + wd, warmup + linear decay', spec: { kind: 'sgd', momentum: 0.9, nesterov: true, weightDecay: 0.05 }, schedule: { kind: 'linear', lr: 0.2, warmup: 2, total: 6, minLr: 0.01 } },
  { name: 'SGD momentum, clipped', spec: { kind: 'sgd', momentum: 0.8 }, schedule: { kind: 'constant', lr: 0.1 }, clipNorm: 0.3 },
  { name: 'Adam, warmup + cosine, clipped', spec: { kind: 'adam', weightDecay: 0.01 }, schedule: { kind: 'cosine', lr: 0.05, warmup: 2, total: 7 }, clipNorm: 0.5 },
  { name: 'AdamW, decay on W only, cosine', spec: { kind: 'adamw', weightDecay: 0.1, beta1: 0.8, beta2: 0.95 }, schedule: { kind: 'cosine', lr: 0.05, total: 5, minLr: 0.005 }, decay: ['W'] },
];

describe('train-step graph', () => {
  it.each(cases)('$name matches the TS reference within 1e-5 over 8 steps', async (c) => {
    const ts = buildTrainStep(linearGradModel(), { loss: 'loss', params: ['W', 'b'], optimizer: c.spec, schedule: c.schedule, clipNorm: c.clipNorm, decay: c.decay });
    expect(ts.batchInputs.sort()).toEqual(['x', 'y']);
    expect(ts.carried).toEqual(['W', 'b', ...ts.state.map((s) => s.name), STEP]);
    const session = await ort.InferenceSession.create(encodeModel(ts.model));
    const feeds: Record<string, ort.Tensor> = {};
    for (const [k, t] of ts.initial) feeds[k] = new ort.Tensor('float32', t.values as Float32Array, t.dims);
    feeds.W = new ort.Tensor('float32', new Float32Array(W0), [K, M]);
    expect([...(feeds.b.data as Float32Array)]).toEqual([...new Float32Array(B0)]);

    const ref = refInit(new Map([['W', W0], ['b', B0]]));
    for (let step = 0; step < 8; step++) {
      const batch = batches[step % batches.length];
      feeds.x = new ort.Tensor('float32', new Float32Array(batch.x), [N, K]);
      feeds.y = new ort.Tensor('float32', new Float32Array(batch.y), [N, M]);
      const out = await session.run(feeds);
      const { loss, grads } = refGrads(ref.params.get('W')!, ref.params.get('b')!, batch.x, batch.y);
      const { lr, norm } = refStep(ref, grads, c.spec, c.schedule, { clipNorm: c.clipNorm, decay: c.decay ? (p) => c.decay!.includes(p) : undefined });
      expect(out.loss.data[0]).toBeCloseTo(loss, 5);
      expect(out[LR].data[0]).toBeCloseTo(lr, 6);
      expect(lr).toBeCloseTo(lrAt(c.schedule, step), 12);
      expect(out[GRAD_NORM].data[0]).toBeCloseTo(norm, 5);
      expect(out[nextName(STEP)].data[0]).toBe(step + 1);
      for (const p of ['W', 'b']) {
        const got = out[nextName(p)].data as Float32Array;
        ref.params.get(p)!.forEach((v, i) => expect(Math.abs(got[i] - v)).toBeLessThan(1e-5));
      }
      for (const s of ts.state) {
        const got = out[nextName(s.name)].data as Float32Array;
        ref.state.get(s.name)!.forEach((v, i) => expect(Math.abs(got[i] - v)).toBeLessThan(1e-5));
      }
      for (const k of ts.carried) feeds[k] = out[nextName(k)];
    }
    await session.release();
  });

  it('the global norm of 1–5 gradients is a tree of Adds (no Sum: WebGPU has no kernel for it) and equals sqrt(Σ g²)', async () => {
    for (const n of [1, 2, 3, 5]) {
      const m: Model = {
        opset: 17, irVersion: 8, producer: 'test', metadata: {},
        graph: { name: 'norm', inputs: Array.from({ length: n }, (_, i) => ({ name: `g${i}`, dtype: 'float32' as const, shape: [i + 1] })), outputs: [{ name: 'norm', dtype: 'float32', shape: [] }], initializers: new Map(), valueInfo: new Map(), nodes: [] },
      };
      emitGlobalNorm(new Editor(m.graph), m.graph.inputs.map((v) => v.name), 'norm');
      expect(m.graph.nodes.some((x) => x.op === 'Sum')).toBe(false);
      const feeds: Record<string, ort.Tensor> = {};
      let ss = 0;
      for (let i = 0; i < n; i++) {
        const v = Float32Array.from(wave(i + 1, i));
        v.forEach((x) => (ss += x * x));
        feeds[`g${i}`] = new ort.Tensor('float32', v, [i + 1]);
      }
      const s = await ort.InferenceSession.create(encodeModel(m));
      expect((await s.run(feeds)).norm.data[0]).toBeCloseTo(Math.sqrt(ss), 5);
      await s.release();
    }
  });

  it('clipping is active in the clipped cases (norm above the threshold)', () => {
    const { grads } = refGrads(Float64Array.from(W0), Float64Array.from(B0), batches[0].x, batches[0].y);
    const norm = Math.sqrt([...grads.values()].reduce((a, g) => a + g.reduce((s, v) => s + v * v, 0), 0));
    expect(norm).toBeGreaterThan(0.5);
  });

  it('schedules: warmup ramps, cosine/linear reach minLr at total, constant stays', () => {
    const cos: Schedule = { kind: 'cosine', lr: 1, warmup: 4, total: 14, minLr: 0.1 };
    expect([0, 1, 2, 3].map((s) => lrAt(cos, s))).toEqual([0.25, 0.5, 0.75, 1]);
    expect(lrAt(cos, 4)).toBe(1);
    expect(lrAt(cos, 9)).toBeCloseTo(0.55, 12);
    expect(lrAt(cos, 14)).toBeCloseTo(0.1, 12);
    expect(lrAt(cos, 100)).toBeCloseTo(0.1, 12);
    expect(lrAt({ kind: 'linear', lr: 1, total: 10 }, 5)).toBeCloseTo(0.5, 12);
    expect(lrAt({ kind: 'constant', lr: 0.3 }, 1000)).toBe(0.3);
  });

  it('names the missing gradient when the graph lacks one', () => {
    expect(() => buildTrainStep(linearGradModel(), { loss: 'loss', params: ['W', 'x'], optimizer: { kind: 'sgd' }, schedule: { kind: 'constant', lr: 1 } }))
      .toThrow(/no output 'x_grad'/);
  });
});
