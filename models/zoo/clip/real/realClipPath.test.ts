/**
 * The real-CLIP path end to end, offline: a random model with CLIP ViT-B/32's exact I/O
 * (224×224 input, 50×768 vision tokens, 512-d embeddings, 77 ids, 512-wide text tokens; one
 * layer each so it builds in a second) stands in for the published ONNX files, and a
 * CLIP-shaped tokenizer.json for the real one. It goes through the same steps as the real
 * files: pin (sha256 checks) → loader (size, hash, ONNX sniff, I/O contract against the
 * ViT-B/32 manifest) → ClipModel with the BPE tokenizer → preprocessing of PNG bytes.
 */
import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { encode as encodePng } from 'fast-png';
import { encodeModel } from '../../../graph/encode.ts';
import { MemoryCache } from '../../../cache/ModelCache.ts';
import { loadModelFiles } from '../../../loader/loadModel.ts';
import { PinError, pinFiles, type ClipSpec } from '../../../manifests/clipBundle.ts';
import { CLIP_VIT_B32 } from '../../../manifests/clipVitB32.ts';
import { validateManifest } from '../../../manifests/schema.ts';
import type { Capabilities } from '../../../runtime/Runtime.ts';
import { createNodeRuntime } from '../../../runtime/backends/nodeCpu.ts';
import { preprocessBytes } from '../../../vision/preprocess.ts';
import { vitDefaults } from '../../vit.ts';
import { ClipModel, normalizeRows } from '../ClipModel.ts';
import { clipTextGraph, clipVisionGraph } from '../clipGraphs.ts';
import { clipFromBundle } from '../fromBundle.ts';
import type { ClipConfig } from '../config.ts';
import { clipTokenizerFixture } from './tokenizerFixture.ts';

const fixture = clipTokenizerFixture();
const cfg: ClipConfig = {
  vision: { ...vitDefaults, imageSize: 224, patchSize: 32, width: 768, layers: 1, heads: 12, mlpRatio: 1, headDim: 512, head: 'visual_projection', pool: 'cls' },
  text: { vocabSize: fixture.vocabSize, contextLength: 77, width: 512, layers: 1, heads: 8, mlpRatio: 1, layerNormEps: 1e-5, eotId: fixture.eotId },
  projectionDim: 512,
  logitScaleInit: Math.log(1 / 0.07),
};
const caps: Capabilities = { webgpu: false, shaderF16: false, cores: 2 };
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const json = (o: unknown) => new TextEncoder().encode(JSON.stringify(o));

let files: Record<string, Uint8Array>;
beforeAll(() => {
  files = {
    'vision_model.onnx': encodeModel(clipVisionGraph(cfg, 'standin')),
    'text_model.onnx': encodeModel(clipTextGraph(cfg, 'standin')),
    'tokenizer.json': json(fixture.tokenizerJson),
    'tokenizer_config.json': json(fixture.tokenizerConfig),
  };
});
const digests = () => Object.fromEntries(Object.entries(files).map(([k, v]) => [k, { bytes: v.length, sha256: sha(v) }]));

describe('real CLIP path (ViT-B/32 contract, offline stand-in)', () => {
  it('refuses a vision file whose sha256 differs from the published one', () => {
    expect(() => pinFiles(CLIP_VIT_B32, digests())).toThrow(PinError);
    expect(() => pinFiles(CLIP_VIT_B32, digests())).toThrow(/vision_model\.onnx has sha256 [0-9a-f]{64}, the published file has fd6e1402/);
    const { 'text_model.onnx': _t, ...noText } = digests();
    const unknownSha: ClipSpec = { ...CLIP_VIT_B32, vision: { ...CLIP_VIT_B32.vision, file: { ...CLIP_VIT_B32.vision.file, sha256: undefined } } };
    expect(() => pinFiles(unknownSha, noText)).toThrow(/text_model\.onnx is missing/);
  });

  it('loads through the loader against the ViT-B/32 manifest and embeds images and texts', async () => {
    // Stand-in files have other hashes: pin them as a user's files with unknown sha256.
    const spec: ClipSpec = { ...CLIP_VIT_B32, vision: { ...CLIP_VIT_B32.vision, file: { ...CLIP_VIT_B32.vision.file, sha256: undefined } } };
    const bundle = pinFiles(spec, digests());
    expect(validateManifest(bundle.vision)).toEqual([]);
    expect(validateManifest(bundle.text)).toEqual([]);
    const deps = { cache: new MemoryCache(), fetchFile: async () => { throw new Error('offline'); }, caps };
    const vision = await loadModelFiles(bundle.vision, deps, { userFiles: files });
    const text = await loadModelFiles(bundle.text, deps, { userFiles: files });
    expect(bundle.tokenizer).toMatchObject({ kind: 'bpe', contextLength: 77 });
    const rt = await createNodeRuntime({ threads: 1 });
    // The same call a pipeline makes for micro-CLIP: the bundle decides the tokenizer.
    const clip = await clipFromBundle(rt, bundle, { ...files, ...vision.files, ...text.files });
    try {
      expect([clip.imageSize, clip.dim]).toEqual([224, 512]);
      const png = (w: number, h: number) => encodePng({ width: w, height: h, data: new Uint8Array(w * h * 3).map((_, i) => (i * 37) % 256), channels: 3, depth: 8 });
      const px = new Float32Array(2 * 3 * 224 * 224);
      px.set(preprocessBytes(png(1, 1), 224), 0);
      px.set(preprocessBytes(png(300, 180), 224), 3 * 224 * 224);
      const img = await clip.encodeImages(px, 2);
      expect(img.length).toBe(2 * 512);
      expect(img.every(Number.isFinite)).toBe(true);
      const texts = ['a photo of a red star', '', '🎨🐱 emoji only', 'a red star '.repeat(1000)];
      const txt = normalizeRows(await clip.encodeTexts(texts), 512);
      expect(txt.every(Number.isFinite)).toBe(true);
      // Different texts give different embeddings; the same text the same one.
      const again = normalizeRows(await clip.encodeTexts([texts[0]]), 512);
      expect(Array.from(again)).toEqual(Array.from(txt.subarray(0, 512)));
      expect(Array.from(txt.subarray(512, 1024))).not.toEqual(Array.from(txt.subarray(0, 512)));
    } finally {
      await clip.dispose();
      await rt.dispose();
    }
  }, 60_000);

  it('ClipModel refuses graphs without the CLIP contract', async () => {
    const rt = await createNodeRuntime({ threads: 1 });
    try {
      await expect(ClipModel.create(rt, { vision: files['text_model.onnx'], text: files['text_model.onnx'], tokenize: () => ({ ids: new BigInt64Array(0), attentionMask: new BigInt64Array(0), length: 77 }) }))
        .rejects.toThrow(/missing input 'pixel_values'/);
    } finally {
      await rt.dispose();
    }
  }, 30_000);
});
