/**
 * The UNet as a graph with the SD ONNX export contract:
 *   sample [B, 4, S, S] float32, timestep [B] float32, encoder_hidden_states [B, L, D] → out_sample [B, 4, S, S].
 *
 *   const m = unetGraph(microUnetConfig(), { seed: 'micro-unet' });          // inference export
 *   const t = unetTrainForward(cfg, 8, 'seed');                               // + target, loss (DDPM ε-MSE)
 *
 * Node and parameter names follow diffusers' UNet2DConditionModel module paths, so tap patterns
 * written for a real SD 1.5 export (models/zoo/taps) apply here unchanged.
 */
import { GraphBuilder, type Value } from '../../graph/builder.ts';
import type { Dim, Model } from '../../graph/ir.ts';
import { concat, reshape, unsqueeze } from '../../graph/ops/shape.ts';
import { cos, mul, silu, sin, sub } from '../../graph/ops/elementwise.ts';
import { reduceMean } from '../../graph/ops/reduce.ts';
import { resize } from '../../graph/ops/resize.ts';
import type { UnetConfig } from './config.ts';
import { Init, conv2d, groupNorm, linear, resnet, spatialTransformer } from './layers.ts';

export interface UnetBuildOptions {
  seed?: number | string;
  /** Multiplies the init std of the layers that start small (1 = normal; tests use larger). */
  outScale?: number;
  batch?: Dim;
}

/** Sinusoidal embedding of t [B] into [B, dim], cos half first (diffusers flip_sin_to_cos=True, shift 0). */
function timeProj(b: GraphBuilder, t: Value, dim: number): Value {
  const half = dim / 2;
  const freqs = Array.from({ length: half }, (_, i) => Math.exp((-Math.log(10000) * i) / half));
  const args = mul(b, unsqueeze(b, t, [1]), b.constant(freqs, [1, half]));
  return concat(b, [cos(b, args), sin(b, args)], 1);
}

/** Emit the UNet body into `b`; returns the ε prediction [B, outChannels, S, S]. */
export function unetBody(b: GraphBuilder, c: UnetConfig, sample: Value, timestep: Value, context: Value, o: UnetBuildOptions = {}): Value {
  const init = new Init(o.seed ?? 0, o.outScale ?? 1);
  const ch = c.blockOutChannels, n = ch.length, G = c.groups;
  const tembDim = 4 * ch[0];
  const tproj = b.scope('time_proj', () => timeProj(b, timestep, ch[0]));
  const temb = b.scope('time_embedding', () => linear(b, init, 'linear_2', silu(b, linear(b, init, 'linear_1', tproj, ch[0], tembDim)), tembDim, tembDim));
  const xf = (name: string, x: Value, channels: number, size: number) =>
    spatialTransformer(b, init, name, x, { channels, heads: c.heads, groups: G, size, context, ctxDim: c.crossAttentionDim, ctxLen: c.contextLength });

  let h = conv2d(b, init, 'conv_in', sample, c.inChannels, ch[0]);
  const skips: { v: Value; ch: number }[] = [{ v: h, ch: ch[0] }];
  let size = c.sampleSize, cur = ch[0];
  for (let i = 0; i < n; i++) {
    b.scope(`down_blocks.${i}`, () => {
      for (let j = 0; j < c.layersPerBlock; j++) {
        h = resnet(b, init, `resnets.${j}`, h, { cin: cur, cout: ch[i], groups: G, temb, tembDim });
        cur = ch[i];
        if (c.downBlockTypes[i] === 'CrossAttnDownBlock2D') h = xf(`attentions.${j}`, h, cur, size);
        skips.push({ v: h, ch: cur });
      }
      if (i < n - 1) {
        h = b.scope('downsamplers.0', () => conv2d(b, init, 'conv', h, cur, cur, { stride: 2 }));
        size /= 2;
        skips.push({ v: h, ch: cur });
      }
    });
  }
  h = b.scope('mid_block', () => {
    let m = resnet(b, init, 'resnets.0', h, { cin: cur, cout: cur, groups: G, temb, tembDim });
    m = xf('attentions.0', m, cur, size);
    return resnet(b, init, 'resnets.1', m, { cin: cur, cout: cur, groups: G, temb, tembDim });
  });
  const rev = [...ch].reverse();
  for (let i = 0; i < n; i++) {
    b.scope(`up_blocks.${i}`, () => {
      for (let j = 0; j <= c.layersPerBlock; j++) {
        const skip = skips.pop()!;
        h = resnet(b, init, `resnets.${j}`, concat(b, [h, skip.v], 1), { cin: cur + skip.ch, cout: rev[i], groups: G, temb, tembDim });
        cur = rev[i];
        if (c.upBlockTypes[i] === 'CrossAttnUpBlock2D') h = xf(`attentions.${j}`, h, cur, size);
      }
      if (i < n - 1) {
        h = b.scope('upsamplers.0', () => {
          const up = resize(b, h, { scales: [1, 1, 2, 2], mode: 'nearest', coordinateTransformationMode: 'asymmetric', nearestMode: 'floor' });
          return conv2d(b, init, 'conv', up, cur, cur);
        });
        size *= 2;
      }
    });
  }
  if (skips.length) throw new Error(`unet: ${skips.length} skip connections left over (config inconsistent)`);
  const out = silu(b, groupNorm(b, 'conv_norm_out', h, cur, G));
  return conv2d(b, init, 'conv_out', out, cur, c.outChannels, { std: (o.outScale ?? 1) * 0.1 / Math.sqrt(cur * 9) });
}

function unetInputs(b: GraphBuilder, c: UnetConfig, batch: Dim) {
  return {
    sample: b.input('sample', 'float32', [batch, c.inChannels, c.sampleSize, c.sampleSize]),
    timestep: b.input('timestep', 'float32', [batch]),
    context: b.input('encoder_hidden_states', 'float32', [batch, c.contextLength, c.crossAttentionDim]),
  };
}

/** Inference graph with the SD export I/O (symbolic batch by default). */
export function unetGraph(c: UnetConfig, o: UnetBuildOptions & { metadata?: Record<string, string> } = {}): Model {
  const b = new GraphBuilder('unet');
  const { sample, timestep, context } = unetInputs(b, c, o.batch ?? 'batch');
  b.output(unetBody(b, c, sample, timestep, context, o), 'out_sample');
  return b.build({ metadata: { config: JSON.stringify(c), ...o.metadata } });
}

export interface UnetTrainForward { model: Model; params: string[] }

/** Training forward (static batch): + `target` [B, 4, S, S] (the noise ε), output `loss` = mean (ε̂ − ε)². */
export function unetTrainForward(c: UnetConfig, batch: number, seed: number | string, outScale = 1): UnetTrainForward {
  const b = new GraphBuilder('unet_train');
  const { sample, timestep, context } = unetInputs(b, c, batch);
  const target = b.input('target', 'float32', [batch, c.outChannels, c.sampleSize, c.sampleSize]);
  const pred = unetBody(b, c, sample, timestep, context, { seed, outScale });
  const d = sub(b, pred, target);
  b.output(reshape(b, reduceMean(b, mul(b, d, d), [0, 1, 2, 3], false), []), 'loss');
  return { model: b.build({ metadata: { config: JSON.stringify(c) } }), params: [...b.params] };
}

/** Parameter count of a built graph (its float initializers that are params). */
export function paramCount(m: Model, params: readonly string[]): number {
  return params.reduce((s, p) => s + (m.graph.initializers.get(p)?.values.length ?? 0), 0);
}
