import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, describe, expect, it } from 'vitest';
import { run, type VisualnessModelJson } from './recipe.ts';
import { writeTinyMicroClip } from './testing.ts';
import { SCORE_OUTPUT } from './visualnessGraph.ts';

describe('npm run train -- visualness (tiny random micro-CLIP)', () => {
  const dirs: string[] = [];
  afterAll(async () => { for (const d of dirs) await rm(d, { recursive: true, force: true }); });

  it('fine-tunes, tunes a threshold on val and writes text_model.onnx, visualness.onnx, model.json', async () => {
    const root = await mkdtemp(join(tmpdir(), 'vis-recipe-'));
    dirs.push(root);
    process.env.ATELIER_CACHE_DIR = join(root, 'cache');
    await writeTinyMicroClip(join(root, 'clip'));
    const out = join(root, 'out');
    const code = await run(['--clip', join(root, 'clip'), '--out', out, '--steps', '4', '--batch', '8', '--train', '24', '--val', '16', '--threads', '1', '--fresh']);
    expect(code).toBe(0);
    const json = JSON.parse(await readFile(join(out, 'model.json'), 'utf8')) as VisualnessModelJson;
    expect(json.training.steps).toBe(4);
    // the default recipe averages three fine-tunes; the base CLIP is recorded for the zero-shot baseline
    expect(json.training.soup).toBe(3);
    expect((json.training.baseClip as { textSha256: string }).textSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(json.nullEmbedding).toHaveLength(json.config.projectionDim);
    expect(Math.hypot(...json.nullEmbedding)).toBeCloseTo(1, 4);
    expect(Number.isFinite(json.threshold)).toBe(true);
    const scorer = new Uint8Array(await readFile(join(out, json.files.scorer.name)));
    expect(scorer.length).toBe(json.files.scorer.bytes);
    const s = await ort.InferenceSession.create(scorer);
    expect(s.outputNames).toContain(SCORE_OUTPUT);
    await s.release();
  }, 120_000);
});
