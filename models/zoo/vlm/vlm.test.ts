import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeModel } from '../../graph/encode.ts';
import { Prng } from '../../data/microworld/prng.ts';
import { createNodeRuntime } from '../../runtime/backends/nodeCpu.ts';
import type { Runtime } from '../../runtime/Runtime.ts';
import { gateFeature, gateGraph } from '../dyvte/gateGraph.ts';
import { type VlmConfig, headFlops, layerFlops } from './config.ts';
import { vlmFullGraph, vlmInferenceGraphs } from './graphs.ts';
import { VlmModel } from './VlmModel.ts';

const cfg: VlmConfig = { visionWidth: 8, visualTokens: 5, vocabSize: 20, width: 16, layers: 3, heads: 2, mlpRatio: 2, maxPositions: 64, layerNormEps: 1e-5, gateHidden: 8 };
const SEED = 't';
const visual = new Prng('vis').fillNormal(new Float32Array(cfg.visualTokens * cfg.visionWidth), 1);
const prompt = [2, 7, 11, 3];

let rt: Runtime;
let vlm: VlmModel;
beforeAll(async () => {
  rt = await createNodeRuntime({ threads: 1 });
  const g = vlmInferenceGraphs(cfg, SEED);
  vlm = await VlmModel.create(rt, cfg, {
    projector: encodeModel(g.projector), embed: encodeModel(g.embed), layers: g.layers.map(encodeModel), head: encodeModel(g.head),
    gates: encodeModel(gateGraph(cfg, SEED)),
  });
});
afterAll(async () => { await vlm.dispose(); await rt.dispose(); });

const argmax = (z: Float32Array) => z.reduce((best, v, i) => (v > z[best] ? i : best), 0);

async function fullLogits(ids: number[], maskVisualAfter?: number): Promise<Float32Array> {
  const s = await rt.createSession(encodeModel(vlmFullGraph(cfg, SEED, ids.length, maskVisualAfter)));
  const r = await s.run({
    visual_tokens: rt.tensor('float32', visual, [1, cfg.visualTokens, cfg.visionWidth]),
    input_ids: rt.tensor('int64', BigInt64Array.from(ids.map(BigInt)), [1, ids.length]),
  });
  const out = (await rt.read(r.logits)) as Float32Array;
  await s.dispose();
  return out;
}

/** Greedy: prefill + n decode steps; returns generated ids and the logits of every step. */
async function generate(policy: Parameters<VlmModel['prefill']>[2]['policy'], n: number) {
  const st = await vlm.prefill(visual, prompt, { policy, allLogits: true });
  const ids: number[] = [], steps: Float32Array[] = [st.logits];
  for (let k = 0; k < n; k++) {
    ids.push(argmax(steps[steps.length - 1]));
    steps.push(await vlm.decode(st, ids[k]));
  }
  return { st, ids, steps };
}

function expectRowsClose(a: Float32Array, full: Float32Array, row: number, tol = 1e-4) {
  const V = cfg.vocabSize;
  const b = full.subarray(row * V, (row + 1) * V);
  let worst = 0;
  for (let k = 0; k < V; k++) worst = Math.max(worst, Math.abs(a[k] - b[k]));
  expect(worst).toBeLessThan(tol);
}

describe('micro-VLM layer-by-layer executor', () => {
  it('with exit disabled, prefill + cached decoding equals one full-graph run (logits within 1e-4)', async () => {
    const { st, ids, steps } = await generate({ kind: 'none' }, 3);
    const full = await fullLogits([...prompt, ...ids]);
    const Nv = cfg.visualTokens, V = cfg.vocabSize;
    for (let t = 0; t < prompt.length; t++) expectRowsClose(st.textLogits!.subarray(t * V, (t + 1) * V), full, Nv + t);
    // Step j's logits belong to the position of the token fed last (prompt end, then each generated one).
    steps.forEach((z, j) => expectRowsClose(z, full, Nv + prompt.length - 1 + j));
    expect(st.exitLayer).toBeNull();
    for (const k of st.keys) expect(k.dims).toEqual([1, cfg.heads, Nv + prompt.length + 3, cfg.width / cfg.heads]);
    vlm.release(st);
  });

  it('after an exit at layer 1, later layers see only text tokens and their KV caches hold no visual entries', async () => {
    const { st, ids, steps } = await generate({ kind: 'fixed', layer: 1 }, 2);
    const Nv = cfg.visualTokens, T = prompt.length, dh = cfg.width / cfg.heads;
    expect(st.exitLayer).toBe(1);
    expect(st.trace.map((t) => t.tokens)).toEqual([Nv + T, Nv + T, T]);
    expect(st.trace.map((t) => t.exit)).toEqual([false, true, false]);
    // Two decoded tokens later: early layers keep the visual span, the last one never had it.
    expect(st.keys.map((k) => k.dims)).toEqual([[1, 2, Nv + T + 2, dh], [1, 2, Nv + T + 2, dh], [1, 2, T + 2, dh]]);
    expect(st.values.map((k) => k.dims[2])).toEqual([Nv + T + 2, Nv + T + 2, T + 2]);
    expect(st.nextPosition).toBe(Nv + T + 2); // original numbering continues: no renumbering after the cut
    // Removing the visual rows is the same as blocking visual keys for text queries after layer 1.
    const masked = await fullLogits([...prompt, ...ids], 1);
    steps.forEach((z, j) => expectRowsClose(z, masked, Nv + T - 1 + j));
    // And it differs from the no-exit model (the visual tokens did matter in layer 2).
    const full = await fullLogits([...prompt, ...ids]);
    const V = cfg.vocabSize, row = Nv + T - 1;
    const diff = Math.max(...Array.from(steps[0], (v, k) => Math.abs(v - full[row * V + k])));
    expect(diff).toBeGreaterThan(1e-4);
    vlm.release(st);
  });

  it('counts LM FLOPs per layer run: an exit saves exactly the visual part of the later layers', async () => {
    const none = await vlm.prefill(visual, prompt, { policy: { kind: 'none' } });
    const exit0 = await vlm.prefill(visual, prompt, { policy: { kind: 'fixed', layer: 0 } });
    const S = cfg.visualTokens + prompt.length, T = prompt.length;
    expect(none.flops).toBe(3 * layerFlops(cfg, S, 0) + headFlops(cfg, 1));
    expect(exit0.flops).toBe(layerFlops(cfg, S, 0) + 2 * layerFlops(cfg, T, 0) + headFlops(cfg, 1));
    vlm.release(none);
    vlm.release(exit0);
  });

  it('gate policy: exits at the first layer whose p(exit) passes the threshold, and records p per layer', async () => {
    const always = await vlm.prefill(visual, prompt, { policy: { kind: 'gate', threshold: 0 } });
    expect(always.exitLayer).toBe(0);
    expect(always.trace[0].pExit).toBeGreaterThan(0);
    expect(always.trace[1].pExit).toBeUndefined(); // no gate after the exit
    const never = await vlm.prefill(visual, prompt, { policy: { kind: 'gate', threshold: 1 } });
    expect(never.exitLayer).toBeNull();
    expect(never.trace.every((t) => t.pExit !== undefined && t.pExit < 1)).toBe(true);
    const half = await vlm.prefill(visual, prompt, { policy: { kind: 'gate' } });
    const first = half.trace.findIndex((t) => (t.pExit ?? 0) > 0.5);
    expect(half.exitLayer).toBe(first === -1 ? null : first);
    for (const s of [always, never, half]) vlm.release(s);
  });

  it('rejects bad requests with clear messages', async () => {
    await expect(vlm.prefill(visual, prompt, { policy: { kind: 'fixed', layer: 3 } })).rejects.toThrow(/fixed exit layer 3 is not in 0…2/);
    await expect(vlm.prefill(visual.subarray(1), prompt, { policy: { kind: 'none' } })).rejects.toThrow(/visual values/);
    await expect(vlm.prefill(visual, new Array(60).fill(2), { policy: { kind: 'none' } })).rejects.toThrow(/exceed the 64 positions/);
  });
});

describe('gateFeature', () => {
  it('is [mean of prompt rows except the last, last prompt row]', () => {
    const h = Float32Array.from([9, 9, 1, 2, 3, 4, 5, 6, 7, 7]); // 5 rows of d=2; text rows 1..3
    expect(Array.from(gateFeature(h, 2, 1, 4))).toEqual([2, 3, 5, 6]);
    expect(Array.from(gateFeature(h, 2, 3, 4))).toEqual([0, 0, 5, 6]);
    expect(() => gateFeature(h, 2, 2, 2)).toThrow(/no text tokens/);
  });
});
