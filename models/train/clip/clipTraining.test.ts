import { describe, expect, it } from 'vitest';
import { MicroTokenizer } from '../../text/tokenizer.ts';
import { vitDefaults } from '../../zoo/vit.ts';
import type { ClipConfig } from '../../zoo/clip/config.ts';
import { DataLoader } from '../DataLoader.ts';
import { Trainer } from '../Trainer.ts';
import { ClipPairDataset, positives } from './dataset.ts';
import { exportClip } from './export.ts';
import { classPrompts, materialPrompt } from './prompts.ts';
import { decodeSamples, encodeSamples, generateSamples } from './samples.ts';
import { clipTrainStep, paramValues } from './task.ts';
import { decodeModel } from '../../graph/decode.ts';

const tok = MicroTokenizer.microworld({ contextLength: 16 });
const cfg: ClipConfig = {
  vision: { ...vitDefaults, imageSize: 16, patchSize: 8, width: 16, layers: 1, heads: 2, headDim: 8, head: 'visual_projection', pool: 'cls' },
  text: { vocabSize: tok.vocab.tokens.length, contextLength: 16, width: 16, layers: 1, heads: 2, mlpRatio: 2, layerNormEps: 1e-5, eotId: tok.vocab.eotId },
  projectionDim: 8,
  logitScaleInit: Math.log(1 / 0.07),
};

describe('micro-CLIP training data', () => {
  it('generates seeded pairs with templates and round-trips through the cache format', () => {
    const spec = { split: 'train' as const, seed: 't', scenes: 4, singles: 2, meshes: 2, size: 16, templates: true };
    const a = generateSamples(spec), b = generateSamples(spec);
    expect(a.map((s) => s.captions)).toEqual(b.map((s) => s.captions));
    expect(a[0].attrs.objects).toBe(1);
    expect(a[0].captions).toContain(`a photo of ${a[0].attrs.shape === 'hexagon' ? 'a hexagon' : `a ${a[0].attrs.shape}`}`);
    expect(a[5].attrs.kind).toBe('mesh');
    expect(a[5].captions.at(-1)).toBe(materialPrompt(a[5].attrs.material!, a[5].attrs.color));
    const back = decodeSamples(encodeSamples(a));
    expect(back.map((s) => s.captions)).toEqual(a.map((s) => s.captions));
    expect(Array.from(back[3].image.data)).toEqual(Array.from(a[3].image.data));
    expect(() => decodeSamples(encodeSamples(a).subarray(0, 200))).toThrow();
  });

  it('adds faded mesh renders from their own stream, leaving the other samples as they were', () => {
    const spec = { split: 'train' as const, seed: 't', scenes: 2, singles: 1, meshes: 2, size: 16, templates: true };
    const plain = generateSamples(spec), faded = generateSamples({ ...spec, fadedMeshes: 3, fadeMax: 0.6 });
    expect(faded).toHaveLength(plain.length + 3);
    faded.slice(0, plain.length).forEach((s, i) => expect(Array.from(s.image.data)).toEqual(Array.from(plain[i].image.data)));
    for (const s of faded.slice(plain.length)) {
      expect(s.attrs.kind).toBe('mesh');
      expect(s.captions.at(-1)).toBe(materialPrompt(s.attrs.material!, s.attrs.color));
    }
  });

  it('marks same-image and same-caption pairs as positives, rows summing to 1', () => {
    const m = positives([0, 0, 1, 2], [0, 1, 2, 2]);
    expect(Array.from(m.subarray(0, 4))).toEqual([0.5, 0.5, 0, 0]);
    expect(Array.from(m.subarray(8, 12))).toEqual([0, 0, 0.5, 0.5]);
    expect(Array.from(m.subarray(12, 16))).toEqual([0, 0, 0.5, 0.5]);
  });

  it('prompts cover every class, and material prompts keep the sample color', () => {
    expect(classPrompts('color').prompts).toContain('a photo of an orange object');
    expect(classPrompts('pattern').prompts).toEqual(['a photo of a solid object', 'a photo of a striped object', 'a photo of a dotted object', 'a photo of a checkered object']);
    const mat = classPrompts('material', 'blue');
    expect(mat.prompts[mat.classes.indexOf('brick')]).toBe('a photo of an object made of blue brick');
    expect(mat.prompts[mat.classes.indexOf('gold')]).toBe('a photo of an object made of gold');
  });
});

describe('micro-CLIP train step', () => {
  it('lowers the InfoNCE loss on a small set and exports weights that load by name', async () => {
    const samples = generateSamples({ split: 'train', seed: 'step', scenes: 6, singles: 6, meshes: 2, size: 16, templates: false });
    const ds = new ClipPairDataset(samples.map((s) => ({ ...s, captions: [s.captions[0]] })), tok);
    const { forward, step } = clipTrainStep(cfg, 8, { optimizer: { kind: 'adamw', weightDecay: 0 }, schedule: { kind: 'constant', lr: 3e-3 }, clipNorm: 1, seed: 1 });
    const tr = await Trainer.create({ graph: step, loader: new DataLoader(ds, { batchSize: 8, seed: 1 }), threads: 1 });
    try {
      const losses: number[] = [];
      for (let i = 0; i < 30; i++) losses.push((await tr.trainStep()).loss);
      const first = losses.slice(0, 3).reduce((a, b) => a + b) / 3, last = losses.slice(-3).reduce((a, b) => a + b) / 3;
      expect(last).toBeLessThan(first * 0.7);
      const weights = paramValues(forward.model, forward.params, (p) => tr.value(p));
      const e = exportClip(cfg, weights);
      const vision = decodeModel(e.vision);
      const name = 'vision_model.encoder.layers.0.mlp.fc1.weight';
      expect(Array.from(vision.graph.initializers.get(name)!.values as Float32Array)).toEqual(Array.from(tr.value(name)));
      expect(() => exportClip(cfg, new Map())).toThrow(/no trained value/);
    } finally {
      await tr.dispose();
    }
  }, 60_000);
});

describe('hard negatives', () => {
  it('pairs single-object scenes with same-color (or same-shape) scenes, deterministically', () => {
    const samples = generateSamples({ split: 'train', seed: 'hn', scenes: 60, singles: 60, meshes: 0, size: 16, templates: false });
    const ds = new ClipPairDataset(samples, tok, { hardNegatives: 0.5 });
    for (let p = 0; p < ds.size; p += 7) {
      const q = ds.partner(p, -1);
      if (q < 0) continue;
      const a = samples[ds.imageOfPair(p)].attrs, b = samples[ds.imageOfPair(q)].attrs;
      expect(ds.imageOfPair(q)).not.toBe(ds.imageOfPair(p));
      expect(a.color === b.color || a.shape === b.shape).toBe(true);
      expect(ds.partner(p, -1)).toBe(q);
    }
    const batch = ds.collate([0, 1, 2, 3]);
    expect(batch.input_ids.dims).toEqual([4, 16]);
    expect(Array.from(ds.collate([0, 1, 2, 3]).input_ids.data as BigInt64Array)).toEqual(Array.from(batch.input_ids.data as BigInt64Array));
  });
});
