/**
 * The real-VLM path offline: a micro model exported under SmolVLM's per-layer contract (same
 * file and I/O names, tokenizer.json through @huggingface/tokenizers) runs layer by layer; with
 * exit disabled it equals one full-graph run, and after an exit the image tokens are gone from
 * the sequence and from later layers' KV caches while text keeps its original positions.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeModel } from '../../../graph/encode.ts';
import type { Runtime, Session } from '../../../runtime/Runtime.ts';
import { createNodeRuntime } from '../../../runtime/backends/nodeCpu.ts';
import { layerGraph } from '../graphs.ts';
import { microVlmConfig } from '../config.ts';
import { REAL_VLM_FILES } from './contract.ts';
import { ContractError, LayerwiseVlm } from './LayerwiseVlm.ts';
import { llamaFullGraph } from './llamaGraphs.ts';
import { SmolVlmTokenizer } from './smolvlmPrompt.ts';
import { MICRO_REAL_VLM as C, microRealVlmFiles } from './testFiles.ts';

let rt: Runtime;
let vlm: LayerwiseVlm;
let files: Record<string, Uint8Array>;
let tok: SmolVlmTokenizer;
let prompt: ReturnType<SmolVlmTokenizer['prompt']>;
let feats: Float32Array;

const pixels = (() => {
  const S = C.imageSize, px = new Float32Array(3 * S * S);
  for (let i = 0; i < px.length; i++) px[i] = Math.sin(i * 0.37) * 0.9; // a fixed, non-uniform "image"
  return px;
})();

beforeAll(async () => {
  rt = await createNodeRuntime({ threads: 1 });
  files = microRealVlmFiles();
  tok = SmolVlmTokenizer.from(files[REAL_VLM_FILES.tokenizer], C.imageTokens);
  prompt = tok.prompt('what color is the star?');
  vlm = await LayerwiseVlm.create(rt, C, files);
  feats = await vlm.encodeImage(pixels);
});
afterAll(async () => {
  await vlm?.dispose();
  await rt?.dispose();
});

/** logits [1, S, V] of the single full graph on the merged embeddings, optionally with image keys blocked after `block`. */
async function fullLogits(ids: readonly number[], block?: number): Promise<Float32Array> {
  const d = C.hidden, S = ids.length;
  const emb = await rt.createSession(files[REAL_VLM_FILES.embed]);
  const e = (await rt.read((await emb.run({ input_ids: rt.tensor('int64', BigInt64Array.from(ids, BigInt), [1, S]) })).inputs_embeds) as Float32Array).slice();
  await emb.dispose();
  const rows = ids.flatMap((id, p) => (id === prompt.imageTokenId ? [p] : []));
  rows.forEach((p, k) => e.set(feats.subarray(k * d, (k + 1) * d), p * d));
  const s: Session = await rt.createSession(encodeModel(llamaFullGraph(C, 'real-contract', S, block === undefined ? {} : { blockImageAfter: { layer: block, rows } })));
  try {
    const r = await s.run({ inputs_embeds: rt.tensor('float32', e, [1, S, d]), position_ids: rt.tensor('int64', BigInt64Array.from(ids, (_, p) => BigInt(p)), [1, S]) });
    return (await rt.read(r.logits)) as Float32Array;
  } finally {
    await s.dispose();
  }
}

const argmax = (x: Float32Array) => x.reduce((b, v, i, a) => (v > a[b] ? i : b), 0);
const maxDiff = (a: Float32Array, b: Float32Array) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);

describe('real VLM path (SmolVLM per-layer contract, micro export)', () => {
  it('builds the SmolVLM chat prompt with the tokenizer.json, image tokens by name', () => {
    expect(prompt.imageRows).toHaveLength(C.imageTokens);
    const around = prompt.ids[prompt.imageRows[0] - 2];
    expect(prompt.ids[prompt.imageRows[C.imageTokens - 1] + 1]).toBe(around); // <fake_token_around_image> on both sides
    expect(tok.decode(prompt.ids)).toBe('User:what color is the star?\nAssistant:');
    const { added_tokens: _a, ...rest } = JSON.parse(new TextDecoder().decode(files[REAL_VLM_FILES.tokenizer])) as Record<string, unknown>;
    const noImage = { ...rest, added_tokens: [], model: { ...(rest.model as object), vocab: { a: 0 } } };
    expect(() => SmolVlmTokenizer.from(noImage, 4)).toThrow(/no <\|im_start\|> token|no <image> token/);
  });

  it('refuses files that break the contract, naming the file and the input', async () => {
    const wrong = { ...files, [REAL_VLM_FILES.layer(1)]: encodeModel(layerGraph(microVlmConfig(50), 0, 1)) };
    const err = await LayerwiseVlm.create(rt, C, wrong).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ContractError);
    expect((err as Error).message).toMatch(/decoder_layer_1\.onnx: no input 'position_ids'/);
    const { [REAL_VLM_FILES.head]: _h, ...noHead } = files;
    await expect(LayerwiseVlm.create(rt, C, noHead)).rejects.toThrow(/lm_head\.onnx is missing/);
  });

  it('with exit disabled equals one full-graph run, prefill and greedy decoding', async () => {
    const st = await vlm.prefill(prompt.ids, feats, { imageTokenId: prompt.imageTokenId, policy: { kind: 'none' }, allLogits: true });
    const full = await fullLogits(prompt.ids);
    expect(maxDiff(st.rowLogits!.logits, full)).toBeLessThan(1e-4);
    // Greedy: the layer-by-layer executor with KV cache vs re-running the full graph on the growing sequence.
    const seq = [...prompt.ids];
    let logits = st.logits;
    for (let k = 0; k < 4; k++) {
      const next = argmax(logits);
      const ref = await fullLogits(seq);
      expect(next).toBe(argmax(ref.subarray((seq.length - 1) * C.vocabSize)));
      seq.push(next);
      logits = await vlm.decode(st, next);
    }
    expect(st.keys.map((k) => k.dims[2])).toEqual(new Array(C.layers).fill(seq.length)); // every token fed so far, in every layer
    vlm.release(st);
  });

  it('after an exit the image tokens are gone (sequence and KV) and text keeps its positions', async () => {
    const S = prompt.ids.length, Nv = C.imageTokens, K = 0;
    const st = await vlm.prefill(prompt.ids, feats, { imageTokenId: prompt.imageTokenId, policy: { kind: 'fixed', layer: K }, allLogits: true });
    expect(st.exitLayer).toBe(K);
    expect(st.trace.map((t) => t.tokens)).toEqual([S, S - Nv, S - Nv]);
    expect(st.keys.map((k) => k.dims)).toEqual([[1, C.kvHeads, S, C.headDim], [1, C.kvHeads, S - Nv, C.headDim], [1, C.kvHeads, S - Nv, C.headDim]]);
    const textRows = prompt.ids.flatMap((id, p) => (id === prompt.imageTokenId ? [] : [p]));
    expect(st.rowLogits!.positions).toEqual(textRows); // original positions, with the gap where the image was
    // Equal to the full graph where text stops seeing image keys after K (same positions) …
    const blocked = await fullLogits(prompt.ids, K);
    const V = C.vocabSize, pick = (x: Float32Array) => Float32Array.from(textRows.flatMap((p) => Array.from(x.subarray(p * V, (p + 1) * V))));
    expect(maxDiff(st.rowLogits!.logits, pick(blocked))).toBeLessThan(1e-4);
    // … and not to the model without exit (the image did matter after layer K).
    expect(maxDiff(st.rowLogits!.logits, pick(await fullLogits(prompt.ids)))).toBeGreaterThan(1e-3);
    await vlm.decode(st, 7);
    expect(st.keys.map((k) => k.dims[2])).toEqual([S + 1, S - Nv + 1, S - Nv + 1]);
    expect(st.nextPosition).toBe(S + 1);
    vlm.release(st);
  });

  it('says clearly when the prompt and the image features disagree', async () => {
    await expect(vlm.prefill(prompt.ids, feats.subarray(0, C.hidden), { imageTokenId: prompt.imageTokenId, policy: { kind: 'none' } })).rejects.toThrow(/4 <image> tokens but the vision encoder gave 1 feature rows/);
    await expect(vlm.prefill(prompt.ids, feats, { imageTokenId: prompt.imageTokenId, policy: { kind: 'gate' } })).rejects.toThrow(/needs DyVTE gates/);
  });
});
