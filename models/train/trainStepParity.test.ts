import { describe, expect, it } from 'vitest';
import { encodeModel } from '../graph/encode.ts';
import { createNodeRuntime } from '../runtime/backends/nodeCpu.ts';
import { createNodeWasmRuntime } from '../runtime/backends/nodeWasm.ts';
import type { Runtime, Tensor } from '../runtime/Runtime.ts';
import { vitDefaults, type VitConfig } from '../zoo/vit.ts';
import { vitTrainStep } from './vitTask.ts';
import { SyntheticImages } from './syntheticImages.ts';
import { GRAD_NORM, LR, nextName } from '../graph/optim/names.ts';

const cfg: VitConfig = { ...vitDefaults, imageSize: 8, patchSize: 4, width: 8, layers: 1, heads: 2, headDim: 3 };

/** Three steps of the same train-step graph; returns per-step scalars and the final head weight. */
async function train(rt: Runtime) {
  const { step } = vitTrainStep(cfg, 4, { optimizer: { kind: 'adamw', weightDecay: 0.1 }, schedule: { kind: 'cosine', lr: 1e-2, warmup: 1, total: 3 }, clipNorm: 0.5 });
  const s = await rt.createSession(encodeModel(step.model));
  const data = new SyntheticImages({ size: 12, classes: 3, channels: 3, imageSize: 8, seed: 'parity' });
  const feeds: Record<string, Tensor> = {};
  for (const [k, t] of step.initial) feeds[k] = rt.tensor('float32', Float32Array.from(t.values as Float32Array), t.dims);
  const scalars: number[][] = [];
  for (let i = 0; i < 3; i++) {
    const b = data.collate([4 * i, 4 * i + 1, 4 * i + 2, 4 * i + 3]);
    feeds.pixel_values = rt.tensor('float32', b.pixel_values.data as Float32Array, b.pixel_values.dims);
    feeds.labels = rt.tensor('float32', b.labels.data as Float32Array, b.labels.dims);
    const out = await s.run(feeds);
    scalars.push(await Promise.all([step.loss, LR, GRAD_NORM].map(async (k) => (await rt.read(out[k]))[0] as number)));
    for (const c of step.carried) feeds[c] = out[nextName(c)];
  }
  const head = Float32Array.from((await rt.read(feeds['head.weight'])) as Float32Array);
  await s.dispose();
  return { scalars, head };
}

describe('train-step graph parity', () => {
  it('onnxruntime-node and onnxruntime-web wasm agree on loss, lr, grad norm and updated params (1e-4)', async () => {
    const cpu = await createNodeRuntime();
    const wasm = await createNodeWasmRuntime();
    try {
      const a = await train(cpu);
      const b = await train(wasm);
      a.scalars.flat().forEach((v, i) => expect(Math.abs(v - b.scalars.flat()[i])).toBeLessThan(1e-4));
      a.head.forEach((v, i) => expect(Math.abs(v - b.head[i])).toBeLessThan(1e-4));
      expect(a.scalars[2][0]).not.toBe(a.scalars[0][0]); // the params did move
    } finally {
      await cpu.dispose();
      await wasm.dispose();
    }
  });
});
