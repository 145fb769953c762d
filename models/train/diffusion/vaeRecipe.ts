/**
 * `npm run train -- vae`: micro-VAE on Microworld scenes (64×64 ↔ 16×16×4). Loss = MSE + small KL,
 * AdamW with cosine decay through the train-step graph and the Trainer (--max-minutes caps the wall
 * time; --channels a,b,c overrides block widths; --decoder-only --init DIR fine-tunes the decoder of a
 * trained VAE on its frozen encoder's latents, keeping the latent space; resumable: a checkpoint
 * under the cache directory is picked up unless --fresh). At the end: scaling factor = 1/std of the
 * held-out latents (so latents are ~unit variance as diffusion expects, like SD's 0.18215), a
 * least-squares latent→RGB preview fit, held-out PSNR, and assets/models/micro-vae/{vae_encoder,vae_decoder}.onnx
 * + model.json (read by models/manifests/sdMicro.ts).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { grad } from '../../graph/autodiff.ts';
import { decodeModel } from '../../graph/decode.ts';
import { encodeModel } from '../../graph/encode.ts';
import { buildTrainStep } from '../../graph/optim/trainStep.ts';
import type { Model, TensorData } from '../../graph/ir.ts';
import { withWeights } from '../../zoo/clip/clipGraphs.ts';
import { type VaeConfig, latentSize, microVaeConfig, vaeDecoderGraph, vaeDecoderTrainForward, vaeEncoderGraph, vaeTrainForward } from '../../zoo/vae/vaeGraphs.ts';
import type { MicroVaeJson } from '../../manifests/sdMicro.ts';
import { fitLatentPreview } from '../../zoo/vae/latentPreview.ts';
import { DataLoader } from '../DataLoader.ts';
import { Trainer, sessionOptions } from '../Trainer.ts';
import { cacheRoot } from '../clip/samples.ts';
import { budget, channelList, resumable, imagesChw, log, mean, parseOptions, psnr, sceneSamples, writeAtomic, writeOnnx } from './common.ts';
import { LatentDataset, VaeDataset } from './datasets.ts';

/**
 * Defaults sized for the 45-minute budget: measured on the shared 2-core machine (other trainings
 * running), a batch-8 step of the 32/64/64 VAE took ≈ 3.4 s and a batch-16 step ≈ 7.6 s; --channels
 * 16,32,32 is ≈ 3× faster. --max-minutes 45 stops (checkpoint + export) whatever the step count.
 */
export const VAE_DEFAULTS = {
  steps: 800, batch: 8, lr: 2e-3, warmup: 40, klWeight: 1e-5, scenes: 6000, valScenes: 64, threads: 0,
  ckptEvery: 50, maxMinutes: 45, channels: '', init: '', decoderOnly: false, stopFile: '', out: join('assets', 'models', 'micro-vae'), seed: 'micro-vae-v1', fresh: false, progress: false,
};

export const decays = (p: string): boolean => p.endsWith('.weight') && !p.includes('norm');

/** Trained values of the params, exported into both inference graphs by name. */
export function exportVae(cfg: VaeConfig, weights: ReadonlyMap<string, Float32Array>): { encoder: Model; decoder: Model } {
  const put = (m: Model) => {
    const { model, used } = withWeights(m, weights);
    // Params are scoped ('encoder.conv_in.weight'); builder constants are 'const…' or contain '/'.
    const missing = [...m.graph.initializers.keys()].filter((k) => k.includes('.') && !k.includes('/') && !used.includes(k));
    if (missing.length) throw new Error(`exportVae: no trained value for ${missing.slice(0, 4).join(', ')}`);
    return model;
  };
  return { encoder: put(vaeEncoderGraph(cfg)), decoder: put(vaeDecoderGraph(cfg)) };
}

/**
 * Params of a VAE written by this recipe (`dir`/model.json + encoder/decoder ONNX), by name — for
 * `--init`: a new run (fresh optimizer and lr schedule) starts from trained weights instead of random
 * ones. The config must match, or the run is an error rather than a silent partial load.
 */
export function vaeInitWeights(dir: string, cfg: VaeConfig, params: readonly string[]): Map<string, TensorData> {
  const j = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as MicroVaeJson;
  const { scalingFactor: _a, ...want } = cfg, { scalingFactor: _b, ...got } = j.config;
  const keys = Object.keys(want).sort();
  if (JSON.stringify(want, keys) !== JSON.stringify(got, keys)) throw new Error(`--init ${dir}: its config ${JSON.stringify(got)} differs from this run's ${JSON.stringify(want)}`);
  const out = new Map<string, TensorData>();
  for (const f of [j.files.encoder, j.files.decoder]) {
    for (const [k, t] of decodeModel(new Uint8Array(readFileSync(join(dir, f.name)))).graph.initializers) if (params.includes(k)) out.set(k, t);
  }
  const missing = params.filter((p) => !out.has(p));
  if (missing.length) throw new Error(`--init ${dir}: no value for ${missing.slice(0, 4).join(', ')}`);
  return out;
}

/**
 * The encoder-side weights (encoder.*, quant_conv.*) and scaling factor of a trained VAE, frozen for
 * a decoder fine-tune; `init` = every param of `dir` by name (vaeInitWeights), read once by the caller.
 */
function frozenEncoder(dir: string, cfg: VaeConfig, init: ReadonlyMap<string, TensorData>): { weights: Map<string, Float32Array>; model: Model; scalingFactor: number; training: unknown } {
  const j = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as MicroVaeJson;
  const weights = new Map([...init].filter(([k]) => k.startsWith('encoder.') || k.startsWith('quant_conv.')).map(([k, t]) => [k, Float32Array.from(t.values as Float32Array)]));
  return { weights, model: withWeights(vaeEncoderGraph(cfg), weights).model, scalingFactor: j.config.scalingFactor, training: { ...j.training, evaluation: j.evaluation } };
}

/** Posterior means (unscaled) of `images` [n,3,S,S] through an encoder graph, in chunks. */
async function encodeMeans(cfg: VaeConfig, encoder: Model, images: Float32Array, threads?: number): Promise<Float32Array> {
  const S = cfg.sampleSize, s = latentSize(cfg), per = 3 * S * S, perZ = cfg.latentChannels * s * s, n = images.length / per;
  const enc = await ort.InferenceSession.create(encodeModel(encoder), sessionOptions(threads));
  try {
    const out = new Float32Array(n * perZ);
    for (let i = 0; i < n; i += 256) {
      const m = Math.min(256, n - i);
      const r = await enc.run({ sample: new ort.Tensor('float32', images.slice(i * per, (i + m) * per), [m, 3, S, S]) });
      out.set(r.latent_sample.data as Float32Array, i * perZ);
    }
    log(`encoded ${n} training images with the frozen encoder`);
    return out;
  } finally {
    await enc.release();
  }
}

export interface VaeQuality { psnr: number; latentStd: number; latents: Float32Array; recon: Float32Array }

/** Encode (mean) → decode held-out images; PSNR and the std of the unscaled latents. */
export async function vaeQuality(cfg: VaeConfig, m: { encoder: Model; decoder: Model }, images: Float32Array, threads?: number): Promise<VaeQuality> {
  const S = cfg.sampleSize, s = latentSize(cfg), n = images.length / (3 * S * S);
  const enc = await ort.InferenceSession.create(encodeModel(m.encoder), sessionOptions(threads));
  const dec = await ort.InferenceSession.create(encodeModel(m.decoder), sessionOptions(threads));
  try {
    const z = (await enc.run({ sample: new ort.Tensor('float32', images, [n, 3, S, S]) })).latent_sample.data as Float32Array;
    const recon = (await dec.run({ latent_sample: new ort.Tensor('float32', z, [n, cfg.latentChannels, s, s]) })).sample.data as Float32Array;
    const mu = mean([...z]);
    const std = Math.sqrt(z.reduce((a, v) => a + (v - mu) ** 2, 0) / z.length);
    return { psnr: psnr(recon, images), latentStd: std, latents: Float32Array.from(z), recon: Float32Array.from(recon) };
  } finally {
    await enc.release();
    await dec.release();
  }
}

export async function runVaeRecipe(argv: string[]): Promise<number> {
  const a = parseOptions(argv, VAE_DEFAULTS);
  const t0 = Date.now();
  const base = microVaeConfig();
  const cfg = a.channels ? { ...base, blockOutChannels: channelList(a.channels) } : base;
  const S = cfg.sampleSize, s = latentSize(cfg);
  const train = imagesChw(await sceneSamples('train', `${a.seed}:data`, a.scenes, S));
  const val = imagesChw(await sceneSamples('val', `${a.seed}:val`, a.valScenes, S));
  const threads = a.threads || undefined;
  if (a.decoderOnly && !a.init) throw new Error('--decoder-only fine-tunes a trained VAE: give it --init <dir>');
  const fwd0 = a.decoderOnly ? vaeDecoderTrainForward(cfg, a.batch, a.seed) : vaeTrainForward(cfg, a.batch, a.seed, a.klWeight);
  // Every param of --init, read once: the trained ones start from it, the decoder-only run freezes the rest.
  const init = a.init ? vaeInitWeights(a.init, cfg, a.decoderOnly ? vaeTrainForward(cfg, 1, 0).params : fwd0.params) : undefined;
  const fwd = init ? { ...fwd0, model: withWeights(fwd0.model, init).model } : fwd0;
  if (a.init) log(`initialized from ${a.init}${a.decoderOnly ? ' (decoder only: the encoder, its latents and the scaling factor stay as they are)' : ''}`);
  // Decoder-only: the frozen encoder's weights, for its latents now and for the export at the end.
  const frozen = a.decoderOnly ? frozenEncoder(a.init, cfg, init!) : undefined;
  const trainLatents = frozen ? await encodeMeans(cfg, frozen.model, train, threads) : undefined;
  log(`${train.length / (3 * S * S)} train images; building the train-step graph (batch ${a.batch}, ${fwd.params.length} params)`);
  const step = buildTrainStep(grad(fwd.model, { loss: 'loss', wrt: fwd.params }), {
    loss: 'loss', params: fwd.params, optimizer: { kind: 'adamw', weightDecay: 0.01 },
    schedule: { kind: 'cosine', lr: a.lr, warmup: a.warmup, total: a.steps, minLr: a.lr * 0.05 }, clipNorm: 1, decay: decays,
  });
  const data = trainLatents ? new LatentDataset(trainLatents, train, S, [cfg.latentChannels, s]) : new VaeDataset(train, S, [cfg.latentChannels, s], `${a.seed}:noise`);
  const loader = new DataLoader(data, { batchSize: a.batch, seed: `${a.seed}:order` });
  const runKey = JSON.stringify({ cfg, scenes: a.scenes, batch: a.batch, seed: a.seed, klWeight: a.klWeight, steps: a.steps, lr: a.lr, init: a.init, decoderOnly: a.decoderOnly });
  const ckpt = join(cacheRoot(), 'train', a.decoderOnly ? 'micro-vae-decoder.ckpt.onnx' : 'micro-vae.ckpt.onnx');
  const trainer = await Trainer.create({ graph: step, loader, threads, progress: a.progress, checkpoint: { path: ckpt, every: a.ckptEvery }, meta: { model: 'micro-vae', config: JSON.stringify(cfg), run: runKey } });
  try {
    if (await resumable(ckpt, runKey, a.fresh)) { await trainer.resume(ckpt); log(`resumed from ${ckpt} at step ${trainer.step}`); }
    const start = trainer.step;
    const losses: number[] = [];
    trainer.o.onStep = (r) => {
      losses.push(r.loss);
      if (r.step % 10 === 0) log(`step ${r.step}/${a.steps} loss ${mean(losses.slice(-10)).toFixed(5)} lr ${r.lr.toExponential(2)} |g| ${r.gradNorm.toFixed(3)} ${((Date.now() - t0) / 60000).toFixed(1)} min`);
    };
    await trainer.run(a.steps, budget(a.maxMinutes, t0, a.stopFile));
    await trainer.save(ckpt); // the final state too, so a later run can resume or extend it
    const weights = new Map([...frozen?.weights ?? [], ...fwd.params.map((p) => [p, Float32Array.from(trainer.value(p))] as const)]);
    const raw = exportVae(cfg, weights);
    const q = await vaeQuality(cfg, raw, val, threads);
    const scalingFactor = frozen?.scalingFactor ?? +(1 / Math.max(1e-6, q.latentStd)).toPrecision(5);
    const scaled = q.latents.map((v) => v * scalingFactor);
    const preview = fitLatentPreview(scaled, q.recon, val.length / (3 * S * S), cfg.latentChannels, s, S);
    const final = { ...cfg, scalingFactor };
    const meta = { config: JSON.stringify(final) };
    const enc = await writeOnnx(a.out, 'vae_encoder.onnx', encodeModel({ ...raw.encoder, metadata: { ...raw.encoder.metadata, ...meta } }));
    const dec = await writeOnnx(a.out, 'vae_decoder.onnx', encodeModel({ ...raw.decoder, metadata: { ...raw.decoder.metadata, ...meta } }));
    const json: MicroVaeJson = {
      id: 'micro-vae', config: final, files: { encoder: enc, decoder: dec }, preview,
      training: {
        steps: trainer.step, resumedFrom: start, batch: a.batch, lr: a.lr, klWeight: a.klWeight, scenes: a.scenes, finalLoss: +mean(losses.slice(-20)).toFixed(5), minutesThisRun: +((Date.now() - t0) / 60000).toFixed(1), seed: a.seed,
        ...(a.decoderOnly ? { decoderOnly: true, init: a.init, encoder: 'unchanged from init (same latents and scaling factor, so the UNet trained on them still applies)', before: frozen!.training } : {}),
      },
      evaluation: { valImages: a.valScenes, psnr: +q.psnr.toFixed(2), latentStd: +q.latentStd.toFixed(4) },
    };
    await writeAtomic(join(a.out, 'model.json'), `${JSON.stringify(json, null, 1)}\n`);
    log(`wrote ${a.out}: encoder ${enc.bytes} B, decoder ${dec.bytes} B; held-out PSNR ${q.psnr.toFixed(2)} dB, scaling ${scalingFactor}`);
    return 0;
  } finally {
    await trainer.dispose();
  }
}
