/**
 * Backend parity: the per-layer graphs (empty past KV at prefill, heterogeneous caches after an
 * exit) run on onnxruntime-web's wasm build — the browser fallback path — and give the same
 * logits and exit decisions as onnxruntime-node.
 */
import { describe, expect, it } from 'vitest';
import { Prng } from '../../data/microworld/prng.ts';
import { encodeModel } from '../../graph/encode.ts';
import { createNodeRuntime } from '../../runtime/backends/nodeCpu.ts';
import { createNodeWasmRuntime } from '../../runtime/backends/nodeWasm.ts';
import type { Runtime } from '../../runtime/Runtime.ts';
import { gateGraph } from '../dyvte/gateGraph.ts';
import type { VlmConfig } from './config.ts';
import { generate } from './generate.ts';
import { vlmInferenceGraphs } from './graphs.ts';
import { VlmModel } from './VlmModel.ts';

const cfg: VlmConfig = { visionWidth: 8, visualTokens: 5, vocabSize: 20, width: 16, layers: 3, heads: 2, mlpRatio: 2, maxPositions: 64, layerNormEps: 1e-5, gateHidden: 8 };
const g = vlmInferenceGraphs(cfg, 'parity');
const bytes = { projector: encodeModel(g.projector), embed: encodeModel(g.embed), layers: g.layers.map(encodeModel), head: encodeModel(g.head), gates: encodeModel(gateGraph(cfg, 'parity')) };
const visual = new Prng('parity').fillNormal(new Float32Array(cfg.visualTokens * cfg.visionWidth), 1);

async function runOn(rt: Runtime) {
  const vlm = await VlmModel.create(rt, cfg, bytes);
  try {
    const fixed = await generate(vlm, visual, [2, 7, 11, 3], { policy: { kind: 'fixed', layer: 1 }, eotId: 19, maxTokens: 4 });
    const st = await vlm.prefill(visual, [2, 7, 11, 3], { policy: { kind: 'gate' }, allLogits: true });
    const out = { ids: fixed.ids, exitLayer: st.exitLayer, p: st.trace.map((t) => t.pExit), logits: Float32Array.from(st.textLogits!) };
    vlm.release(st);
    return out;
  } finally {
    await vlm.dispose();
    await rt.dispose();
  }
}

describe('micro-VLM on node-wasm vs node-cpu', () => {
  it('same greedy tokens after an exit, same gate decisions, logits within 1e-4', async () => {
    const cpu = await runOn(await createNodeRuntime({ threads: 1 }));
    const wasm = await runOn(await createNodeWasmRuntime());
    expect(wasm.ids).toEqual(cpu.ids);
    expect(wasm.exitLayer).toBe(cpu.exitLayer);
    expect(wasm.p.map((p) => p === undefined)).toEqual(cpu.p.map((p) => p === undefined));
    wasm.p.forEach((p, i) => { if (p !== undefined) expect(Math.abs(p - cpu.p[i]!)).toBeLessThan(1e-5); });
    let worst = 0;
    for (let i = 0; i < cpu.logits.length; i++) worst = Math.max(worst, Math.abs(cpu.logits[i] - wasm.logits[i]));
    expect(worst).toBeLessThan(1e-4);
  });
});
