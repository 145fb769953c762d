/** `atelier stylize` end to end on a tiny random-weight CLIP directory (same files as micro-CLIP's). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GLTFLoader } from 'three/examples/jsm/loaders/GLTFLoader.js';
import type { Group, Mesh } from 'three';
import { encodeModel } from '../../../models/graph/encode.ts';
import { MicroTokenizer } from '../../../models/text/tokenizer.ts';
import { writeClipModel } from '../../../models/train/clip/export.ts';
import { clipTextGraph, clipVisionGraph } from '../../../models/zoo/clip/clipGraphs.ts';
import { microClipConfig, type ClipConfig } from '../../../models/zoo/clip/config.ts';
import { decodePng } from '../../../pipelines/core/png.ts';
import { main } from '../main.ts';

let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'x2-stylize-'));
  const tok = MicroTokenizer.microworld();
  const base = microClipConfig(tok.vocab.size, tok.vocab.eotId, tok.contextLength);
  const cfg: ClipConfig = {
    ...base, projectionDim: 8,
    vision: { ...base.vision, imageSize: 16, patchSize: 8, width: 16, layers: 1, heads: 2, headDim: 8 },
    text: { ...base.text, width: 16, layers: 1, heads: 2 },
  };
  await writeClipModel(join(dir, 'clip'), 'tiny-clip', cfg, { vision: encodeModel(clipVisionGraph(cfg, 1)), text: encodeModel(clipTextGraph(cfg, 1)) });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const io = () => {
  const out: string[] = [], err: string[] = [];
  return { io: { out: (s: string) => out.push(s), err: (s: string) => err.push(s) }, out, err };
};
const tiny = ['--steps', '3', '--width', '16', '--depth', '1', '--frequencies', '8', '--views', '2'];

describe('atelier stylize', () => {
  it('writes a GLB with vertex colors and the recipe, progress on stderr, a JSON summary on stdout', async () => {
    const o = io();
    const out = join(dir, 'cube.glb');
    const code = await main(['stylize', '--clip-dir', join(dir, 'clip'), '--mesh', 'sample:cube', '--prompt', 'a red cube', '--method', 'text2mesh', '--out', out, '--json', ...tiny], o.io);
    expect(o.err.join('\n')).toMatch(/step 3\/3/);
    expect(code).toBe(0);
    const summary = JSON.parse(o.out[0]) as { recipe: { prompt: string; params: { method: string; steps: number }; clip: { id: string } } };
    expect(summary.recipe).toMatchObject({ prompt: 'a red cube', params: { method: 'text2mesh', steps: 3 }, clip: { id: 'tiny-clip' } });
    const bytes = readFileSync(out);
    const gltf = await new Promise<{ scene: Group }>((res, rej) => new GLTFLoader().parse(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer, '', res, rej));
    expect(gltf.scene.userData.recipe.mesh).toBe('sample:cube');
    let mesh: Mesh | undefined;
    gltf.scene.traverse((x) => { if ((x as Mesh).isMesh) mesh = x as Mesh; });
    expect(mesh!.geometry.getAttribute('color').count).toBe(mesh!.geometry.getAttribute('position').count);
  });

  it('writes PLY by extension, and a before | after PNG with --png', async () => {
    const o = io();
    const out = join(dir, 'cube.ply'), png = join(dir, 'ba.png');
    expect(await main(['stylize', '--clip-dir', join(dir, 'clip'), '--mesh', 'sample:pyramid', '--prompt', 'a blue pyramid', '--out', out, '--png', png, ...tiny], o.io)).toBe(0);
    expect(readFileSync(out).subarray(0, 3).toString()).toBe('ply');
    const img = decodePng(readFileSync(png));
    expect([img.width, img.height]).toEqual([512, 128]);
    // The left half is the gray input: its center pixel is a shade of gray (r = g = b), not white background.
    const px = (x: number, y: number) => [0, 1, 2].map((c) => img.data[(y * img.width + x) * img.channels + c]);
    const [r, g, b] = px(64, 64);
    expect(r).toBe(g);
    expect(g).toBe(b);
    expect(r).toBeLessThan(250);
  });

  it('clear usage errors', async () => {
    const o = io();
    expect(await main(['stylize', '--prompt', 'x'], o.io)).toBe(2);
    expect(o.err[0]).toMatch(/--mesh and --prompt are required/);
    expect(await main(['stylize', '--mesh', 'sample:cube', '--prompt', 'x', '--method', 'nerf'], o.io)).toBe(2);
    expect(o.err[1]).toMatch(/tdam or text2mesh/);
    const bad = await main(['stylize', '--mesh', 'sample:dragon', '--prompt', 'x', '--clip-dir', join(dir, 'clip')], o.io);
    expect(bad).toBe(1);
    expect(o.err.join('\n')).toMatch(/Unknown sample mesh 'dragon'/);
  });
});
