/**
 * The committed micro-CLIP weights: files match their manifests (bytes, sha256, ≤ 15 MB), the
 * graphs meet the CLIP I/O contract through the loader, and the trained model tells colors
 * apart on held-out scenes (a behaviour check; the full evaluation is `npm run eval -- clip`).
 */
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MemoryCache } from '../../cache/ModelCache.ts';
import { COLOR_NAMES } from '../../data/microworld/attributes.ts';
import { loadModelFiles } from '../../loader/loadModel.ts';
import { MICRO_CLIP, MICRO_CLIP_EVAL } from '../../manifests/clipMicro.ts';
import { fileLocation, validateManifest } from '../../manifests/schema.ts';
import type { Capabilities } from '../../runtime/Runtime.ts';
import { createNodeRuntime } from '../../runtime/backends/nodeCpu.ts';
import { generateSamples } from '../../train/clip/samples.ts';
import { colorPrompt } from '../../train/clip/prompts.ts';
import { normalizeBatch } from '../../vision/normalize.ts';
import { cosineMatrix, normalizeRows } from './ClipModel.ts';
import { clipFromBundle } from './fromBundle.ts';

const caps: Capabilities = { webgpu: false, shaderF16: false, cores: 2 };
const assets = join(import.meta.dirname, '..', '..', '..', 'assets');
const read = (location: string) => new Uint8Array(readFileSync(join(assets, location)));

describe.each([MICRO_CLIP, MICRO_CLIP_EVAL])('$id', (bundle) => {
  it('files match the manifests and stay under 15 MB', () => {
    for (const m of [bundle.vision, bundle.text]) {
      expect(validateManifest(m)).toEqual([]);
      const f = m.files[0];
      const bytes = read(fileLocation(m, f));
      expect(bytes.length).toBe(f.bytes);
      expect(bytes.length).toBeLessThanOrEqual(15 * 1024 * 1024);
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(f.sha256);
    }
  });

  it('loads through the loader and names the color of held-out objects', async () => {
    const deps = { cache: new MemoryCache(), fetchFile: async (r: { location: string }) => read(r.location), caps };
    const v = await loadModelFiles(bundle.vision, deps);
    const t = await loadModelFiles(bundle.text, deps);
    const rt = await createNodeRuntime({ threads: 1 });
    const clip = await clipFromBundle(rt, bundle, { ...v.files, ...t.files });
    try {
      const samples = generateSamples({ split: 'test', seed: 'assets-check', scenes: 24, singles: 24, meshes: 0, size: bundle.imageSize });
      const img = normalizeRows(await clip.encodeImages(normalizeBatch(samples.map((s) => s.image)).data, samples.length), clip.dim);
      const txt = normalizeRows(await clip.encodeTexts(COLOR_NAMES.map(colorPrompt)), clip.dim);
      const sim = cosineMatrix(img, txt, clip.dim);
      let correct = 0;
      samples.forEach((s, i) => {
        const row = Array.from(sim.subarray(i * COLOR_NAMES.length, (i + 1) * COLOR_NAMES.length));
        if (COLOR_NAMES[row.indexOf(Math.max(...row))] === s.attrs.color) correct++;
      });
      expect(correct / samples.length).toBeGreaterThanOrEqual(0.75);
    } finally {
      await clip.dispose();
      await rt.dispose();
    }
  }, 60_000);
});
