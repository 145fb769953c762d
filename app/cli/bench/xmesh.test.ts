/** The xmesh benchmark harness end to end on tiny random-weight CLIP directories (shape of the output, metric bookkeeping). */
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeModel } from '../../../models/graph/encode.ts';
import { MicroTokenizer } from '../../../models/text/tokenizer.ts';
import { writeClipModel } from '../../../models/train/clip/export.ts';
import { clipTextGraph, clipVisionGraph } from '../../../models/zoo/clip/clipGraphs.ts';
import { microClipConfig, type ClipConfig } from '../../../models/zoo/clip/config.ts';
import { iterationsToScore } from '../../../pipelines/xmesh/metrics.ts';
import { MICRO30 } from '../../../pipelines/xmesh/micro30.ts';
import { mergeShards, run } from './xmesh.ts';

let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'x2-bench-'));
  const tok = MicroTokenizer.microworld();
  const base = microClipConfig(tok.vocab.size, tok.vocab.eotId, tok.contextLength);
  const cfg: ClipConfig = {
    ...base, projectionDim: 8,
    vision: { ...base.vision, imageSize: 16, patchSize: 8, width: 16, layers: 1, heads: 2, headDim: 8 },
    text: { ...base.text, width: 16, layers: 1, heads: 2 },
  };
  for (const [id, seed] of [['c', 1], ['e', 2]] as const) {
    await writeClipModel(join(dir, id), `tiny-${id}`, cfg, { vision: encodeModel(clipVisionGraph(cfg, seed)), text: encodeModel(clipTextGraph(cfg, seed)) });
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('Micro-30 has 30 distinct pairs whose prompts use only micro-CLIP words', () => {
  expect(MICRO30).toHaveLength(30);
  expect(new Set(MICRO30.map((p) => p.id)).size).toBe(30);
  const tok = MicroTokenizer.microworld();
  for (const p of MICRO30) expect([...tok.encode(p.prompt).ids], p.prompt).not.toContain(tok.vocab.unkId);
});

it('iterationsToScore: first checkpoint at or above the threshold, else the cap', () => {
  const s = [{ step: 0, score: 0.1 }, { step: 10, score: 0.3 }, { step: 20, score: 0.25 }];
  expect(iterationsToScore(s, 0.2, 99)).toBe(10);
  expect(iterationsToScore(s, 0.05, 99)).toBe(0);
  expect(iterationsToScore(s, 0.5, 99)).toBe(99);
});

// Tiny random towers: the evaluator's cosine with the true material comes out negative for every Micro-30
// pair, which is exactly the ill-posed case the harness must refuse (a fraction of a negative score is not
// "most of the way to the truth"). The run itself is then exercised on the MIT-30 layout (absolute threshold).
it('refuses a Micro-30 pair whose true material the evaluator scores at or below 0', async () => {
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    await expect(run(['--json', '--ids', MICRO30[1].id, '--steps', '10', '--views', '2', '--width', '16', '--depth', '1', '--frequencies', '8', '--no-ms', '--clip', join(dir, 'c'), '--eval', join(dir, 'e')]))
      .rejects.toThrow(/01-sphere-gold: the evaluator scores the true material at -?\d\.\d+ \(≤ 0\)/);
  } finally {
    err.mockRestore();
  }
});

it('prints per-pair and mean MES/ITS for both methods', async () => {
  // An MIT-30-layout set: meshes/NAME.obj + prompts/NAME.txt (one pair per line).
  const meshes = join(dir, 'meshes'), prompts = join(dir, 'prompts');
  mkdirSync(meshes); mkdirSync(prompts);
  writeFileSync(join(meshes, 'octa.obj'), 'v 1 0 0\nv -1 0 0\nv 0 1 0\nv 0 -1 0\nv 0 0 1\nv 0 0 -1\nf 1 3 5\nf 3 2 5\nf 2 4 5\nf 4 1 5\nf 3 1 6\nf 2 3 6\nf 4 2 6\nf 1 4 6\n');
  writeFileSync(join(prompts, 'octa.txt'), 'a sphere painted red\na cube made of gold\n');
  const writes: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => { writes.push(String(s)); return true; });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    const code = await run(['--json', '--meshes', meshes, '--prompts', prompts, '--threshold', '-2', '--from', '1', '--pairs', '1', '--steps', '10', '--views', '2', '--width', '16', '--depth', '1', '--frequencies', '8', '--no-ms', '--clip', join(dir, 'c'), '--eval', join(dir, 'e')]);
    expect(code).toBe(0);
  } finally {
    spy.mockRestore();
    err.mockRestore();
  }
  const out = JSON.parse(writes.join('')) as Record<string, { mes: number; its: number; pairs: { id: string; scores: { step: number }[]; its: number; threshold: number }[] }>;
  for (const m of ['tdam', 'text2mesh']) {
    expect(out[m].pairs).toHaveLength(1);
    expect(out[m].pairs[0].id).toBe('octa-1'); // --from 1: the second line
    expect(out[m].pairs[0].scores.map((s) => s.step)).toEqual([0, 10]);
    expect(Number.isFinite(out[m].mes)).toBe(true);
    expect(out[m].pairs[0].threshold).toBe(-2);
    expect(out[m].its).toBe(0); // every cosine is ≥ −1 > −2: reached at the first check
  }
  // Same seed, same initial (gray) mesh: both methods start from the same evaluator score.
  expect(out.tdam.pairs[0].scores[0]).toEqual(out.text2mesh.pairs[0].scores[0]);
});

it('--jobs 2 runs the pairs in child processes and gives the same per-pair results, in pair order', async () => {
  const meshes = join(dir, 'meshes'), prompts = join(dir, 'prompts'); // written by the test above
  const common = ['--json', '--meshes', meshes, '--prompts', prompts, '--steps', '10', '--views', '2', '--width', '16', '--depth', '1', '--frequencies', '8', '--no-ms', '--clip', join(dir, 'c'), '--eval', join(dir, 'e'), '--threads', '1'];
  const capture = async (extra: string[]) => {
    const writes: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => { writes.push(String(s)); return true; });
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try { expect(await run([...common, ...extra])).toBe(0); } finally { spy.mockRestore(); err.mockRestore(); }
    return JSON.parse(writes.join('')) as { tdam: { pairs: { id: string; mes: number; scores: { score: number }[] }[] }; config: { jobs?: number } };
  };
  const one = await capture(['--jobs', '1']);
  const two = await capture(['--jobs', '2']);
  expect(two.config.jobs).toBe(2);
  expect(two.tdam.pairs.map((p) => p.id)).toEqual(['octa-0', 'octa-1']);
  for (const [i, p] of two.tdam.pairs.entries()) {
    expect(p.id).toBe(one.tdam.pairs[i].id);
    expect(p.mes).toBeCloseTo(one.tdam.pairs[i].mes, 3);
  }
}, 60_000);

it('merges shards into the whole run (means over all pairs), refusing overlaps and different settings', () => {
  const pair = (id: string, mes: number, its: number) => ({ id, prompt: id, mes, its, threshold: 0.5, scores: [], msPerIter: 1 });
  const shard = (from: number, ids: string[], mes: number[], its: number[], ms: number | null, steps = 40) => ({
    tdam: { mes: 0, its: 0, pairs: ids.map((id, i) => pair(id, mes[i], its[i])) },
    text2mesh: { mes: 0, its: 0, pairs: ids.map((id, i) => pair(id, mes[i] - 1, its[i] + 10)) },
    ms_per_iter: ms, config: { set: 'Micro-30', pairs: ids.length, from, steps, seconds: 100 },
  });
  const m = mergeShards([shard(0, ['a', 'b'], [50, 60], [10, 20], 123), shard(2, ['c'], [70], [30], null)]);
  expect(m.tdam.pairs.map((p) => p.id)).toEqual(['a', 'b', 'c']);
  expect(m.tdam.mes).toBeCloseTo(60);
  expect(m.tdam.its).toBeCloseTo(20);
  expect(m.text2mesh.its).toBeCloseTo(30);
  expect(m.ms_per_iter).toBe(123);
  expect(m.config).toMatchObject({ pairs: 3, seconds: 200, shards: 2 });
  expect(() => mergeShards([shard(0, ['a'], [1], [1], 1), shard(1, ['a'], [1], [1], null)])).toThrow(/pair a is in two shards/);
  expect(() => mergeShards([shard(0, ['a'], [1], [1], 1), shard(1, ['b'], [1], [1], null, 80)])).toThrow(/different settings/);
});
