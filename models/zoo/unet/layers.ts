/**
 * Building blocks of the SD-shaped networks (micro-UNet and micro-VAE), emitted with the
 * graph builder under diffusers module names so parameters read
 * `down_blocks.1.resnets.0.conv1.weight` and nodes `down_blocks.1.attentions.0.transformer_blocks.0.attn2/Softmax`.
 *
 *   const h = resnet(b, init, 'resnets.0', x, { cin: 64, cout: 128, groups: 8, temb });
 *   const t = spatialTransformer(b, init, 'attentions.0', h, ctx, { channels: 128, heads: 4, ... });
 *
 * Layout differences from PyTorch (documented once here): Linear weights are stored [in, out]
 * (MatMul operand, as in zoo/vit.ts); attention probabilities are [B, heads, queries, keys].
 */
import type { GraphBuilder, Value } from '../../graph/builder.ts';
import { Prng } from '../../data/microworld/prng.ts';
import { add, gelu, mul, silu } from '../../graph/ops/elementwise.ts';
import { conv } from '../../graph/ops/conv.ts';
import { matmul } from '../../graph/ops/matmul.ts';
import { groupNorm as groupNormOp, layerNorm as layerNormOp, softmax } from '../../graph/ops/norm.ts';
import { reshape, slice, transpose } from '../../graph/ops/shape.ts';

/** Seeded weight initializer; `outScale` multiplies the std of the layers that start small (residual outputs; tests raise it). */
export class Init {
  private readonly rng: Prng;
  constructor(seed: number | string, readonly outScale = 1) { this.rng = new Prng(seed); }
  normal(n: number, std: number): Float32Array { return this.rng.fillNormal(new Float32Array(n), std); }
  fill(n: number, v: number): Float32Array { return new Float32Array(n).fill(v); }
}

export function linear(b: GraphBuilder, init: Init, name: string, x: Value, din: number, dout: number, bias = true, std = 1 / Math.sqrt(din)): Value {
  return b.scope(name, () => {
    const y = matmul(b, x, b.param('weight', { dims: [din, dout], values: init.normal(din * dout, std) }));
    return bias ? add(b, y, b.param('bias', { dims: [dout], values: init.fill(dout, 0) })) : y;
  });
}

export function conv2d(b: GraphBuilder, init: Init, name: string, x: Value, cin: number, cout: number, o: { k?: number; stride?: number; std?: number } = {}): Value {
  const k = o.k ?? 3, s = o.stride ?? 1, p = (k - 1) >> 1;
  return b.scope(name, () => conv(b, x,
    b.param('weight', { dims: [cout, cin, k, k], values: init.normal(cout * cin * k * k, o.std ?? 1 / Math.sqrt(cin * k * k)) }),
    b.param('bias', { dims: [cout], values: init.fill(cout, 0) }),
    { pads: [p, p, p, p], strides: [s, s] }));
}

export function groupNorm(b: GraphBuilder, name: string, x: Value, channels: number, groups: number, eps = 1e-5): Value {
  return b.scope(name, () => groupNormOp(b, x, groups,
    b.param('weight', { dims: [channels], values: new Float32Array(channels).fill(1) }),
    b.param('bias', { dims: [channels], values: new Float32Array(channels) }), eps));
}

export function layerNorm(b: GraphBuilder, name: string, x: Value, d: number, eps = 1e-5): Value {
  return b.scope(name, () => layerNormOp(b, x,
    b.param('weight', { dims: [d], values: new Float32Array(d).fill(1) }),
    b.param('bias', { dims: [d], values: new Float32Array(d) }), -1, eps));
}

export interface ResnetOpts { cin: number; cout: number; groups: number; temb?: Value; tembDim?: number; eps?: number }

/** diffusers ResnetBlock2D: norm1 → SiLU → conv1 (+ time_emb_proj) → norm2 → SiLU → conv2, plus (1×1 conv_shortcut) skip. */
export function resnet(b: GraphBuilder, init: Init, name: string, x: Value, o: ResnetOpts): Value {
  return b.scope(name, () => {
    let h = conv2d(b, init, 'conv1', silu(b, groupNorm(b, 'norm1', x, o.cin, o.groups, o.eps)), o.cin, o.cout);
    if (o.temb) {
      const t = linear(b, init, 'time_emb_proj', silu(b, o.temb), o.tembDim!, o.cout);
      h = add(b, h, reshape(b, t, [-1, o.cout, 1, 1]));
    }
    // conv2 starts small so a fresh block is close to its skip path (stable early training).
    h = conv2d(b, init, 'conv2', silu(b, groupNorm(b, 'norm2', h, o.cout, o.groups, o.eps)), o.cout, o.cout, { std: init.outScale / Math.sqrt(o.cout * 9) });
    const skip = o.cin === o.cout ? x : conv2d(b, init, 'conv_shortcut', x, o.cin, o.cout, { k: 1 });
    return add(b, skip, h);
  });
}

export interface AttentionOpts { dim: number; heads: number; queries: number; keys: number; ctxDim?: number; qkvBias?: boolean }

/**
 * diffusers Attention: to_q / to_k / to_v (no bias in the UNet), explicit Softmax (unfused, so
 * taps can find it), to_out.0. x: [B, T, dim]; ctx: [B, S, ctxDim] (cross) or undefined (self).
 */
export function attention(b: GraphBuilder, init: Init, name: string, x: Value, ctx: Value | undefined, o: AttentionOpts): Value {
  return b.scope(name, () => attentionHere(b, init, x, ctx, o));
}

/** The attention projections and Softmax in the current scope (the VAE mid block puts them beside its group_norm). */
export function attentionHere(b: GraphBuilder, init: Init, x: Value, ctx: Value | undefined, o: AttentionOpts): Value {
  const dh = o.dim / o.heads, src = ctx ?? x, cdim = ctx ? o.ctxDim! : o.dim;
  const split = (v: Value, t: number, perm: number[]) => transpose(b, reshape(b, v, [-1, t, o.heads, dh]), perm);
  // Scaling q (T·dh values) is cheaper than scaling the T×S scores.
  const q = split(mul(b, linear(b, init, 'to_q', x, o.dim, o.dim, o.qkvBias ?? false), 1 / Math.sqrt(dh)), o.queries, [0, 2, 1, 3]);
  const k = split(linear(b, init, 'to_k', src, cdim, o.dim, o.qkvBias ?? false), o.keys, [0, 2, 3, 1]);
  const v = split(linear(b, init, 'to_v', src, cdim, o.dim, o.qkvBias ?? false), o.keys, [0, 2, 1, 3]);
  const probs = softmax(b, matmul(b, q, k), -1); // [B, H, T, S]
  const merged = reshape(b, transpose(b, matmul(b, probs, v), [0, 2, 1, 3]), [-1, o.queries, o.dim]);
  return b.scope('to_out.0', () => add(b,
    matmul(b, merged, b.param('weight', { dims: [o.dim, o.dim], values: init.normal(o.dim * o.dim, init.outScale / Math.sqrt(o.dim)) })),
    b.param('bias', { dims: [o.dim], values: init.fill(o.dim, 0) })));
}

/** GEGLU feed-forward (ff.net.0.proj → value·GELU(gate) → ff.net.2), inner = 4·dim as in SD. */
function feedForward(b: GraphBuilder, init: Init, x: Value, dim: number): Value {
  const inner = 4 * dim;
  return b.scope('ff', () => {
    const proj = linear(b, init, 'net.0.proj', x, dim, 2 * inner);
    const value = slice(b, proj, [0], [inner], [2]);
    const gate = slice(b, proj, [inner], [2 * inner], [2]);
    return linear(b, init, 'net.2', mul(b, value, gelu(b, gate)), inner, dim, true, init.outScale / Math.sqrt(inner));
  });
}

export interface TransformerOpts { channels: number; heads: number; groups: number; size: number; context: Value; ctxDim: number; ctxLen: number }

/**
 * SD 1.x Transformer2DModel with one BasicTransformerBlock: GroupNorm → proj_in (1×1 conv) →
 * tokens → [norm1 → attn1 (self), norm2 → attn2 (cross to the text), norm3 → ff] → proj_out → + x.
 */
export function spatialTransformer(b: GraphBuilder, init: Init, name: string, x: Value, o: TransformerOpts): Value {
  const C = o.channels, T = o.size * o.size;
  return b.scope(name, () => {
    const h = conv2d(b, init, 'proj_in', groupNorm(b, 'norm', x, C, o.groups, 1e-6), C, C, { k: 1 });
    let t = transpose(b, reshape(b, h, [-1, C, T]), [0, 2, 1]); // [B, T, C]
    t = b.scope('transformer_blocks.0', () => {
      const a: AttentionOpts = { dim: C, heads: o.heads, queries: T, keys: T };
      let u = add(b, t, attention(b, init, 'attn1', layerNorm(b, 'norm1', t, C), undefined, a));
      u = add(b, u, attention(b, init, 'attn2', layerNorm(b, 'norm2', u, C), o.context, { ...a, keys: o.ctxLen, ctxDim: o.ctxDim }));
      return add(b, u, feedForward(b, init, layerNorm(b, 'norm3', u, C), C));
    });
    const back = reshape(b, transpose(b, t, [0, 2, 1]), [-1, C, o.size, o.size]);
    return add(b, x, conv2d(b, init, 'proj_out', back, C, C, { k: 1 }));
  });
}
