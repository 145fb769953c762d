/**
 * 'text2image': prompt → image with latent diffusion (DDIM with η, classifier-free guidance).
 *
 *   run(rt, { prompt: 'a red star on grass', seed: 7, steps: 25, guidance: 5 }, text2imageDefaults, ctx)
 *
 * Phases: encode (text encoder on [negative, prompt]) → steps (UNet per DDIM step; a cheap
 * latent→RGB preview of the x̂₀ estimate after every step; cancel checked between steps) → decode
 * (VAE decoder) → PNG with the recipe in a tEXt chunk. Models come from the job host's provider by
 * the bundle's manifest ids (micro stack by default); a missing model is a clear error.
 */
import type { PipelineRun } from '../core/events.ts';
import { throwIfAborted } from '../core/events.ts';
import { encodePng } from '../core/png.ts';
import { Prng } from '../core/prng.ts';
import { NoiseSchedule } from '../core/schedulers/noiseSchedule.ts';
import { predictX0 } from '../core/schedulers/ddim.ts';
import { ddimSample } from './ddimLoop.ts';
import { attentionLayersOf, generateWithAttention } from './attentionMaps.ts';
import type { DiffusionBundle } from '../../models/manifests/sdBundle.ts';
import { MICRO_SD } from '../../models/manifests/sdMicro.ts';
import { latentToRgba } from '../../models/zoo/vae/latentPreview.ts';
import { type TokenizerFiles, bundleTokenizer, encodePrompts } from './textContext.ts';
import { UnetRunner, decodeLatents, toRgb8 } from './unetRunner.ts';

export const TEXT2IMAGE_VERSION = '1';

export interface Text2ImageInput {
  prompt: string;
  negativePrompt?: string;
  seed?: number;
  steps?: number;
  guidance?: number;
  eta?: number;
}

export interface Text2ImageParams {
  seed: number;
  steps: number;
  guidance: number;
  /** DDIM η (0 = deterministic). */
  eta: number;
  /** Emit a preview every k steps (0 = none). */
  previewEvery: number;
  bundle: DiffusionBundle;
  /**
   * Also return per-token cross-attention heatmaps (`result.attention`), from a UNet whose export
   * exposes them (the micro-UNet does: models/zoo/taps); others get a warning and no maps.
   */
  attention?: boolean;
  /** tokenizer.json / tokenizer_config.json contents, for bundles with a BPE tokenizer (SD 1.5). */
  tokenizerFiles?: TokenizerFiles;
}

export const text2imageDefaults: Text2ImageParams = { seed: 0, steps: 25, guidance: 5, eta: 0, previewEvery: 1, bundle: MICRO_SD };

export interface Text2ImageResult {
  width: number;
  height: number;
  /** Interleaved RGB bytes. */
  rgb: Uint8Array;
  /** PNG with a `recipe` tEXt chunk. */
  png: Uint8Array;
  recipe: Record<string, unknown>;
  /** Final latents (scaled), for inversion/editing. */
  latents: Float32Array;
  /** [keys, size, size] mean cross-attention per context position (when params.attention and the UNet exposes maps). */
  attention?: { maps: Float32Array; size: number; keys: number };
  seconds: number;
}

/** Standard-normal starting latents of one seed (the same seed gives the same image on every backend). */
export function initialLatents(seed: number, n: number): Float32Array {
  return new Prng(`t2i:${seed}`).fillNormal(new Float32Array(n), 1);
}

export const run: PipelineRun<Text2ImageInput, Text2ImageParams, Text2ImageResult> = async (rt, input, params, ctx) => {
  const p = { ...params, ...Object.fromEntries(Object.entries(input).filter(([k, v]) => k !== 'prompt' && k !== 'negativePrompt' && v !== undefined)) } as Text2ImageParams;
  const b = p.bundle ?? MICRO_SD;
  if (typeof input?.prompt !== 'string') throw new Error('text2image: input.prompt must be a string');
  if (!Number.isInteger(p.steps) || p.steps < 1 || p.steps > 1000) throw new Error(`text2image: steps must be an integer in [1, 1000], got ${p.steps}`);
  if (!ctx.models) throw new Error('text2image needs a model provider (ctx.models)');
  const t0 = performance.now();
  const session = async (id: string) => {
    try {
      return await ctx.models!.session(id);
    } catch (e) {
      throw new Error(`text2image: model '${id}' of ${b.title} is not available: ${(e as Error).message}`, { cause: e });
    }
  };
  ctx.emit({ type: 'phase', phase: 'compile', label: `loading ${b.title} on ${rt.backend}` });
  const text = await session(b.models.textEncoder);
  const unet = new UnetRunner(rt, await session(b.models.unet), b);
  const decoder = await session(b.models.vaeDecoder);
  throwIfAborted(ctx.signal);

  ctx.emit({ type: 'phase', phase: 'encode', label: 'text encoder' });
  const tokenize = await bundleTokenizer(b, p.tokenizerFiles);
  const { context } = await encodePrompts(rt, text, tokenize, [input.negativePrompt ?? '', input.prompt]);
  if (context.length / 2 / tokenize('').length !== b.contextDim) throw new Error(`text2image: the text encoder's width does not match ${b.id}'s context dim ${b.contextDim}`);

  const sched = NoiseSchedule.sd();
  const per = b.latentChannels * b.latentSize * b.latentSize;
  const noise = new Prng(`t2i:${p.seed}:eta`);
  ctx.emit({ type: 'phase', phase: 'steps' });
  throwIfAborted(ctx.signal);
  const onStep = (i: number, t: number, eps: Float32Array, before: Float32Array) => {
    if (p.previewEvery > 0 && ((i + 1) % p.previewEvery === 0 || i === p.steps - 1)) {
      const x0 = predictX0(eps, before, sched.alphaBar(t));
      ctx.emit({ type: 'preview', kind: 'image', width: b.imageSize, height: b.imageSize, rgba: latentToRgba(x0, b.latentChannels, b.latentSize, b.preview, b.imageSize / b.latentSize), step: i + 1 });
    }
    const el = (performance.now() - t0) / 1000;
    ctx.emit({ type: 'step', k: i + 1, n: p.steps, unit: 'step', rate: (i + 1) / el, etaS: (el / (i + 1)) * (p.steps - i - 1) });
    // Cancel between steps: the throw leaves the loop before the next UNet call.
    throwIfAborted(ctx.signal);
  };
  const sampling = { steps: p.steps, guidance: p.guidance, eta: p.eta, noise: () => noise.fillNormal(new Float32Array(per), 1), onStep };
  const layers = p.attention ? attentionLayersOf(unet.session) : [];
  if (p.attention && !layers.length) ctx.emit({ type: 'warning', message: `${b.title}: the UNet exposes no cross-attention maps, so no token heatmaps` });
  let x: Float32Array;
  let attention: Text2ImageResult['attention'];
  if (layers.length) {
    const r = await generateWithAttention(unet, layers, initialLatents(p.seed, per), context, sampling);
    x = r.latents;
    attention = { maps: r.maps, size: r.size, keys: r.keys };
  } else x = await ddimSample(unet, initialLatents(p.seed, per), context, sampling);
  throwIfAborted(ctx.signal);
  ctx.emit({ type: 'phase', phase: 'decode', label: 'VAE decoder' });
  const img = await decodeLatents(rt, decoder, b, x, 1);
  const rgb = toRgb8(img, b.imageSize);
  const recipe = {
    pipeline: 'text2image', version: TEXT2IMAGE_VERSION, model: b.id, models: b.models,
    prompt: input.prompt, negativePrompt: input.negativePrompt ?? '', seed: p.seed, steps: p.steps, guidance: p.guidance, eta: p.eta,
    scheduler: 'ddim', backend: rt.backend,
  };
  const png = encodePng({ width: b.imageSize, height: b.imageSize, channels: 3, data: rgb }, { recipe: JSON.stringify(recipe) });
  return { width: b.imageSize, height: b.imageSize, rgb, png, recipe, latents: x, attention, seconds: (performance.now() - t0) / 1000 };
};
