/** The xmesh benchmark harness end to end on tiny random-weight CLIP directories (shape of the output, metric bookkeeping). */
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
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

it('prints per-pair and mean MES/ITS for both methods', async () => {
  const writes: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => { writes.push(String(s)); return true; });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    const code = await run(['--json', '--from', '1', '--pairs', '1', '--steps', '10', '--views', '2', '--width', '16', '--depth', '1', '--frequencies', '8', '--no-ms', '--clip', join(dir, 'c'), '--eval', join(dir, 'e')]);
    expect(code).toBe(0);
  } finally {
    spy.mockRestore();
    err.mockRestore();
  }
  const out = JSON.parse(writes.join('')) as Record<string, { mes: number; its: number; pairs: { id: string; scores: { step: number }[]; its: number; threshold: number }[] }>;
  for (const m of ['tdam', 'text2mesh']) {
    expect(out[m].pairs).toHaveLength(1);
    expect(out[m].pairs[0].id).toBe(MICRO30[1].id); // --from 1
    expect(out[m].pairs[0].scores.map((s) => s.step)).toEqual([0, 10]);
    expect(Number.isFinite(out[m].mes)).toBe(true);
    expect([0, 10, 20]).toContain(out[m].its);
  }
  // Same seed, same initial (gray) mesh: both methods start from the same evaluator score.
  expect(out.tdam.pairs[0].scores[0]).toEqual(out.text2mesh.pairs[0].scores[0]);
});

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
