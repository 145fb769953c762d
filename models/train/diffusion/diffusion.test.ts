import { describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { grad } from '../../graph/autodiff.ts';
import { buildTrainStep } from '../../graph/optim/trainStep.ts';
import { microClipConfig } from '../../zoo/clip/config.ts';
import type { UnetConfig } from '../../zoo/unet/config.ts';
import { NoiseSchedule } from '../../zoo/unet/noiseSchedule.ts';
import { DataLoader } from '../DataLoader.ts';
import { Trainer } from '../Trainer.ts';
import { parseOptions, psnr, resumable } from './common.ts';
import { saveCheckpoint } from '../checkpoint.ts';
import { LatentDataset, UnetDataset, type UnetSamples, VaeDataset } from './datasets.ts';
import { runVaeRecipe } from './vaeRecipe.ts';
import { vaeDecoderTrainForward, vaeTrainForward } from '../../zoo/vae/vaeGraphs.ts';
import { readFile } from 'node:fs/promises';
import { unetTextTrainForward } from './unetRecipe.ts';

const L = 6;
function samples(n: number): UnetSamples {
  const per = 2 * 4 * 4;
  // Latents = a per-sample constant; captions: sample i has captions [2i, 2i+1] whose first id encodes i.
  const latents = Float32Array.from({ length: n * per }, (_, j) => (Math.floor(j / per) % 3) - 1);
  const captionIds = Int32Array.from({ length: 2 * n * L }, (_, j) => (j % L === 0 ? 10 + Math.floor(j / L) : 3));
  return { latents, latentDims: [2, 4, 4], captionIds, captionsOf: Array.from({ length: n }, (_, i) => [2 * i, 2 * i + 1]), emptyIds: new Int32Array(L).fill(1), contextLength: L };
}

describe('diffusion datasets', () => {
  it('UNet batches: x_t = √ᾱ x0 + √(1−ᾱ) ε, true captions or the empty prompt at the dropout rate, deterministic per indices', () => {
    const d = samples(40), ds = new UnetDataset(d, 's', 0.25);
    const b = ds.collate([3, 7, 11, 20]);
    expect(b.sample.dims).toEqual([4, 2, 4, 4]);
    const s = NoiseSchedule.sd(), t = b.timestep.data as Float32Array, x = b.sample.data as Float32Array, e = b.target.data as Float32Array;
    const ab = s.alphaBar(t[1]);
    expect(x[32 + 5]).toBeCloseTo(Math.sqrt(ab) * d.latents[7 * 32 + 5] + Math.sqrt(1 - ab) * e[32 + 5], 5);
    expect([...(ds.collate([3, 7, 11, 20]).sample.data as Float32Array)]).toEqual([...x]);
    let empty = 0, total = 0;
    for (let k = 0; k < 200; k++) {
      const idx = [k % 40, (k + 13) % 40];
      const ids = ds.collate(idx).input_ids.data as BigInt64Array;
      idx.forEach((i, r) => {
        const first = Number(ids[r * L]);
        total++;
        if (first === 1) empty++;
        else expect([10 + 2 * i, 11 + 2 * i]).toContain(first);
      });
    }
    expect(empty / total).toBeGreaterThan(0.15);
    expect(empty / total).toBeLessThan(0.35);
  });

  it('VAE batches carry fresh noise per batch and the chosen images', () => {
    const imgs = Float32Array.from({ length: 5 * 3 * 4 * 4 }, (_, i) => Math.floor(i / 48));
    const ds = new VaeDataset(imgs, 4, [4, 1], 'n');
    const b = ds.collate([4, 1]);
    expect((b.sample.data as Float32Array)[0]).toBe(4);
    expect((b.sample.data as Float32Array)[48]).toBe(1);
    expect([...(b.noise.data as Float32Array)]).not.toEqual([...(ds.collate([0, 2]).noise.data as Float32Array)]);
  });

  it('latent batches pair each fixed latent with its own image', () => {
    const imgs = Float32Array.from({ length: 3 * 3 * 4 * 4 }, (_, i) => Math.floor(i / 48));
    const z = Float32Array.from({ length: 3 * 4 }, (_, i) => 10 + Math.floor(i / 4));
    const b = new LatentDataset(z, imgs, 4, [4, 1]).collate([2, 0]);
    expect([...(b.latent_sample.data as Float32Array)]).toEqual([12, 12, 12, 12, 10, 10, 10, 10]);
    expect((b.sample.data as Float32Array)[48]).toBe(0);
    expect(() => new LatentDataset(z.subarray(4), imgs, 4, [4, 1])).toThrow(/2 latents for 3 images/);
  });

  it('resumes only checkpoints of the same run configuration', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'atelier-ck-'));
    try {
      const path = join(dir, 'c.onnx');
      expect(await resumable(path, 'a', false)).toBe(false);
      await saveCheckpoint(path, { tensors: new Map(), meta: { run: 'a' } });
      expect(await resumable(path, 'a', false)).toBe(true);
      expect(await resumable(path, 'a', true)).toBe(false);
      await expect(resumable(path, 'b', false)).rejects.toThrow(/--fresh/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('options and PSNR', () => {
    expect(parseOptions(['--steps', '5', '--fresh', '--out', 'x'], { steps: 1, fresh: false, out: 'y', lr: 0.1 })).toEqual({ steps: 5, fresh: true, out: 'x', lr: 0.1 });
    expect(() => parseOptions(['--nope', '1'], { steps: 1 })).toThrow(/--steps/);
    const a = Float32Array.of(0, 0.5, -0.5, 0.9);
    expect(psnr(a, a)).toBeGreaterThan(100);
    expect(psnr(a, a.map((v) => v + 0.02))).toBeCloseTo(10 * Math.log10(4 / 0.0004), 3);
  });
});

describe('UNet training with a frozen text tower', () => {
  it('trains only UNet params; the ε-loss falls; a resumed run continues exactly', async () => {
    const clip = microClipConfig(20, 2, L);
    clip.text = { ...clip.text, width: 8, layers: 1, heads: 2 };
    const u: UnetConfig = {
      sampleSize: 4, inChannels: 2, outChannels: 2, blockOutChannels: [8, 8], downBlockTypes: ['CrossAttnDownBlock2D', 'DownBlock2D'],
      upBlockTypes: ['UpBlock2D', 'CrossAttnUpBlock2D'], layersPerBlock: 1, heads: 2, crossAttentionDim: 8, contextLength: L, groups: 2, numTrainTimesteps: 1000,
    };
    const fwd = unetTextTrainForward(u, clip, 8, 'seed');
    expect(fwd.params.some((p) => p.startsWith('text_model.'))).toBe(false);
    expect(fwd.model.graph.initializers.has('text_model.embeddings.token_embedding.weight')).toBe(true);
    const step = () => buildTrainStep(grad(fwd.model, { loss: 'loss', wrt: fwd.params }), {
      loss: 'loss', params: fwd.params, optimizer: { kind: 'adamw', weightDecay: 0 }, schedule: { kind: 'cosine', lr: 5e-3, warmup: 2, total: 40 }, clipNorm: 1,
    });
    const d = samples(16);
    // Vocabulary has 20 ids; keep caption ids inside it.
    d.captionIds = d.captionIds.map((v) => v % 20);
    const loader = () => new DataLoader(new UnetDataset(d, 'n', 0.1), { batchSize: 8, seed: 'o' });
    const dir = await mkdtemp(join(tmpdir(), 'atelier-unet-'));
    try {
      const a = await Trainer.create({ graph: step(), loader: loader(), threads: 1, checkpoint: { path: join(dir, 'c.onnx'), every: 12 } });
      const hist = await a.run(24);
      const first = hist.slice(0, 6).reduce((s, r) => s + r.loss, 0) / 6, last = hist.slice(-6).reduce((s, r) => s + r.loss, 0) / 6;
      expect(last).toBeLessThan(first * 0.9);
      const next = await a.run(28);
      const b = await Trainer.create({ graph: step(), loader: loader(), threads: 1 });
      await b.resume(join(dir, 'c.onnx'));
      expect(b.step).toBe(24);
      const again = await b.run(28);
      again.forEach((r, i) => expect(r.loss).toBeCloseTo(next[i].loss, 4));
      await a.dispose();
      await b.dispose();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 90_000);
});

describe('VAE decoder fine-tune', () => {
  it('trains decoder params only and keeps the encoder bytes and scaling factor of its --init', async () => {
    const cfg = { sampleSize: 64, inChannels: 3, latentChannels: 4, blockOutChannels: [16, 32, 32], layersPerBlock: 1, groups: 8, scalingFactor: 1 };
    const dec = vaeDecoderTrainForward(cfg, 2, 0).params, full = vaeTrainForward(cfg, 2, 0).params;
    expect(dec.every((p) => full.includes(p) && (p.startsWith('decoder.') || p.startsWith('post_quant_conv.')))).toBe(true);
    expect(full.filter((p) => p.startsWith('decoder.')).every((p) => dec.includes(p))).toBe(true);
    await expect(runVaeRecipe(['--decoder-only'])).rejects.toThrow(/--init/);
    const out = await mkdtemp(join(tmpdir(), 'atelier-vae-'));
    const cache = process.env.ATELIER_CACHE_DIR;
    process.env.ATELIER_CACHE_DIR = out;
    try {
      const init = join('assets', 'models', 'micro-vae');
      expect(await runVaeRecipe(['--decoder-only', '--init', init, '--channels', '16,32,32', '--steps', '2', '--batch', '2', '--scenes', '8', '--val-scenes', '4', '--threads', '1', '--out', out, '--fresh'])).toBe(0);
      expect(Buffer.compare(await readFile(join(out, 'vae_encoder.onnx')), await readFile(join(init, 'vae_encoder.onnx')))).toBe(0);
      const before = JSON.parse(await readFile(join(init, 'model.json'), 'utf8')), after = JSON.parse(await readFile(join(out, 'model.json'), 'utf8'));
      expect(after.config.scalingFactor).toBe(before.config.scalingFactor);
      expect(after.training.decoderOnly).toBe(true);
      expect(Buffer.compare(await readFile(join(out, 'vae_decoder.onnx')), await readFile(join(init, 'vae_decoder.onnx')))).not.toBe(0);
    } finally {
      if (cache === undefined) delete process.env.ATELIER_CACHE_DIR; else process.env.ATELIER_CACHE_DIR = cache;
      await rm(out, { recursive: true, force: true });
    }
  }, 90_000);
});
