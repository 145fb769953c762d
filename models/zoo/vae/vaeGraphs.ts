/**
 * micro-VAE (diffusers AutoencoderKL layout, f = 2^(levels−1)) as three graphs with the SD ONNX
 * export contract:
 *   vae_encoder: sample [B, 3, H, W] in [−1, 1] → latent_sample [B, 4, H/f, W/f]  (posterior mean, unscaled)
 *   vae_decoder: latent_sample [B, 4, h, w] (unscaled, i.e. latents / scalingFactor) → sample [B, 3, H, W] in ≈[−1, 1]
 *   training:    sample, noise → loss = MSE(recon, sample) + klWeight · KL, recon
 *
 *   const enc = vaeEncoderGraph(microVaeConfig(), { seed: 's' });
 *
 * Names: encoder.conv_in, encoder.down_blocks.0.resnets.0.norm1, encoder.mid_block.attentions.0.to_q,
 * quant_conv, post_quant_conv, decoder.up_blocks.2.upsamplers.0.conv … as in diffusers.
 * Deviation: the downsampling conv pads 1 on every side (diffusers pads right/bottom only).
 */
import { GraphBuilder, type Value } from '../../graph/builder.ts';
import type { Dim, Model } from '../../graph/ir.ts';
import { add, clip, exp, mul, silu, sub } from '../../graph/ops/elementwise.ts';
import { reduceMean } from '../../graph/ops/reduce.ts';
import { resize } from '../../graph/ops/resize.ts';
import { reshape, slice, transpose } from '../../graph/ops/shape.ts';
import { Init, attentionHere, conv2d, groupNorm, resnet } from '../unet/layers.ts';

export interface VaeConfig {
  /** Image side (micro: 64). */
  sampleSize: number;
  inChannels: number;
  latentChannels: number;
  /** One entry per level; f = 2^(levels − 1). */
  blockOutChannels: number[];
  layersPerBlock: number;
  groups: number;
  /** latents = mean · scalingFactor (SD 1.x: 0.18215); set from the trained encoder's latent std. */
  scalingFactor: number;
}

/** 64×64×3 ↔ 16×16×4, channels 32/64/64, one resnet per level (two on the way up), mid self-attention at 16². */
export function microVaeConfig(scalingFactor = 1): VaeConfig {
  return { sampleSize: 64, inChannels: 3, latentChannels: 4, blockOutChannels: [32, 64, 64], layersPerBlock: 1, groups: 8, scalingFactor };
}

export const vaeFactor = (c: VaeConfig): number => 2 ** (c.blockOutChannels.length - 1);
export const latentSize = (c: VaeConfig): number => c.sampleSize / vaeFactor(c);

export interface VaeBuildOptions { seed?: number | string; batch?: Dim; metadata?: Record<string, string> }

const seeds = (s: number | string) => ({ enc: `${s}:encoder`, dec: `${s}:decoder` });

/** VAE mid block: resnet → single-head self-attention over the h·w tokens (+ residual) → resnet. */
function midBlock(b: GraphBuilder, init: Init, c: VaeConfig, x: Value, ch: number, size: number): Value {
  return b.scope('mid_block', () => {
    let h = resnet(b, init, 'resnets.0', x, { cin: ch, cout: ch, groups: c.groups, eps: 1e-6 });
    const T = size * size;
    h = b.scope('attentions.0', () => {
      const tokens = transpose(b, reshape(b, groupNorm(b, 'group_norm', h, ch, c.groups, 1e-6), [-1, ch, T]), [0, 2, 1]);
      const att = attentionHere(b, init, tokens, undefined, { dim: ch, heads: 1, queries: T, keys: T, qkvBias: true });
      return add(b, h, reshape(b, transpose(b, att, [0, 2, 1]), [-1, ch, size, size]));
    });
    return resnet(b, init, 'resnets.1', h, { cin: ch, cout: ch, groups: c.groups, eps: 1e-6 });
  });
}

/** Encoder body → [mean, logvar] moments after quant_conv: [B, 2·latent, h, w]. */
function encoderBody(b: GraphBuilder, c: VaeConfig, x: Value, seed: number | string): Value {
  const init = new Init(seeds(seed).enc);
  const ch = c.blockOutChannels, n = ch.length;
  const h = b.scope('encoder', () => {
    let h = conv2d(b, init, 'conv_in', x, c.inChannels, ch[0]);
    let cur = ch[0], size = c.sampleSize;
    for (let i = 0; i < n; i++) {
      b.scope(`down_blocks.${i}`, () => {
        for (let j = 0; j < c.layersPerBlock; j++) { h = resnet(b, init, `resnets.${j}`, h, { cin: cur, cout: ch[i], groups: c.groups, eps: 1e-6 }); cur = ch[i]; }
        if (i < n - 1) { h = b.scope('downsamplers.0', () => conv2d(b, init, 'conv', h, cur, cur, { stride: 2 })); size /= 2; }
      });
    }
    h = midBlock(b, init, c, h, cur, size);
    return conv2d(b, init, 'conv_out', silu(b, groupNorm(b, 'conv_norm_out', h, cur, c.groups, 1e-6)), cur, 2 * c.latentChannels);
  });
  return conv2d(b, init, 'quant_conv', h, 2 * c.latentChannels, 2 * c.latentChannels, { k: 1 });
}

/** Decoder body: latents (unscaled) → image. */
function decoderBody(b: GraphBuilder, c: VaeConfig, z: Value, seed: number | string): Value {
  const init = new Init(seeds(seed).dec);
  const rev = [...c.blockOutChannels].reverse(), n = rev.length;
  const pq = conv2d(b, init, 'post_quant_conv', z, c.latentChannels, c.latentChannels, { k: 1 });
  return b.scope('decoder', () => {
    let cur = rev[0], size = latentSize(c);
    let h = conv2d(b, init, 'conv_in', pq, c.latentChannels, cur);
    h = midBlock(b, init, c, h, cur, size);
    for (let i = 0; i < n; i++) {
      b.scope(`up_blocks.${i}`, () => {
        for (let j = 0; j <= c.layersPerBlock; j++) { h = resnet(b, init, `resnets.${j}`, h, { cin: cur, cout: rev[i], groups: c.groups, eps: 1e-6 }); cur = rev[i]; }
        if (i < n - 1) {
          h = b.scope('upsamplers.0', () => conv2d(b, init, 'conv',
            resize(b, h, { scales: [1, 1, 2, 2], mode: 'nearest', coordinateTransformationMode: 'asymmetric', nearestMode: 'floor' }), cur, cur));
          size *= 2;
        }
      });
    }
    return conv2d(b, init, 'conv_out', silu(b, groupNorm(b, 'conv_norm_out', h, cur, c.groups, 1e-6)), cur, c.inChannels);
  });
}

const meanOf = (b: GraphBuilder, moments: Value, L: number) => slice(b, moments, [0], [L], [1]);
const logvarOf = (b: GraphBuilder, moments: Value, L: number) => clip(b, slice(b, moments, [L], [2 * L], [1]), -30, 20);

export function vaeEncoderGraph(c: VaeConfig, o: VaeBuildOptions = {}): Model {
  const b = new GraphBuilder('vae_encoder');
  const x = b.input('sample', 'float32', [o.batch ?? 'batch', c.inChannels, c.sampleSize, c.sampleSize]);
  b.output(meanOf(b, encoderBody(b, c, x, o.seed ?? 0), c.latentChannels), 'latent_sample');
  return b.build({ metadata: { config: JSON.stringify(c), ...o.metadata } });
}

export function vaeDecoderGraph(c: VaeConfig, o: VaeBuildOptions = {}): Model {
  const b = new GraphBuilder('vae_decoder');
  const s = latentSize(c);
  const z = b.input('latent_sample', 'float32', [o.batch ?? 'batch', c.latentChannels, s, s]);
  b.output(decoderBody(b, c, z, o.seed ?? 0), 'sample');
  return b.build({ metadata: { config: JSON.stringify(c), ...o.metadata } });
}

export interface VaeTrainForward { model: Model; params: string[] }

/** mean (a − b)² over every element of the [B,C,H,W] images. */
const meanSquaredError = (b: GraphBuilder, a: Value, x: Value): Value => {
  const d = sub(b, a, x);
  return reduceMean(b, mul(b, d, d), [0, 1, 2, 3], false);
};

/**
 * Training forward (static batch): inputs `sample` [B,3,H,W] in [−1,1] and `noise` [B,4,h,w] ~ N(0,1);
 * z = mean + exp(½·logvar)·noise; loss = mean (recon − sample)² + klWeight · mean KL(q‖N(0,1)).
 */
export function vaeTrainForward(c: VaeConfig, batch: number, seed: number | string, klWeight = 1e-4): VaeTrainForward {
  const b = new GraphBuilder('vae_train');
  const L = c.latentChannels, s = latentSize(c);
  const x = b.input('sample', 'float32', [batch, c.inChannels, c.sampleSize, c.sampleSize]);
  const noise = b.input('noise', 'float32', [batch, L, s, s]);
  const moments = encoderBody(b, c, x, seed);
  const mean = meanOf(b, moments, L), logvar = logvarOf(b, moments, L);
  const z = add(b, mean, mul(b, exp(b, mul(b, logvar, 0.5)), noise));
  const recon = decoderBody(b, c, z, seed);
  const mse = meanSquaredError(b, recon, x);
  const kl = reduceMean(b, mul(b, sub(b, add(b, mul(b, mean, mean), exp(b, logvar)), add(b, logvar, 1)), 0.5), [0, 1, 2, 3], false);
  b.output(reshape(b, add(b, mse, mul(b, kl, klWeight)), []), 'loss');
  b.output(reshape(b, mse, []), 'mse');
  b.output(recon, 'recon');
  return { model: b.build({ metadata: { config: JSON.stringify(c) } }), params: [...b.params] };
}

/**
 * Decoder-only training forward: `latent_sample` [B,L,h,w] (the frozen encoder's unscaled posterior
 * mean) and `sample` [B,3,H,W] → loss = mean (decoder(latent) − sample)². Why: fine-tuning the
 * decoder alone leaves the latent space — and so every UNet trained on it, with its scaling factor —
 * untouched, while reconstructions sharpen (what SD's ft-MSE VAE did). Params: `decoder.*` and
 * `post_quant_conv.*` only, named as in the full forward.
 */
export function vaeDecoderTrainForward(c: VaeConfig, batch: number, seed: number | string): VaeTrainForward {
  const b = new GraphBuilder('vae_decoder_train');
  const s = latentSize(c);
  const z = b.input('latent_sample', 'float32', [batch, c.latentChannels, s, s]);
  const x = b.input('sample', 'float32', [batch, c.inChannels, c.sampleSize, c.sampleSize]);
  const recon = decoderBody(b, c, z, seed);
  b.output(reshape(b, meanSquaredError(b, recon, x), []), 'loss');
  b.output(recon, 'recon');
  return { model: b.build({ metadata: { config: JSON.stringify(c) } }), params: [...b.params] };
}
