import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { encodeModel } from '../../graph/encode.ts';
import { MicroTokenizer, toBigInt64 } from '../../text/tokenizer.ts';
import { Prng } from '../../data/microworld/prng.ts';
import { buildVisualnessGraph, relevanceRollout, RELEVANCE_OUTPUT, SCORE_OUTPUT } from './visualnessGraph.ts';
import { tinyTextGraph } from './testing.ts';

const L = 12;
const texts = ['a red star next to a blue ring', 'freedom is hard to define'];

async function setup() {
  const { cfg, model } = tinyTextGraph('vg', L);
  const nul = new Prng('null').fillNormal(new Float32Array(cfg.projectionDim), 1);
  const g = buildVisualnessGraph(model, nul, { heads: cfg.text.heads, debug: true });
  const s = await ort.InferenceSession.create(encodeModel(g.model));
  const tok = MicroTokenizer.microworld({ contextLength: L });
  const enc = tok.encodeBatch(texts);
  const H = cfg.text.heads, B = texts.length;
  const feeds = (deltas?: Record<string, Float32Array>): Record<string, ort.Tensor> => ({
    input_ids: new ort.Tensor('int64', toBigInt64(enc.ids), [B, L]),
    ...Object.fromEntries(g.deltas.map((d) => [d.name, new ort.Tensor('float32', deltas?.[d.name] ?? new Float32Array(B * H * L * L), [B, H, L, L])])),
  });
  return { cfg, g, s, nul, feeds, H, B, enc };
}

describe('visualness graph (surgery + autodiff + Chefer rollout)', () => {
  it('scores 1 − cos(NULL, text) and keeps text_embeds', async () => {
    const { s, nul, feeds, cfg, B } = await setup();
    const out = await s.run(feeds());
    const e = out.text_embeds.data as Float32Array, sc = out[SCORE_OUTPUT].data as Float32Array;
    const D = cfg.projectionDim;
    const nn = Math.hypot(...nul);
    for (let b = 0; b < B; b++) {
      const row = e.subarray(b * D, (b + 1) * D);
      const cos = row.reduce((a, x, k) => a + x * nul[k], 0) / (Math.hypot(...row) * nn);
      expect(sc[b]).toBeCloseTo(1 - cos, 5);
    }
    await s.release();
  });

  it('attention gradients match finite differences on the delta inputs', async () => {
    const { s, g, feeds, H, B, enc } = await setup();
    const base = await s.run(feeds());
    const grad = base.attn_grad_1.data as Float32Array;
    // Perturb layer 1 (the last), head 1, query <eot> → key 2 of sentence 0: the last layer only matters at the pooled <eot> row.
    const idx = 1 * L * L + enc.eotIndex[0] * L + 2;
    const eps = 1e-3;
    const plus = new Float32Array(B * H * L * L); plus[idx] = eps;
    const minus = new Float32Array(B * H * L * L); minus[idx] = -eps;
    const sp = (await s.run(feeds({ [g.deltas[1].name]: plus })))[SCORE_OUTPUT].data as Float32Array;
    const sm = (await s.run(feeds({ [g.deltas[1].name]: minus })))[SCORE_OUTPUT].data as Float32Array;
    const fd = (sp[0] - sm[0]) / (2 * eps);
    expect(Math.abs(grad[idx])).toBeGreaterThan(1e-6);
    expect(grad[idx]).toBeCloseTo(fd, 3);
    await s.release();
  });

  it('relevance equals the TS reference of the rollout R ← rownorm(I + mean_h|∇A⊙A|)·R', async () => {
    const { s, g, feeds, H, B, enc } = await setup();
    const out = await s.run(feeds());
    const R = out[RELEVANCE_OUTPUT].data as Float32Array;
    for (let b = 0; b < B; b++) {
      const per = H * L * L;
      const probs = Array.from({ length: g.layers }, (_, l) => (out[`attn_probs_${l}`].data as Float32Array).slice(b * per, (b + 1) * per));
      const grads = Array.from({ length: g.layers }, (_, l) => (out[`attn_grad_${l}`].data as Float32Array).slice(b * per, (b + 1) * per));
      const ref = relevanceRollout(probs, grads, H, L);
      const got = R.subarray(b * L * L, (b + 1) * L * L);
      let maxErr = 0;
      for (let i = 0; i < ref.length; i++) maxErr = Math.max(maxErr, Math.abs(ref[i] - got[i]));
      expect(maxErr).toBeLessThan(1e-5);
      // Causal attention: nothing flows from future tokens.
      expect(got[2 * L + 7]).toBe(0);
      // A product of row-stochastic matrices: every row sums to 1, and the gradient weighting
      // moves real mass off the diagonal (R is not the identity).
      const eot = enc.eotIndex[b];
      const row = Array.from(got.subarray(eot * L, (eot + 1) * L));
      expect(row.reduce((x, y) => x + y, 0)).toBeCloseTo(1, 5);
      expect(Math.max(...row.filter((_, j) => j !== eot))).toBeGreaterThan(1e-4);
    }
    await s.release();
  });
});
