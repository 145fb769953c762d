import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../models/runtime/Runtime.ts';
import { createNodeRuntime } from '../../models/runtime/backends/nodeCpu.ts';
import type { JobEvent } from '../core/events.ts';
import { decodePng } from '../core/png.ts';
import { executeTask } from '../registry.ts';
import { initialLatents, type Text2ImageResult } from './index.ts';
import { ddimInvert, ddimSample } from './ddimLoop.ts';
import { bundleTokenizer, encodePrompts } from './textContext.ts';
import { UnetRunner } from './unetRunner.ts';
import { generateWithAttention, peakPixel } from './attentionMaps.ts';
import { tapAttention } from '../../models/zoo/taps/attentionTaps.ts';
import { decodeModel } from '../../models/graph/decode.ts';
import { encodeModel } from '../../models/graph/encode.ts';
import { unetGraph } from '../../models/zoo/unet/unetGraph.ts';
import { fitLatentPreview, latentToRgba } from '../../models/zoo/vae/latentPreview.ts';
import { bytesProvider, tinyStack } from './testModels.ts';

const stack = tinyStack();
let rt: Runtime;
let models: ReturnType<typeof bytesProvider>;
beforeAll(async () => {
  rt = await createNodeRuntime({ threads: 1 });
  models = bytesProvider(rt, stack.bytes);
});
afterAll(async () => {
  await models.dispose();
  await rt.dispose();
});

async function generate(input: Record<string, unknown>, params: Record<string, unknown> = {}, abortOn?: (e: JobEvent) => boolean) {
  const events: JobEvent[] = [];
  const ctrl = new AbortController();
  const end = await executeTask({ task: 'text2image', input, params: { bundle: stack.bundle, ...params } }, rt, {
    signal: ctrl.signal, models, emit: (e) => { events.push(e); if (abortOn?.(e)) ctrl.abort(); },
  });
  return { events, end };
}

describe('text2image', () => {
  it('steps with a preview each step and returns a PNG with the recipe', async () => {
    const { events, end } = await generate({ prompt: 'a red star on grass', seed: 3, steps: 4, guidance: 4 });
    expect(end.type, JSON.stringify(end)).toBe('complete');
    const r = (end as { result: Text2ImageResult }).result;
    const steps = events.filter((e) => e.type === 'step');
    expect(steps.map((e) => (e as { k: number }).k)).toEqual([1, 2, 3, 4]);
    const previews = events.filter((e) => e.type === 'preview');
    expect(previews.length).toBe(4);
    expect(previews[0]).toMatchObject({ kind: 'image', width: 16, height: 16, step: 1 });
    expect(events.filter((e) => e.type === 'phase').map((e) => (e as { phase: string }).phase)).toEqual(['compile', 'encode', 'steps', 'decode']);
    const png = decodePng(r.png);
    expect([png.width, png.height]).toEqual([16, 16]);
    expect([...png.data.subarray(0, 12)]).toEqual([...r.rgb.subarray(0, 12)]);
    expect(JSON.parse(png.text.recipe)).toMatchObject({ pipeline: 'text2image', prompt: 'a red star on grass', seed: 3, steps: 4, guidance: 4, model: 'tiny-sd', backend: 'node-cpu' });
  });

  it('is deterministic per seed; seed, prompt and guidance change the image', async () => {
    const img = async (input: Record<string, unknown>) => ((await generate({ steps: 3, guidance: 3, ...input })).end as { result: Text2ImageResult }).result.rgb;
    const a = await img({ prompt: 'a blue ring', seed: 1 });
    expect([...(await img({ prompt: 'a blue ring', seed: 1 }))]).toEqual([...a]);
    const differs = (b: Uint8Array) => b.some((v, i) => v !== a[i]);
    expect(differs(await img({ prompt: 'a blue ring', seed: 2 }))).toBe(true);
    expect(differs(await img({ prompt: 'a green heart at the top', seed: 1 }))).toBe(true);
    expect(differs(await img({ prompt: 'a blue ring', seed: 1, guidance: 1 }))).toBe(true);
  });

  it('returns per-token heatmaps when asked and the UNet exposes maps; warns otherwise', async () => {
    const { events, end } = await generate({ prompt: 'a red star on grass', seed: 3, steps: 3 }, { attention: true });
    const r = (end as { result: Text2ImageResult }).result;
    expect(r.attention).toBeDefined();
    const { maps, size, keys } = r.attention!;
    expect([size, keys]).toEqual([4, stack.bundle.tokenizer.contextLength]);
    for (let q = 0; q < size * size; q++) {
      let sum = 0;
      for (let k = 0; k < keys; k++) sum += maps[k * size * size + q];
      expect(sum).toBeCloseTo(1, 4);
    }
    expect(events.filter((e) => e.type === 'preview').length).toBe(3);
    // Same image with or without collecting maps.
    const plainRun = ((await generate({ prompt: 'a red star on grass', seed: 3, steps: 3 })).end as { result: Text2ImageResult }).result;
    expect([...plainRun.rgb]).toEqual([...r.rgb]);
    expect(plainRun.attention).toBeUndefined();
    const w = await generate({ prompt: 'a red star', steps: 2 }, { attention: true, bundle: { ...stack.bundle, models: { ...stack.bundle.models, unet: 'tiny-unet-plain' } } });
    expect(w.end.type).toBe('complete');
    expect(w.events.some((e) => e.type === 'warning' && /no cross-attention maps/.test(e.message))).toBe(true);
  });

  it('cancels between steps', async () => {
    const { events, end } = await generate({ prompt: 'a star', steps: 20 }, {}, (e) => e.type === 'step' && e.k === 2);
    expect(end.type).toBe('canceled');
    expect(events.filter((e) => e.type === 'step').length).toBe(2);
  });

  it('names the missing model clearly', async () => {
    const { end } = await generate({ prompt: 'a star', steps: 2 }, { bundle: { ...stack.bundle, models: { ...stack.bundle.models, unet: 'micro-unet' } } });
    expect(end.type).toBe('error');
    expect((end as { message: string }).message).toMatch(/model 'micro-unet' of tiny test stack is not available/);
  });
});

describe('DDIM inversion on the UNet', () => {
  it('inverting then sampling (guidance 1) returns close to the start latent; sampling alone does not', async () => {
    const b = stack.bundle;
    // Default init (small output layer): ε varies smoothly with x, as a trained model's does; the
    // test stack's outScale-3 UNet is deliberately rough (so images differ visibly) and inverts poorly.
    const session = await rt.createSession(encodeModel(unetGraph(stack.unet, { seed: 'smooth' })));
    const unet = new UnetRunner(rt, session, b);
    const text = await models.session(b.models.textEncoder);
    const { context } = await encodePrompts(rt, text, await bundleTokenizer(b), ['', 'a yellow heart on sand']);
    const cond = context.subarray(context.length / 2);
    const z0 = initialLatents(9, 4 * 4 * 4).map((v) => v * 0.8);
    const path = await ddimInvert(unet, z0, cond, 50);
    expect(path.length).toBe(51);
    const back = await ddimSample(unet, path[50], context, { steps: 50, guidance: 1 });
    const rms = (a: Float32Array, c: Float32Array) => Math.sqrt(a.reduce((s, v, i) => s + (v - c[i]) ** 2, 0) / a.length);
    const scale = rms(z0, new Float32Array(z0.length));
    expect(rms(back, z0) / scale).toBeLessThan(0.05);
    // A different start noise goes elsewhere: the round trip is not trivially satisfied.
    const other = await ddimSample(unet, initialLatents(10, 64), context, { steps: 50, guidance: 1 });
    expect(rms(other, z0) / scale).toBeGreaterThan(0.3);
    await session.dispose();
  });
});

describe('cross-attention maps over a generation', () => {
  it('per-pixel token distributions (sum 1 over tokens) from a tapped UNet; same latents as untapped sampling', async () => {
    const b = stack.bundle;
    const { model, layers } = tapAttention(decodeModel(stack.bytes[b.models.unet]), { cross: { expose: 'mean' } });
    const tapped = new UnetRunner(rt, await rt.createSession(encodeModel(model)), b);
    const plain = new UnetRunner(rt, await models.session(b.models.unet), b);
    const { context } = await encodePrompts(rt, await models.session(b.models.textEncoder), await bundleTokenizer(b), ['', 'a red star on the left']);
    const xT = initialLatents(4, 64);
    const r = await generateWithAttention(tapped, layers.map((l) => ({ output: l.output!, queries: l.queries!, keys: l.keys! })), xT, context, { steps: 3, guidance: 4 });
    expect([r.size, r.keys]).toEqual([4, b.tokenizer.contextLength]);
    for (let q = 0; q < 16; q++) {
      let sum = 0;
      for (let k = 0; k < r.keys; k++) sum += r.maps[k * 16 + q];
      expect(sum).toBeCloseTo(1, 4);
    }
    const ref = await ddimSample(plain, xT, context, { steps: 3, guidance: 4 });
    ref.forEach((v, i) => expect(r.latents[i]).toBeCloseTo(v, 4));
    const [x, y] = peakPixel(r, 2, 16);
    expect(x >= 0 && x < 16 && y >= 0 && y < 16).toBe(true);
    await tapped.session.dispose();
  });
});

describe('latent preview', () => {
  it('recovers a linear latent → RGB map from decodes, and renders it', () => {
    const n = 3, C = 4, s = 4, S = 16, f = S / s;
    const W = [[0.5, -0.2, 0.1, 0], [0, 0.3, 0.2, -0.4], [0.1, 0.1, -0.5, 0.2]], bias = [0.1, -0.2, 0.05];
    const lat = Float32Array.from({ length: n * C * s * s }, (_, i) => Math.sin(i * 1.7) + Math.cos(i * 0.31));
    const img = new Float32Array(n * 3 * S * S);
    for (let b = 0; b < n; b++) for (let c = 0; c < 3; c++) for (let y = 0; y < S; y++) for (let x = 0; x < S; x++) {
      const p = Math.floor(y / f) * s + Math.floor(x / f);
      let v = bias[c];
      for (let k = 0; k < C; k++) v += W[c][k] * lat[(b * C + k) * s * s + p];
      img[((b * 3 + c) * S + y) * S + x] = v;
    }
    const fit = fitLatentPreview(lat, img, n, C, s, S);
    for (let c = 0; c < 3; c++) {
      for (let k = 0; k < C; k++) expect(fit.weights[c][k]).toBeCloseTo(W[c][k], 4);
      expect(fit.bias[c]).toBeCloseTo(bias[c], 4);
    }
    const rgba = latentToRgba(lat.subarray(0, C * s * s), C, s, fit, f);
    expect(rgba.length).toBe(S * S * 4);
    const v = bias[0] + W[0].reduce((a, w, k) => a + w * lat[k * s * s], 0);
    expect(rgba[0]).toBe(Math.round((v + 1) * 127.5));
    expect(rgba[3]).toBe(255);
  });
});

describe('text context', () => {
  it('feeds attention_mask when the text export has one; real-token rows match the mask-free export', async () => {
    const { MicroTokenizer } = await import('../../models/text/tokenizer.ts');
    const { microClipConfig } = await import('../../models/zoo/clip/config.ts');
    const { clipTextGraph } = await import('../../models/zoo/clip/clipGraphs.ts');
    const tok = MicroTokenizer.microworld();
    const cfg = microClipConfig(tok.vocab.tokens.length, tok.vocab.eotId, tok.contextLength);
    cfg.text = { ...cfg.text, width: 8, layers: 1, heads: 2 };
    const plain = await rt.createSession(encodeModel(clipTextGraph(cfg, 'm')));
    const masked = await rt.createSession(encodeModel(clipTextGraph(cfg, 'm', { attentionMask: true })));
    const tokenize = await bundleTokenizer(stack.bundle);
    const a = await encodePrompts(rt, plain, tokenize, ['a red star']);
    const b = await encodePrompts(rt, masked, tokenize, ['a red star']);
    const real = tokenize('a red star').mask.reduce((s, v) => s + v, 0);
    expect(real).toBeGreaterThan(3);
    for (let i = 0; i < real * a.dim; i++) expect(b.context[i]).toBeCloseTo(a.context[i], 5);
    await plain.dispose();
    await masked.dispose();
  });
});

describe('BPE tokenizer (real SD path)', () => {
  it('uses the model\'s tokenizer files for a bpe bundle, and says when they are missing', async () => {
    const { clipTokenizerFixture } = await import('../../models/zoo/clip/real/tokenizerFixture.ts');
    const fx = clipTokenizerFixture();
    const b = { ...stack.bundle, tokenizer: { kind: 'bpe' as const, files: { tokenizer: 'tokenizer/tokenizer.json' }, contextLength: 77 } };
    await expect(bundleTokenizer(b)).rejects.toThrow(/tokenizerFiles/);
    const tok = await bundleTokenizer(b, { tokenizer: fx.tokenizerJson, config: fx.tokenizerConfig });
    const t = tok('a photo of a red star');
    expect(t.length).toBe(77);
    expect(t.ids[0]).toBe(fx.sotId);
    expect(t.words.map((w) => w.text)).toContain('star');
    const star = t.words.find((w) => w.text === 'star')!;
    expect(t.ids[star.position]).not.toBe(fx.eotId);
    expect(t.mask.reduce((s, v) => s + v, 0)).toBe(t.words.length + 2);
  });
});

describe('float16 I/O', () => {
  it('converts to and from IEEE half exactly where representable and rounds to nearest even', async () => {
    const { fromHalf, toHalf } = await import('./floatIo.ts');
    for (const v of [0, 1, -2, 0.5, 65504, 6.103515625e-5, 5.960464477539063e-8, 1024.5]) expect(fromHalf(toHalf(v))).toBe(v === 1024.5 ? 1024 : v);
    expect(toHalf(1)).toBe(0x3c00);
    expect(toHalf(-2)).toBe(0xc000);
    expect(fromHalf(toHalf(1e6))).toBe(Infinity);
    expect(fromHalf(toHalf(0.1))).toBeCloseTo(0.1, 3);
    expect(Number.isNaN(fromHalf(toHalf(NaN)))).toBe(true);
  });
});
