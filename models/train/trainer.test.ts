import { describe, expect, it } from 'vitest';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { vitDefaults, type VitConfig } from '../zoo/vit.ts';
import { nextName } from '../graph/optim/names.ts';
import { ArrayDataset, DataLoader } from './DataLoader.ts';
import { SyntheticImages } from './syntheticImages.ts';
import { vitTrainStep } from './vitTask.ts';
import { Trainer, type StepRecord } from './Trainer.ts';
import { loadCheckpoint, parseCheckpoint } from './checkpoint.ts';
import { createProgress } from './progress.ts';

const cfg: VitConfig = { ...vitDefaults, imageSize: 8, patchSize: 4, width: 16, layers: 2, heads: 2, headDim: 4 };
const data = () => new SyntheticImages({ size: 40, classes: 4, channels: 3, imageSize: 8, noise: 0.5, seed: 3 });
const task = () => vitTrainStep(cfg, 8, { optimizer: { kind: 'adamw', weightDecay: 0.01 }, schedule: { kind: 'cosine', lr: 3e-3, warmup: 3, total: 16 }, clipNorm: 1 });

async function withDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'atelier-train-'));
  try { return await fn(dir); } finally { await rm(dir, { recursive: true, force: true }); }
}

describe('DataLoader', () => {
  const ds = new ArrayDataset({ x: { data: Float32Array.from({ length: 10 }, (_, i) => i), sampleDims: [1] } });
  it('draws seeded per-epoch permutations in full batches', () => {
    const a = new DataLoader(ds, { batchSize: 3, seed: 5 });
    const epoch0 = [a.nextIndices(), a.nextIndices(), a.nextIndices()].flat();
    expect(new Set(epoch0).size).toBe(9);
    const epoch1 = [a.nextIndices(), a.nextIndices(), a.nextIndices()].flat();
    expect(a.epoch).toBe(1);
    expect(epoch1).not.toEqual(epoch0);
    const b = new DataLoader(ds, { batchSize: 3, seed: 5 });
    expect([b.nextIndices(), b.nextIndices(), b.nextIndices()].flat()).toEqual(epoch0);
    expect(new DataLoader(ds, { batchSize: 3, seed: 6 }).nextIndices()).not.toEqual(epoch0.slice(0, 3));
    expect([...a.next().x.data]).toHaveLength(3);
  });

  it('restores its exact position from state()', () => {
    const a = new DataLoader(ds, { batchSize: 4, seed: 'x' });
    for (let i = 0; i < 5; i++) a.nextIndices();
    const s = a.state();
    const rest = [a.nextIndices(), a.nextIndices(), a.nextIndices()];
    const b = new DataLoader(ds, { batchSize: 4, seed: 'other' });
    b.restore(s);
    expect([b.nextIndices(), b.nextIndices(), b.nextIndices()]).toEqual(rest);
  });
});

describe('Trainer', () => {
  it('learns the synthetic task (loss falls) and calls eval and step hooks', async () => {
    const { step } = task();
    const evals: number[] = [];
    const t = await Trainer.create({ graph: step, loader: new DataLoader(data(), { batchSize: 8, seed: 1 }), threads: 1, evalEvery: 5, onEval: (_t, s) => { evals.push(s); } });
    const recs = await t.run(16);
    await t.dispose();
    expect(recs).toHaveLength(16);
    expect(evals).toEqual([5, 10, 15, 16]);
    const mean = (r: StepRecord[]) => r.reduce((a, x) => a + x.loss, 0) / r.length;
    expect(mean(recs.slice(-4))).toBeLessThan(0.6 * mean(recs.slice(0, 4)));
    expect(recs[0].lr).toBeCloseTo(1e-3, 6);
  });

  it('interrupted + resumed from a checkpoint reproduces the uninterrupted loss curve', async () => {
    await withDir(async (dir) => {
      const N = 12;
      const { step } = task();
      const full = await Trainer.create({ graph: step, loader: new DataLoader(data(), { batchSize: 8, seed: 9 }), threads: 1 });
      const ref = await full.run(N);
      const refParams = full.value('head.weight').slice();
      await full.dispose();

      // First half: abort after step N/2; the trainer checkpoints and stops.
      const path = join(dir, 'ck', 'vit.ckpt.onnx');
      const stop = new AbortController();
      const a = await Trainer.create({
        graph: step, loader: new DataLoader(data(), { batchSize: 8, seed: 9 }), threads: 1, checkpoint: { path, every: 4 },
        onStep: (r) => { if (r.step === N / 2) stop.abort(); },
      });
      const first = await a.run(N, stop.signal);
      await a.dispose();
      expect(first).toHaveLength(N / 2);
      expect((await readdir(join(dir, 'ck')))).toEqual(['vit.ckpt.onnx']); // no temp files left behind

      // Fresh process state: new trainer, different loader seed — everything must come from the checkpoint.
      const b = await Trainer.create({ graph: step, loader: new DataLoader(data(), { batchSize: 8, seed: 1234 }), threads: 1 });
      await b.resume(path);
      expect(b.step).toBe(N / 2);
      const second = await b.run(N);
      const losses = [...first, ...second].map((r) => r.loss);
      expect(losses).toHaveLength(N);
      losses.forEach((l, i) => expect(l).toBeCloseTo(ref[i].loss, 6));
      b.value('head.weight').forEach((v, i) => expect(v).toBeCloseTo(refParams[i], 6));
      await b.dispose();
    });
  });

  it('writes checkpoints as ONNX initializers: params, optimizer state, step and loader RNG', async () => {
    await withDir(async (dir) => {
      const { step } = task();
      const path = join(dir, 'c.onnx');
      const t = await Trainer.create({ graph: step, loader: new DataLoader(data(), { batchSize: 8, seed: 2 }), threads: 1, checkpoint: { path, every: 2 }, meta: { model: 'vit-tiny' } });
      await t.run(2);
      const c = await loadCheckpoint(path);
      expect(c.meta).toMatchObject({ model: 'vit-tiny', step: '2' });
      expect(c.tensors.get('optim.step')!.values[0]).toBe(2);
      expect([...c.tensors.keys()]).toEqual(expect.arrayContaining(['head.weight', 'head.weight.m', 'head.weight.v', 'encoder.layers.1.mlp.fc2.bias']));
      expect(c.tensors.get('head.weight')!.dims).toEqual([16, 4]);
      expect(c.loader).toMatchObject({ epoch: 0, cursor: 2 });
      expect([...(c.tensors.get('head.weight.m')!.values as Float32Array)]).toEqual([...t.value('head.weight.m')]);
      await t.dispose();
      expect(step.carried.every((k) => step.model.graph.outputs.some((o) => o.name === nextName(k)))).toBe(true);
      expect(() => parseCheckpoint(new Uint8Array([1, 2, 3]))).toThrow(/not an ONNX model/);
    });
  });

  it('progress reports a samples/s rate', async () => {
    const p = createProgress(3, 10, { enabled: false });
    p.update(1, 1);
    await new Promise((r) => setTimeout(r, 20));
    p.update(2, 0.5);
    expect(p.rate).toBeGreaterThan(0);
    // Two steps of 10 samples since creation, at least 20 ms apart.
    expect(p.rate).toBeLessThanOrEqual(20 / 0.019);
    p.stop();
  });
});

describe('SyntheticImages', () => {
  it('splits of one seed share class templates but draw independent samples', () => {
    const o = { size: 8, classes: 2, channels: 1, imageSize: 4, noise: 0.1, seed: 's' };
    const a = new SyntheticImages({ ...o, split: 'train' }), b = new SyntheticImages({ ...o, split: 'heldout' });
    const xa = a.collate([0]), xb = b.collate([0]);
    expect([...xa.pixel_values.data]).not.toEqual([...xb.pixel_values.data]);
    // Same-class samples from the two splits are close (noise 0.1), different classes are not.
    const find = (d: SyntheticImages, k: number) => [...Array(8).keys()].find((i) => d.label(i) === k)!;
    const dist = (p: ArrayLike<number>, q: ArrayLike<number>) => Math.sqrt(Array.from(p).reduce((s, v, i) => s + (v - q[i]) ** 2, 0));
    for (const k of [0, 1]) {
      const pa = a.collate([find(a, k)]).pixel_values.data as Float32Array;
      const pb = b.collate([find(b, k)]).pixel_values.data as Float32Array;
      const other = b.collate([find(b, 1 - k)]).pixel_values.data as Float32Array;
      expect(dist(pa, pb)).toBeLessThan(0.5 * dist(pa, other));
    }
  });
});
