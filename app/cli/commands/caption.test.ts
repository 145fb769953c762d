/** `atelier caption` end to end on a tiny random-weight micro-VLM directory (same files as the trained one). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sceneSample } from '../../../models/data/microworld/index.ts';
import { writeGates, writeVlmDir } from '../../../models/train/vlm/files.ts';
import { gateFlops } from '../../../models/zoo/dyvte/gateGraph.ts';
import { tinyVlm } from '../../../models/zoo/vlm/testModel.ts';
import { encodePng } from '../../../pipelines/core/png.ts';
import type { CaptionResult } from '../../../pipelines/dyvte/index.ts';
import { main } from '../main.ts';

let dir: string, model: string, png: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'q-caption-'));
  model = join(dir, 'vlm');
  const t = tinyVlm();
  await writeVlmDir(model, { json: { id: 'tiny-vlm', config: t.config, visionTrained: false }, vision: t.vision, weights: t.weights, dims: t.dims });
  await writeGates(model, t.gates, t.dims, { test: true });
  const img = sceneSample('test', 0, 1).image;
  png = join(dir, 'scene.png');
  writeFileSync(png, encodePng({ width: img.width, height: img.height, channels: 3, data: img.data }));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function cli(...args: string[]) {
  const out: string[] = [], err: string[] = [];
  const code = await main(['caption', '--model-dir', model, ...args], { out: (s) => out.push(s), err: (s) => err.push(s) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('atelier caption', () => {
  it('captions an image: JSON with text, per-layer strip, exit layer and FLOPs', async () => {
    const r = await cli('--image', png, '--json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out) as CaptionResult;
    expect(typeof j.text).toBe('string');
    expect(j.question).toBeNull();
    expect(j.layers).toHaveLength(2);
    expect(j.flops).toBeGreaterThan(0);
    // Gates cost a little each time they are consulted: without an exit DyVTE is slightly dearer than no exit.
    const gateCalls = j.layers.filter((l) => l.pExit !== undefined).length;
    expect(gateCalls).toBe(j.exitLayer === null ? 2 : j.exitLayer + 1);
    if (j.exitLayer === null) expect(j.flops).toBe(j.flopsNoExit + gateCalls * gateFlops(tinyVlm().config));
    else expect(j.flops).toBeLessThan(j.flopsNoExit);
    expect(j.recipe).toMatchObject({ pipeline: 'caption', model: 'tiny-vlm', exit: 'dyvte' });
    expect(r.err).toMatch(/MFLOPs/);
  });

  it('--no-exit keeps visual tokens in every layer; --exit-layer 0 drops them after layer 0', async () => {
    const none = JSON.parse((await cli('--image', png, '--question', 'what color is the star?', '--no-exit', '--json')).out) as CaptionResult;
    expect(none.exitLayer).toBeNull();
    expect(none.flopsSaved).toBe(0);
    expect(none.question).toBe('what color is the star?');
    const fixed = JSON.parse((await cli('--image', png, '--question', 'what color is the star?', '--exit-layer', '0', '--json')).out) as CaptionResult;
    expect(fixed.exitLayer).toBe(0);
    expect(fixed.layers[1].tokens).toBe(none.layers[1].tokens - 5); // the 5 visual tokens are gone
    expect(fixed.flopsSaved).toBeGreaterThan(0);
  });

  it('sampled decoding is reproducible by seed', async () => {
    const a = await cli('--image', png, '--temperature', '1.5', '--seed', '7', '--no-exit', '--max-tokens', '6');
    const b = await cli('--image', png, '--temperature', '1.5', '--seed', '7', '--no-exit', '--max-tokens', '6');
    expect(a.code).toBe(0);
    expect(a.out).toBe(b.out);
  });

  it('refuses bad input with a clear message and exit code 2', async () => {
    const notImage = join(dir, 'notes.png');
    writeFileSync(notImage, 'just some text, not pixels');
    expect(await cli('--image', notImage)).toMatchObject({ code: 2, err: expect.stringMatching(/not a PNG or JPEG image/) });
    // A PNG header claiming 100000×100000 pixels: refused from the header, nothing is decoded.
    const huge = new Uint8Array(33);
    huge.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
    new DataView(huge.buffer).setUint32(16, 100000);
    new DataView(huge.buffer).setUint32(20, 100000);
    huge[24] = 8; huge[25] = 2;
    const hugePath = join(dir, 'huge.png');
    writeFileSync(hugePath, huge);
    expect(await cli('--image', hugePath)).toMatchObject({ code: 2, err: expect.stringMatching(/100000×100000.*limit is 16 MP/) });
    expect(await cli('--image', png, '--question', '')).toMatchObject({ code: 2, err: expect.stringMatching(/the question is empty/) });
    expect(await cli('--image', png, '--question', '   ')).toMatchObject({ code: 2, err: expect.stringMatching(/the question is empty/) });
    expect(await cli('--image', png, '--question', 'a'.repeat(5000))).toMatchObject({ code: 2, err: expect.stringMatching(/5,000 characters long; at most 500/) });
    expect(await cli('--image', png, '--question', Array(30).fill('red').join(' '))).toMatchObject({ code: 2, err: expect.stringMatching(/has 30 words; the model reads at most 22/) });
    expect(await cli('--image', join(dir, 'missing.png'))).toMatchObject({ code: 2, err: expect.stringMatching(/no such file/) });
    expect(await cli('--question', 'hi')).toMatchObject({ code: 2, err: expect.stringMatching(/--image is required/) });
    expect(await cli('--image', png, '--exit-layer', '5')).toMatchObject({ code: 2, err: expect.stringMatching(/exit layer must be an integer in 0…1/) });
    expect(await cli('--image', png, '--no-exit', '--exit-layer', '1')).toMatchObject({ code: 2, err: expect.stringMatching(/either --no-exit or --exit-layer/) });
  });

  it('says where to get a model when there is none', async () => {
    const out: string[] = [], err: string[] = [];
    const code = await main(['caption', '--model-dir', join(dir, 'nothing'), '--image', png], { out: (s) => out.push(s), err: (s) => err.push(s) });
    expect(code).toBe(1);
    expect(err.join('\n')).toMatch(/no micro-VLM in .*npm run train -- vlm/);
  });
});
