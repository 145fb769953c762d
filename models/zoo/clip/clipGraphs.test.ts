import { describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-node';
import { encodeModel } from '../../graph/encode.ts';
import { vitDefaults } from '../vit.ts';
import { clipAttributeForward, clipStemAttributeForward, clipTextGraph, clipTrainForward, clipVisionGraph, withWeights } from './clipGraphs.ts';
import type { ClipConfig } from './config.ts';

const EOT = 9;
const cfg: ClipConfig = {
  vision: { ...vitDefaults, imageSize: 16, patchSize: 8, width: 16, layers: 1, heads: 2, headDim: 8, head: 'visual_projection', pool: 'cls' },
  text: { vocabSize: 10, contextLength: 6, width: 16, layers: 2, heads: 2, mlpRatio: 2, layerNormEps: 1e-5, eotId: EOT },
  projectionDim: 8,
  logitScaleInit: Math.log(1 / 0.07),
};

const session = (m: Parameters<typeof encodeModel>[0]) => ort.InferenceSession.create(encodeModel(m));
const ids = (rows: number[][]) => new ort.Tensor('int64', BigInt64Array.from(rows.flat().map(BigInt)), [rows.length, rows[0].length]);
const f32 = (t: ort.Tensor) => t.data as Float32Array;

describe('micro-CLIP graphs', () => {
  it('exports the public CLIP I/O names and shapes', async () => {
    const v = await session(clipVisionGraph(cfg, 1));
    const t = await session(clipTextGraph(cfg, 1, { attentionMask: true }));
    expect(v.inputNames).toEqual(['pixel_values']);
    expect(v.outputNames).toEqual(['image_embeds', 'last_hidden_state']);
    expect(t.inputNames).toEqual(['input_ids', 'attention_mask']);
    expect(t.outputNames).toEqual(['text_embeds', 'last_hidden_state']);
    const vo = await v.run({ pixel_values: new ort.Tensor('float32', new Float32Array(2 * 3 * 16 * 16).fill(0.3), [2, 3, 16, 16]) });
    expect(vo.image_embeds.dims).toEqual([2, 8]);
    expect(vo.last_hidden_state.dims).toEqual([2, 5, 16]);
    const to = await t.run({ input_ids: ids([[8, 1, 2, EOT, 0, 0]]), attention_mask: ids([[1, 1, 1, 1, 0, 0]]) });
    expect(to.text_embeds.dims).toEqual([1, 8]);
    expect(to.last_hidden_state.dims).toEqual([1, 6, 16]);
  });

  it('text tower is causal and pools at the first eot, so padding never changes the embedding', async () => {
    const t = await session(clipTextGraph(cfg, 2));
    const run = async (r: number[]) => t.run({ input_ids: ids([r]) });
    const a = await run([8, 1, 2, EOT, 0, 0]);
    const b = await run([8, 1, 2, EOT, 5, EOT]); // different tokens after the eot
    const c = await run([8, 1, 3, EOT, 0, 0]); // different token before the eot
    expect(Array.from(f32(b.text_embeds))).toEqual(Array.from(f32(a.text_embeds)));
    expect(Math.max(...f32(c.text_embeds).map((x, i) => Math.abs(x - f32(a.text_embeds)[i])))).toBeGreaterThan(1e-4);
    // Causality on hidden states: positions 0..1 see only tokens 0..1, which are equal in a and c.
    const W = 16;
    expect(Array.from(f32(c.last_hidden_state).slice(0, 2 * W))).toEqual(Array.from(f32(a.last_hidden_state).slice(0, 2 * W)));
    expect(Array.from(f32(c.last_hidden_state).slice(2 * W, 3 * W))).not.toEqual(Array.from(f32(a.last_hidden_state).slice(2 * W, 3 * W)));
  });

  it('an attention mask over right padding leaves the embedding unchanged', async () => {
    const plain = await session(clipTextGraph(cfg, 3));
    const masked = await session(clipTextGraph(cfg, 3, { attentionMask: true }));
    const x = ids([[8, 4, EOT, 0, 0, 0]]);
    const p = await plain.run({ input_ids: x });
    const m = await masked.run({ input_ids: x, attention_mask: ids([[1, 1, 1, 0, 0, 0]]) });
    f32(m.text_embeds).forEach((v, i) => expect(v).toBeCloseTo(f32(p.text_embeds)[i], 5));
  });

  it('training forward gives log(B) loss for identical embeddings and uses the same names as the exports', async () => {
    const fwd = clipTrainForward(cfg, 3, 4);
    const exportNames = new Set([...clipVisionGraph(cfg, 0).graph.initializers.keys(), ...clipTextGraph(cfg, 0).graph.initializers.keys()]);
    const trainable = fwd.params.filter((p) => p !== 'logit_scale');
    expect(trainable.every((p) => exportNames.has(p))).toBe(true);
    expect(fwd.params).toContain('logit_scale');
    const s = await session(fwd.model);
    const eye = new Float32Array([1, 0, 0, 0, 1, 0, 0, 0, 1]);
    // Three identical images and texts: every logit equal, so each CE is log(3).
    const out = await s.run({
      pixel_values: new ort.Tensor('float32', new Float32Array(3 * 3 * 16 * 16).fill(0.1), [3, 3, 16, 16]),
      input_ids: ids([[8, 1, EOT, 0, 0, 0], [8, 1, EOT, 0, 0, 0], [8, 1, EOT, 0, 0, 0]]),
      labels: new ort.Tensor('float32', eye, [3, 3]),
      labels_t: new ort.Tensor('float32', eye, [3, 3]),
    });
    expect(f32(out.loss)[0]).toBeCloseTo(Math.log(3), 4);
  });

  it('a conv stem keeps the pixel_values contract and the token count', async () => {
    const stemmed: ClipConfig = { ...cfg, stem: { channels: [4, 6], stride: 2 } };
    const v = await session(clipVisionGraph(stemmed, 1));
    const out = await v.run({ pixel_values: new ort.Tensor('float32', new Float32Array(3 * 16 * 16).fill(0.2), [1, 3, 16, 16]) });
    expect(out.image_embeds.dims).toEqual([1, 8]);
    expect(out.last_hidden_state.dims).toEqual([1, 5, 16]);
    expect(clipTrainForward(stemmed, 2, 0).params).toContain('vision_model.stem.conv2.weight');
  });

  it('a normalized stem with per-conv strides patchifies its feature map 1×1 (same token count)', async () => {
    const conv: ClipConfig = { ...cfg, stem: { channels: [4, 8], stride: 2, strides: [2, 4], groups: 2 } };
    const v = await session(clipVisionGraph(conv, 1));
    const px = new Float32Array(2 * 3 * 16 * 16).map((_, i) => Math.sin(i));
    const out = await v.run({ pixel_values: new ort.Tensor('float32', px, [2, 3, 16, 16]) });
    expect(out.image_embeds.dims).toEqual([2, 8]);
    expect(out.last_hidden_state.dims).toEqual([2, 5, 16]);
    const params = clipTrainForward(conv, 2, 0).params;
    expect(params).toEqual(expect.arrayContaining(['vision_model.stem.norm1.weight', 'vision_model.stem.norm2.bias']));
    expect(() => clipVisionGraph({ ...conv, stem: { ...conv.stem!, strides: [2] } }, 1)).toThrow(/1 strides for 2 convs/);
  });

  it('auxiliary heads add weight × CE per labeled row, nothing for all-zero rows, and stay out of the exports', async () => {
    const aux = { weight: 0.5, heads: [{ name: 'shape', classes: 3 }] };
    const plain = await session(clipTrainForward(cfg, 2, 4).model);
    const withAux = clipTrainForward(cfg, 2, 4, aux);
    expect(withAux.params).toEqual(expect.arrayContaining(['aux_shape.weight', 'aux_shape.bias']));
    const exportNames = new Set(clipVisionGraph(cfg, 0).graph.initializers.keys());
    expect(exportNames.has('aux_shape.weight')).toBe(false);
    const s = await session(withAux.model);
    const eye = new Float32Array([1, 0, 0, 1]);
    const feeds = {
      pixel_values: new ort.Tensor('float32', new Float32Array(2 * 3 * 16 * 16).map((_, i) => Math.cos(i)), [2, 3, 16, 16]),
      input_ids: ids([[8, 1, EOT, 0, 0, 0], [8, 2, EOT, 0, 0, 0]]),
      labels: new ort.Tensor('float32', eye, [2, 2]),
      labels_t: new ort.Tensor('float32', eye, [2, 2]),
    };
    const base = f32((await plain.run(feeds)).loss)[0];
    const none = f32((await s.run({ ...feeds, attr_shape: new ort.Tensor('float32', new Float32Array(6), [2, 3]) })).loss)[0];
    expect(none).toBeCloseTo(base, 5);
    // Bias starts at 0 and the weights are small, so one labeled row of two costs about ½·log 3 on the mean CE.
    const one = f32((await s.run({ ...feeds, attr_shape: new ort.Tensor('float32', Float32Array.of(0, 1, 0, 0, 0, 0), [2, 3]) })).loss)[0];
    expect(one - base).toBeGreaterThan(0.5 * 0.5 * Math.log(3) * 0.5);
    expect(one - base).toBeLessThan(0.5 * 0.5 * Math.log(3) * 2);
  });

  it('prompt heads score the image against the text tower\'s own class-prompt embeddings (logit-adjusted), adding no parameters', async () => {
    const prompts = [[8, 1, EOT, 0, 0, 0], [8, 2, EOT, 0, 0, 0], [8, 3, 4, EOT, 0, 0]];
    const heads = { weight: 0.5, heads: [{ name: 'shape', classes: 3, ids: BigInt64Array.from(prompts.flat().map(BigInt)) }], priors: true };
    const plainFwd = clipTrainForward(cfg, 2, 4);
    const fwd = clipTrainForward(cfg, 2, 4, undefined, heads);
    expect(fwd.params).toEqual(plainFwd.params);
    const px = new ort.Tensor('float32', new Float32Array(2 * 3 * 16 * 16).map((_, i) => Math.sin(i * 0.7)), [2, 3, 16, 16]);
    const eye = new Float32Array([1, 0, 0, 1]);
    const feeds = { pixel_values: px, input_ids: ids([[8, 1, EOT, 0, 0, 0], [8, 2, EOT, 0, 0, 0]]), labels: new ort.Tensor('float32', eye, [2, 2]), labels_t: new ort.Tensor('float32', eye, [2, 2]) };
    const base = f32((await (await session(plainFwd.model)).run(feeds)).loss)[0];
    const s = await session(fwd.model);
    const run = async (label: number[], prior: number[]) => f32((await s.run({
      ...feeds, attr_shape: new ort.Tensor('float32', Float32Array.from(label), [2, 3]), prior_shape: new ort.Tensor('float32', Float32Array.from(prior), [2, 3]),
    })).loss)[0];
    expect(await run([0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0])).toBeCloseTo(base, 5);
    // Expected: ½ (mean over 2 rows, one labeled) × weight × CE(s·cos(img₀, prompt_k) + prior, class 2), from the exports.
    const img = f32((await (await session(clipVisionGraph(cfg, 4))).run({ pixel_values: px })).image_embeds).slice(0, 8);
    const txt = f32((await (await session(clipTextGraph(cfg, 4))).run({ input_ids: ids(prompts) })).text_embeds);
    const unit = (v: Float32Array) => { const n = Math.hypot(...v); return Array.from(v, (x) => x / n); };
    const a = unit(img);
    const cos = [0, 1, 2].map((k) => { const t = unit(txt.slice(k * 8, k * 8 + 8)); return t.reduce((acc, x, d) => acc + x * a[d], 0); });
    const ce = (prior: number[]) => { const z = cos.map((c, k) => c / 0.07 + prior[k]); const m = Math.max(...z); return Math.log(z.reduce((acc, x) => acc + Math.exp(x - m), 0)) + m - z[2]; };
    expect((await run([0, 0, 1, 0, 0, 0], [0, 0, 0, 0, 0, 0])) - base).toBeCloseTo(0.25 * ce([0, 0, 0]), 4);
    expect((await run([0, 0, 1, 0, 0, 0], [0, 0, -8, 0, 0, 0])) - base).toBeCloseTo(0.25 * ce([0, 0, -8]), 4);
    expect(() => clipTrainForward(cfg, 2, 4, undefined, { weight: 1, heads: [{ name: 'shape', classes: 2, ids: new BigInt64Array(6) }] })).toThrow(/6 ids for 2 prompts/);
    // More prompts than classes: select_<name> picks each image's prompt per class. Picking
    // prompts 2, 1, 0 for classes 0, 1, 2 reverses the table, so class 0 now scores prompt 2.
    const sel = clipTrainForward(cfg, 2, 4, undefined, { weight: 0.5, heads: [{ name: 'shape', classes: 3, prompts: 3, ids: heads.heads[0].ids }], priors: true });
    expect(sel.model.graph.inputs.map((i) => i.name)).not.toContain('select_shape');
    const four = { weight: 0.5, heads: [{ name: 'shape', classes: 3, prompts: 4, ids: BigInt64Array.from([...prompts, [8, 5, EOT, 0, 0, 0]].flat().map(BigInt)) }], priors: true };
    const s4 = await session(clipTrainForward(cfg, 2, 4, undefined, four).model);
    const pick = new Float32Array(2 * 4 * 3);
    [2, 1, 0].forEach((row, k) => { pick[row * 3 + k] = 1; });
    const reversed = f32((await s4.run({
      ...feeds, attr_shape: new ort.Tensor('float32', Float32Array.of(1, 0, 0, 0, 0, 0), [2, 3]), prior_shape: new ort.Tensor('float32', new Float32Array(6), [2, 3]),
      select_shape: new ort.Tensor('float32', pick, [2, 4, 3]),
    })).loss)[0];
    expect(reversed - base).toBeCloseTo(0.25 * ce([0, 0, 0]), 4);
  });

  it('the supervised tower stage has only image-side parameters, named as in the contrastive forward', async () => {
    const aux = { weight: 1, heads: [{ name: 'shape', classes: 3 }, { name: 'color', classes: 2 }] };
    const tower = clipAttributeForward(cfg, 2, 4, aux);
    const full = new Set(clipTrainForward(cfg, 2, 4, aux).params);
    expect(tower.params.length).toBeGreaterThan(0);
    expect(tower.params.every((p) => full.has(p) && !p.startsWith('text_'))).toBe(true);
    const s = await session(tower.model);
    expect(s.inputNames).toEqual(['pixel_values', 'attr_shape', 'attr_color']);
    const px = new ort.Tensor('float32', new Float32Array(2 * 3 * 16 * 16).map((_, i) => Math.sin(i / 7)), [2, 3, 16, 16]);
    const zero = await s.run({ pixel_values: px, attr_shape: new ort.Tensor('float32', new Float32Array(6), [2, 3]), attr_color: new ort.Tensor('float32', new Float32Array(4), [2, 2]) });
    expect(f32(zero.loss)[0]).toBe(0);
  });

  it('logit adjustment adds the prior to the head logits: a prior that rules out the true class costs about its size', async () => {
    const aux = { weight: 1, heads: [{ name: 'shape', classes: 3 }], priors: true };
    const tower = clipAttributeForward(cfg, 2, 4, aux);
    const s = await session(tower.model);
    expect(s.inputNames).toEqual(['pixel_values', 'attr_shape', 'prior_shape']);
    const px = new ort.Tensor('float32', new Float32Array(2 * 3 * 16 * 16).map((_, i) => Math.sin(i / 5)), [2, 3, 16, 16]);
    const label = new ort.Tensor('float32', Float32Array.of(1, 0, 0, 0, 1, 0), [2, 3]);
    const run = async (prior: number[]) => f32((await s.run({ pixel_values: px, attr_shape: label, prior_shape: new ort.Tensor('float32', Float32Array.from(prior), [2, 3]) })).loss)[0];
    const flat = await run([0, 0, 0, 0, 0, 0]);
    // A constant row shift changes nothing (softmax is shift-invariant) …
    expect(await run([-2, -2, -2, 5, 5, 5])).toBeCloseTo(flat, 4);
    // … −8 on each row's true class costs up to 8 (less where that class was already unlikely) …
    const against = await run([-8, 0, 0, 0, -8, 0]);
    expect(against - flat).toBeGreaterThan(4);
    expect(against - flat).toBeLessThan(8);
    // … and +8 on it makes the row nearly free.
    expect(await run([8, 0, 0, 0, 8, 0])).toBeLessThan(0.01);
  });

  it('the stem phase trains only the conv stem (same names as the full tower) and its own heads', async () => {
    const conv: ClipConfig = { ...cfg, stem: { channels: [8, 16], stride: 2, strides: [1, 2], groups: 4 } };
    const aux = { weight: 1, heads: [{ name: 'shape', classes: 3 }] };
    const stem = clipStemAttributeForward(conv, 2, 4, aux);
    const tower = new Set(clipAttributeForward(conv, 2, 4, aux).params);
    const own = stem.params.filter((p) => !tower.has(p));
    expect(own.sort()).toEqual(['stem_aux_shape.bias', 'stem_aux_shape.weight', 'stem_projection.weight']);
    const shared = stem.params.filter((p) => tower.has(p));
    expect(shared.length).toBe(8);
    expect(shared.every((p) => p.startsWith('vision_model.stem.'))).toBe(true);
    const s = await session(stem.model);
    const px = new ort.Tensor('float32', new Float32Array(2 * 3 * 16 * 16).map((_, i) => Math.cos(i / 3)), [2, 3, 16, 16]);
    const out = await s.run({ pixel_values: px, attr_shape: new ort.Tensor('float32', Float32Array.of(0, 0, 1, 0, 1, 0), [2, 3]) });
    const unlabeled = await s.run({ pixel_values: px, attr_shape: new ort.Tensor('float32', new Float32Array(6), [2, 3]) });
    expect(f32(out.loss)[0]).toBeGreaterThan(0.1);
    expect(Number.isFinite(f32(out.loss)[0])).toBe(true);
    expect(f32(unlabeled.loss)[0]).toBe(0);
    expect(() => clipStemAttributeForward(cfg, 2, 4, aux)).toThrow(/no stem/);
  });

  it('withWeights replaces values by name and rejects a size mismatch', () => {
    const m = clipTextGraph(cfg, 0);
    const name = 'text_projection.weight';
    const w = new Float32Array(16 * 8).fill(0.5);
    const { model, used } = withWeights(m, new Map([[name, w]]));
    expect(used).toEqual([name]);
    expect((model.graph.initializers.get(name)!.values as Float32Array)[7]).toBe(0.5);
    expect(() => withWeights(m, new Map([[name, new Float32Array(3)]]))).toThrow(/3 values/);
  });
});
