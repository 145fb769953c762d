/**
 * `npm run train -- unet`: micro-UNet with the DDPM ε-prediction loss on Microworld scenes, in the
 * latent space of the trained micro-VAE (latents precomputed once, scaled by its factor), conditioned
 * on the trained micro-CLIP text tower — frozen, inside the train-step graph (input_ids → context), so
 * no contexts need storing; the export exposes the cross-attention maps for token heatmaps (--max-minutes caps the wall time; --channels a,b,c overrides block widths).
 * Caption dropout (10 %: the empty prompt) teaches the unconditional
 * prediction classifier-free guidance needs. Resumable like the other recipes; writes
 * assets/models/micro-unet/unet.onnx + model.json, and a copy of the text tower it trained on
 * (text_model.onnx, textEncoderCopy.ts) so the bundle is self-contained: retraining micro-CLIP
 * later does not change what this UNet draws. `--clip DIR` picks the tower: a micro-CLIP folder
 * (default assets/models/micro-clip) or a UNet bundle, whose own copy is then reused.
 *
 * `--ground λ` adds the token grounding loss (grounding.ts: each noun's cross-attention pulled into
 * its object's mask; scenes are then rendered with their masks instead of read from the sample
 * cache, `--singles` = share of one-object scenes). `--init DIR` starts from a trained unet.onnx of
 * the same config (fresh optimizer and schedule), e.g. after the text tower or VAE was retrained.
 *
 * Needs a text tower (--clip) and assets/models/micro-vae; `--allow-untrained` substitutes
 * random-weight ones (smoke tests of the code path only).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { GraphBuilder } from '../../graph/builder.ts';
import { grad } from '../../graph/autodiff.ts';
import { decodeModel } from '../../graph/decode.ts';
import { encodeModel } from '../../graph/encode.ts';
import type { Model, TensorData } from '../../graph/ir.ts';
import { buildTrainStep } from '../../graph/optim/trainStep.ts';
import { add, mul, sub } from '../../graph/ops/elementwise.ts';
import { reduceMean } from '../../graph/ops/reduce.ts';
import { reshape } from '../../graph/ops/shape.ts';
import { MicroTokenizer } from '../../text/tokenizer.ts';
import { withWeights } from '../../zoo/clip/clipGraphs.ts';
import { type ClipConfig, microClipConfig } from '../../zoo/clip/config.ts';
import { textTower } from '../../zoo/clip/textTower.ts';
import { type UnetConfig, microUnetConfig } from '../../zoo/unet/config.ts';
import { unetBody, unetGraph } from '../../zoo/unet/unetGraph.ts';
import { tapAttention } from '../../zoo/taps/attentionTaps.ts';
import { latentSize, microVaeConfig, vaeEncoderGraph, type VaeConfig } from '../../zoo/vae/vaeGraphs.ts';
import type { MicroUnetJson } from '../../manifests/sdMicro.ts';
import type { Rgb8 } from '../../vision/normalize.ts';
import { DataLoader } from '../DataLoader.ts';
import { Trainer, sessionOptions } from '../Trainer.ts';
import { cacheRoot } from '../clip/samples.ts';
import { budget, channelList, resumable, imagesChw, log, mean, parseOptions, sceneSamples, writeAtomic, writeOnnx } from './common.ts';
import { UnetDataset, type UnetSamples } from './datasets.ts';
import { type Grounding, groundedScenes, tokenGroundingLoss } from './grounding.ts';
import { type TextSource, type TextTowerConfig, readTextSource, untrainedTextSource, writeTextEncoder } from './textEncoderCopy.ts';

/**
 * Defaults sized for the 45-minute budget: a batch-32 step of the 3.4 M-param UNet (with the frozen
 * text tower) took ≈ 5.2 s on the shared 2-core machine (≈ 1 s at batch 8). --max-minutes 45 stops
 * (checkpoint + export) whatever the step count; a later run resumes from the checkpoint.
 */
export const UNET_DEFAULTS = {
  steps: 600, batch: 32, lr: 1e-3, warmup: 40, dropout: 0.1, scenes: 6000, threads: 0, ckptEvery: 25, maxMinutes: 45, channels: '',
  clip: join('assets', 'models', 'micro-clip'), vae: join('assets', 'models', 'micro-vae'), out: join('assets', 'models', 'micro-unet'),
  seed: 'micro-unet-v1', fresh: false, progress: false, allowUntrained: false, ground: 0, singles: 0.25, init: '', stopFile: '',
};

/** `text`: the trained tower's bytes and provenance (undefined when untrained), shipped beside unet.onnx. */
export interface FrozenParts { clipCfg: TextTowerConfig; clipWeights: Map<string, TensorData>; vaeCfg: VaeConfig; vaeEncoder: Model; untrained: boolean; text?: TextSource }

/** The trained text tower (micro-CLIP or a UNet bundle's copy) and micro-VAE encoder, or (allowUntrained) random ones. */
export function loadFrozen(a: { clip: string; vae: string; allowUntrained: boolean }): FrozenParts {
  const clipJson = join(a.clip, 'model.json'), vaeJson = join(a.vae, 'model.json');
  const have = existsSync(clipJson) && existsSync(vaeJson);
  if (!have && !a.allowUntrained) {
    throw new Error(`the UNet trains on a trained text tower (${clipJson}: micro-CLIP or a UNet bundle) and micro-VAE (${vaeJson}): run \`npm run train -- clip\` and \`npm run train -- vae\` first (or pass --allow-untrained for a smoke run)`);
  }
  if (!have) {
    const tok = MicroTokenizer.microworld();
    const clipCfg = microClipConfig(tok.vocab.tokens.length, tok.vocab.eotId, tok.contextLength);
    return { clipCfg, clipWeights: new Map(), vaeCfg: microVaeConfig(1), vaeEncoder: vaeEncoderGraph(microVaeConfig(1), { seed: 'untrained' }), untrained: true };
  }
  const src = readTextSource(a.clip);
  const text = decodeModel(src.bytes);
  const vj = JSON.parse(readFileSync(vaeJson, 'utf8')) as { config: VaeConfig; files: { encoder: { name: string } } };
  // Only the tower's parameters ('text_model.…' without '/'): builder constants are rebuilt, not copied.
  const clipWeights = new Map([...text.graph.initializers].filter(([k]) => k.startsWith('text_model.') && !k.includes('/')));
  return { clipCfg: src.clipCfg, clipWeights, vaeCfg: vj.config, vaeEncoder: decodeModel(new Uint8Array(readFileSync(join(a.vae, vj.files.encoder.name)))), untrained: false, text: src };
}

/**
 * input_ids → frozen CLIP text tower → UNet → ε-MSE (+ `ground` · the token grounding loss over the
 * cross-attention maps, see grounding.ts; outputs `eps_loss` and `ground_loss` then too). Only UNet
 * params are trained. `groundSizes`: the attention resolutions whose `ground_<s>` targets it reads.
 */
export function unetTextTrainForward(u: UnetConfig, clip: Pick<ClipConfig, 'text'>, batch: number, seed: string, ground = 0): { model: Model; params: string[]; groundSizes: number[] } {
  const b = new GraphBuilder('unet_text_train');
  const s = u.sampleSize;
  const sample = b.input('sample', 'float32', [batch, u.inChannels, s, s]);
  const timestep = b.input('timestep', 'float32', [batch]);
  const ids = b.input('input_ids', 'int64', [batch, clip.text.contextLength]);
  const target = b.input('target', 'float32', [batch, u.outChannels, s, s]);
  const context = b.scope('text_model', () => textTower(b, ids, clip.text, 'frozen')).hidden;
  const nText = b.params.length;
  const d = sub(b, unetBody(b, u, sample, timestep, context, { seed }), target);
  const eps = reduceMean(b, mul(b, d, d), [0, 1, 2, 3], false);
  let groundSizes: number[] = [];
  if (ground > 0) {
    const g = tokenGroundingLoss(b, batch, clip.text.contextLength);
    groundSizes = g.sizes;
    b.output(reshape(b, add(b, eps, mul(b, g.loss, ground)), []), 'loss');
    b.output(reshape(b, eps, []), 'eps_loss');
    b.output(reshape(b, g.loss, []), 'ground_loss');
  } else b.output(reshape(b, eps, []), 'loss');
  return { model: b.build({ metadata: { config: JSON.stringify(u) } }), params: b.params.slice(nText), groundSizes };
}

/**
 * UNet params from a unet.onnx written by this recipe (`dir`/model.json), by name — `--init`: start a
 * new run (e.g. on a retrained text tower or VAE) from trained spatial features instead of random ones.
 * The block layout must match; a text tower of another width or length changes only the cross-attention
 * key/value projections, which then keep their fresh initialization (listed in `skipped`).
 */
export function unetInitWeights(dir: string, u: UnetConfig, params: readonly string[]): { weights: Map<string, TensorData>; skipped: string[] } {
  const j = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as MicroUnetJson & { config: UnetConfig };
  const layout = (c: UnetConfig) => JSON.stringify({ ...c, crossAttentionDim: 0, contextLength: 0 });
  if (layout(j.config) !== layout(u)) throw new Error(`--init ${dir}: its config ${JSON.stringify(j.config)} differs from this run's ${JSON.stringify(u)}`);
  const inits = decodeModel(new Uint8Array(readFileSync(join(dir, j.files.unet.name)))).graph.initializers;
  const weights = new Map<string, TensorData>(), skipped: string[] = [];
  for (const p of params) {
    const t = inits.get(p);
    if (!t) throw new Error(`--init ${dir}: no value for ${p}`);
    if (j.config.crossAttentionDim !== u.crossAttentionDim && /\.attn2\.to_[kv]\./.test(p)) skipped.push(p);
    else weights.set(p, t);
  }
  return { weights, skipped };
}

/** Latents (scaled) of all images, in batches through the VAE encoder. */
async function encodeAll(f: FrozenParts, images: Float32Array, threads?: number): Promise<Float32Array> {
  const S = f.vaeCfg.sampleSize, per = 3 * S * S, n = images.length / per, s = latentSize(f.vaeCfg), lp = f.vaeCfg.latentChannels * s * s;
  const sess = await ort.InferenceSession.create(encodeModel(f.vaeEncoder), sessionOptions(threads));
  const out = new Float32Array(n * lp);
  try {
    for (let i = 0; i < n; i += 64) {
      const k = Math.min(64, n - i);
      const z = (await sess.run({ sample: new ort.Tensor('float32', images.subarray(i * per, (i + k) * per), [k, 3, S, S]) })).latent_sample.data as Float32Array;
      for (let j = 0; j < k * lp; j++) out[i * lp + j] = z[j] * f.vaeCfg.scalingFactor;
    }
  } finally {
    await sess.release();
  }
  return out;
}

export async function runUnetRecipe(argv: string[]): Promise<number> {
  const a = parseOptions(argv, UNET_DEFAULTS);
  const t0 = Date.now();
  const threads = a.threads || undefined;
  const f = loadFrozen(a);
  if (f.untrained) log('WARNING: random-weight micro-CLIP/VAE (--allow-untrained): the result is only a smoke test');
  const base = microUnetConfig(f.clipCfg.text.contextLength, f.clipCfg.text.width);
  const u = a.channels ? { ...base, blockOutChannels: channelList(a.channels) } : base;
  const tok = MicroTokenizer.microworld({ contextLength: f.clipCfg.text.contextLength });
  const L = tok.contextLength;
  // The token loss needs each object's mask: render the same scenes (same streams) with their masks.
  let grounding: Grounding | undefined;
  let samples: Array<{ image: Rgb8; captions: string[] }>;
  if (a.ground > 0) {
    const g = groundedScenes({ seed: `${a.seed}:data`, scenes: a.scenes, size: f.vaeCfg.sampleSize, latent: latentSize(f.vaeCfg), singles: Math.floor(a.scenes * a.singles) }, (c) => tok.encode(c).words, (i) => log(`rendered ${i}/${a.scenes} scenes with masks`));
    samples = g.samples;
    grounding = g.grounding;
  } else samples = await sceneSamples('train', `${a.seed}:data`, a.scenes, f.vaeCfg.sampleSize);
  const latents = await encodeAll(f, imagesChw(samples), threads);
  const captions: string[] = [];
  const captionsOf = samples.map((s) => s.captions.map((c) => captions.push(c) - 1));
  const captionIds = new Int32Array(captions.length * L);
  captions.forEach((c, i) => captionIds.set(tok.encode(c).ids, i * L));
  const fwd0 = unetTextTrainForward(u, f.clipCfg, a.batch, a.seed, a.ground);
  let fwd = fwd0;
  if (a.init) {
    const { weights, skipped } = unetInitWeights(a.init, u, fwd0.params);
    fwd = { ...fwd0, model: withWeights(fwd0.model, weights).model };
    log(`UNet initialized from ${a.init}${skipped.length ? ` (${skipped.length} cross-attention k/v projections fresh: the text width changed)` : ''}`);
  }
  const data: UnetSamples = { latents, latentDims: [u.inChannels, u.sampleSize, u.sampleSize], captionIds, captionsOf, emptyIds: tok.encode('').ids, contextLength: L, grounding, groundSizes: fwd.groundSizes };
  log(`${samples.length} scenes, ${captions.length} captions, latents encoded in ${((Date.now() - t0) / 1000).toFixed(0)} s; building the train-step graph (batch ${a.batch})`);
  const model = f.untrained ? fwd.model : withWeights(fwd.model, f.clipWeights).model;
  const step = buildTrainStep(grad(model, { loss: 'loss', wrt: fwd.params }), {
    loss: 'loss', params: fwd.params, optimizer: { kind: 'adamw', weightDecay: 0.01 },
    schedule: { kind: 'cosine', lr: a.lr, warmup: a.warmup, total: a.steps, minLr: a.lr * 0.05 }, clipNorm: 1,
    decay: (p) => p.endsWith('.weight') && !p.includes('norm'),
  });
  const loader = new DataLoader(new UnetDataset(data, `${a.seed}:noise`, a.dropout), { batchSize: a.batch, seed: `${a.seed}:order` });
  const runKey = JSON.stringify({ u, scenes: a.scenes, batch: a.batch, seed: a.seed, dropout: a.dropout, steps: a.steps, lr: a.lr, clip: a.clip, vae: a.vae, untrained: f.untrained, ground: a.ground, singles: a.singles, init: a.init });
  const ckpt = join(cacheRoot(), 'train', 'micro-unet.ckpt.onnx');
  const trainer = await Trainer.create({ graph: step, loader, threads, progress: a.progress, checkpoint: { path: ckpt, every: a.ckptEvery }, meta: { model: 'micro-unet', config: JSON.stringify(u), run: runKey } });
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
    const weights = new Map(fwd.params.map((p) => [p, Float32Array.from(trainer.value(p))]));
    // Exported with the cross-attention maps exposed (heads averaged), so the studio can show token
    // heatmaps without graph surgery in the browser; out_sample-only runs fetch just that output.
    const graph = tapAttention(unetGraph(u, { metadata: { untrained_context: String(f.untrained) } }), { cross: { expose: 'mean' } }).model;
    const exported = withWeights(graph, weights);
    const file = await writeOnnx(a.out, 'unet.onnx', encodeModel(exported.model));
    const text = await writeTextEncoder(a.out, f.text ?? untrainedTextSource(f.clipCfg, model));
    const json: MicroUnetJson = {
      id: 'micro-unet', config: u, files: { unet: file, text: text.file }, tokenizer: text.tokenizer, textEncoder: text.textEncoder,
      training: {
        steps: trainer.step, resumedFrom: start, batch: a.batch, lr: a.lr, dropout: a.dropout, scenes: a.scenes, captions: captions.length,
        firstLoss: +mean(losses.slice(0, 20)).toFixed(5), finalLoss: +mean(losses.slice(-20)).toFixed(5), minutesThisRun: +((Date.now() - t0) / 60000).toFixed(1), seed: a.seed, untrainedContext: f.untrained,
        ground: a.ground, singles: a.singles, init: a.init || undefined,
      },
    };
    await writeAtomic(join(a.out, 'model.json'), `${JSON.stringify(json, null, 1)}\n`);
    log(`wrote ${a.out}/unet.onnx (${file.bytes} B) and its text encoder (${text.textEncoder.from}${text.textEncoder.commit ? ` @ ${text.textEncoder.commit.slice(0, 7)}` : ''}); loss ${json.training!.firstLoss} → ${json.training!.finalLoss}`);
    return 0;
  } finally {
    await trainer.dispose();
  }
}
