/**
 * Backend parity in Node: the same gradient graphs on onnxruntime-node (CPU EP) and on
 * onnxruntime-web's wasm build must agree within 1e-4 (the WebGPU half is e2e/parity.spec.ts).
 */
import { describe, expect, it } from 'vitest';
import * as ortn from 'onnxruntime-node';
import * as ortw from 'onnxruntime-web';
import { makeParityCase, type ParityFeed } from './fixtures/parityGraph.ts';
import { tinyVit } from './fixtures/tinyVit.ts';
import { grad, gradName } from './autodiff.ts';
import { encodeModel } from './encode.ts';
import { randU, withProbeLoss } from './check/gradCheck.ts';

type Feeds = Record<string, { dims: number[]; data: Float32Array }>;

async function runBoth(model: Uint8Array, feeds: Feeds, fetch: string[]) {
  ortw.env.wasm.numThreads = 1;
  const sn = await ortn.InferenceSession.create(model);
  const sw = await ortw.InferenceSession.create(model, { executionProviders: ['wasm'] });
  try {
    const on = await sn.run(Object.fromEntries(Object.entries(feeds).map(([k, f]) => [k, new ortn.Tensor('float32', f.data, f.dims)])), fetch);
    const ow = await sw.run(Object.fromEntries(Object.entries(feeds).map(([k, f]) => [k, new ortw.Tensor('float32', f.data, f.dims)])), fetch);
    return fetch.map((k) => ({ name: k, node: on[k].data as Float32Array, wasm: ow[k].data as Float32Array }));
  } finally {
    await sn.release();
    await sw.release();
  }
}

const maxDiff = (a: Float32Array, b: Float32Array) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);

describe('gradient graphs: onnxruntime-node vs onnxruntime-web wasm', () => {
  it('the parity fixture (MLP + LayerNorm + Softmax cross-entropy, all grads) agrees within 1e-4', async () => {
    const c = makeParityCase();
    const feeds: Feeds = Object.fromEntries(Object.entries(c.feeds).map(([k, f]: [string, ParityFeed]) => [k, { dims: f.dims, data: Float32Array.from(f.data) }]));
    expect(c.fetch).toContain('fc1.weight_grad');
    const res = await runBoth(c.model, feeds, c.fetch);
    for (const r of res) {
      expect(r.node.length).toBe(r.wasm.length);
      expect(maxDiff(r.node, r.wasm), r.name).toBeLessThan(1e-4);
    }
    // non-trivial: gradients are not all zero
    expect(Math.max(...res.find((r) => r.name === 'x_grad')!.node.map(Math.abs))).toBeGreaterThan(1e-3);
  });

  it('the tiny ViT gradient graph (Conv, attention, Gather pooling) agrees within 1e-4', async () => {
    const { model, params, config: c } = tinyVit();
    const { model: probe } = withProbeLoss(model, 'logits', [2, c.classes], 3);
    const g = grad(probe, { loss: 'gc_loss', wrt: [...params, 'pixels'] });
    const fetch = ['gc_loss', ...params.map(gradName), gradName('pixels')];
    const res = await runBoth(encodeModel(g), { pixels: randU([2, c.channels, c.image, c.image], 9) as { dims: number[]; data: Float32Array } }, fetch);
    for (const r of res) expect(maxDiff(r.node, r.wasm), r.name).toBeLessThan(1e-4);
  });
});
