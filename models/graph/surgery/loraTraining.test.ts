import { describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-node';
import type { Model } from '../ir.ts';
import { encodeModel } from '../encode.ts';
import { grad } from '../autodiff.ts';
import { Editor } from './graphTools.ts';
import { injectLora } from './injectLora.ts';
import { buildTrainStep } from '../optim/trainStep.ts';
import { nextName } from '../optim/names.ts';

const wave = (n: number, off: number, k = 1) => Float32Array.from({ length: n }, (_, i) => k * Math.sin(1.7 * i + off));

/** y = x W (W frozen, an initializer); loss = mean((y − target)²). */
function regression(): Model {
  const m: Model = {
    opset: 17, irVersion: 8, producer: 'test', metadata: {},
    graph: {
      name: 'reg', nodes: [], valueInfo: new Map(),
      inputs: [{ name: 'x', dtype: 'float32', shape: [8, 4] }, { name: 'target', dtype: 'float32', shape: [8, 3] }],
      outputs: [{ name: 'loss', dtype: 'float32', shape: [] }],
      initializers: new Map([['proj.weight', { name: 'proj.weight', dtype: 'float32', dims: [4, 3], values: wave(12, 0) }]]),
    },
  };
  const ed = new Editor(m.graph);
  const r = ed.op1('Sub', [ed.op1('MatMul', ['x', 'proj.weight'], {}, 'y'), 'target']);
  ed.op1('ReduceMean', [ed.op1('Mul', [r, r])], { keepdims: { kind: 'int', value: 0 } }, 'loss');
  return m;
}

describe('LoRA + autodiff + optimizer', () => {
  it('trains only the adapter of a frozen weight to fit a rank-1 change', async () => {
    const { model, slots, defaults } = injectLora(regression(), { match: 'proj.weight', rank: 1 });
    const s = slots[0];
    const g = grad(model, { loss: 'loss', wrt: [s.down, s.up] });
    const step = buildTrainStep(g, { loss: 'loss', params: [s.down, s.up], optimizer: { kind: 'adam' }, schedule: { kind: 'constant', lr: 0.05 } });
    expect(step.batchInputs.sort()).toEqual(['proj.weight.lora_scale', 'target', 'x']);
    const session = await ort.InferenceSession.create(encodeModel(step.model));

    // Target: x (W + u vᵀ), a rank-1 change the adapter can represent.
    const x = wave(32, 1), W = wave(12, 0), u = [0.5, -0.3, 0.2, 0.4], v = [0.6, -0.2, 0.3];
    const target = new Float32Array(24);
    for (let i = 0; i < 8; i++) for (let j = 0; j < 3; j++) {
      let acc = 0;
      for (let k = 0; k < 4; k++) acc += x[i * 4 + k] * (W[k * 3 + j] + u[k] * v[j]);
      target[i * 3 + j] = acc;
    }
    const feeds: Record<string, ort.Tensor> = {
      x: new ort.Tensor('float32', x, [8, 4]), target: new ort.Tensor('float32', target, [8, 3]),
      [s.scale]: new ort.Tensor('float32', new Float32Array([1]), []),
    };
    for (const [k, t] of step.initial) feeds[k] = new ort.Tensor('float32', Float32Array.from(t.values as Float32Array), t.dims);
    // Usual LoRA init: down random, up zero (both zero would have zero gradient).
    feeds[s.up] = new ort.Tensor('float32', Float32Array.from(defaults.get(s.up)!.values as Float32Array), [1, 3]);
    feeds[s.down] = new ort.Tensor('float32', wave(4, 3, 0.1), [4, 1]);
    const losses: number[] = [];
    for (let i = 0; i < 150; i++) {
      const out = await session.run(feeds);
      losses.push((out.loss.data as Float32Array)[0]);
      for (const c of step.carried) feeds[c] = out[nextName(c)];
    }
    await session.release();
    expect(losses[0]).toBeGreaterThan(0.05);
    expect(losses[losses.length - 1]).toBeLessThan(1e-3 * losses[0]);
    expect(model.graph.initializers.get('proj.weight')!.values).toEqual(W); // the base weight stays frozen
  });
});
