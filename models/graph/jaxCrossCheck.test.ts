/**
 * Independent cross-check: gradients of the tiny ViT and tiny UNet block from our ONNX
 * gradient graphs (onnxruntime-node) against @jax-js/jax `grad` through @jax-js/onnx's
 * interpreter of the same forward graph (wasm backend in Node).
 */
import { describe, expect, it } from 'vitest';
import { init, grad as jaxGrad, numpy as np } from '@jax-js/jax';
import { ONNXModel } from '@jax-js/onnx';
import type { Model } from './ir.ts';
import { encodeModel } from './encode.ts';
import { grad, gradName } from './autodiff.ts';
import { type Feed, liftParams, randU, runModel, withProbeLoss } from './check/gradCheck.ts';
import { tinyVit } from './fixtures/tinyVit.ts';
import { tinyUnetBlock } from './fixtures/tinyUnetBlock.ts';

async function crossCheck(model: Model, params: string[], inputs: Record<string, Feed>, output: string) {
  await init('wasm');
  const lifted = liftParams(model, params);
  const feeds: Record<string, Feed> = { ...inputs };
  for (const p of params) {
    const t = model.graph.initializers.get(p)!;
    feeds[p] = { dims: [...t.dims], data: Float32Array.from(t.values as Float32Array) };
  }
  const wrt = [...params, ...Object.keys(inputs)];
  const outDims = (await runModel(lifted, feeds, [output]))[output].dims;
  const { model: probe, R } = withProbeLoss(lifted, output, outDims, 5);
  const ours = await runModel(grad(probe, { loss: 'gc_loss', wrt }), feeds, wrt.map(gradName));

  const jm = new ONNXModel(encodeModel(lifted) as Uint8Array<ArrayBuffer>);
  try {
    const Rj = np.array(Float32Array.from(R), { shape: outDims });
    const loss = (xs: Record<string, np.Array>) => {
      const out = jm.run(xs)[output];
      return np.sum(np.multiply(out, Rj.ref));
    };
    const args = Object.fromEntries(wrt.map((k) => [k, np.array(feeds[k].data as Float32Array, { shape: feeds[k].dims })]));
    const g = jaxGrad(loss)(args) as Record<string, np.Array>;
    // Each tensor is compared on its own scale, floored at 1e-3 of the largest gradient so a
    // tensor whose true gradient is 0 (the attention key bias) is not judged on rounding noise.
    const pairs = wrt.map((k) => ({ k, theirs: g[k].dataSync() as Float32Array, mine: ours[gradName(k)].data as Float32Array }));
    const amax = (a: Float32Array) => a.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    const global = Math.max(...pairs.map((p) => amax(p.theirs)));
    let worst = 0, worstName = '';
    for (const { k, theirs, mine } of pairs) {
      expect(theirs.length).toBe(mine.length);
      const scale = Math.max(amax(theirs), 1e-3 * global);
      let diff = 0;
      for (let i = 0; i < mine.length; i++) diff = Math.max(diff, Math.abs(mine[i] - theirs[i]));
      if (diff / scale > worst) { worst = diff / scale; worstName = k; }
    }
    Rj.dispose();
    return { worst, worstName, tensors: wrt.length };
  } finally {
    jm.dispose();
  }
}

describe('gradients vs @jax-js/jax grad (independent implementation)', () => {
  it('tiny ViT: all parameters and pixels agree to 1e-4 of each tensor\'s scale', async () => {
    const { model, params, config: c } = tinyVit();
    const r = await crossCheck(model, params, { pixels: randU([2, c.channels, c.image, c.image], 81) }, 'logits');
    expect(r.tensors).toBe(params.length + 1);
    expect(r.worst, r.worstName).toBeLessThan(1e-4);
  });

  it('tiny UNet block: all parameters, sample and context agree to 1e-4 of each tensor\'s scale', async () => {
    const { model, params, config: c } = tinyUnetBlock();
    const inputs = { sample: randU([c.batch, c.channels, c.size, c.size], 82), context: randU([c.batch, c.ctxTokens, c.ctxDim], 83) };
    const r = await crossCheck(model, params, inputs, 'out');
    expect(r.worst, r.worstName).toBeLessThan(1e-4);
  });
});
