/**
 * A configurable ViT (the micro-CLIP image tower and the training benchmark's model):
 * patch-embed Conv → class token + position embeddings → pre-LN → pre-LN transformer
 * blocks (MHA + GELU MLP) → final LN on the pooled token → linear head.
 *
 * Parameter names follow HF CLIPVisionModel (`embeddings.patch_embedding.weight`,
 * `encoder.layers.3.self_attn.q_proj.weight`, `post_layernorm.bias`, `visual_projection.weight`)
 * so weights map by name. One layout difference: Linear weights are stored [in, out]
 * (MatMul operand), i.e. transposed w.r.t. PyTorch's [out, in].
 *
 * Tokens are kept as a 2-D [batch·tokens, width] matrix outside attention, so every
 * Linear (and its two backward GEMMs) is one large MatMul rather than a batched one.
 */
import type { GraphBuilder, Value } from '../graph/builder.ts';
import { gelu } from '../graph/ops/elementwise.ts';
import { reduceMax, reduceMean, reduceSum } from '../graph/ops/reduce.ts';
import { Prng } from '../data/microworld/prng.ts';

export interface VitConfig {
  imageSize: number;
  patchSize: number;
  channels: number;
  width: number;
  layers: number;
  heads: number;
  /** MLP hidden = mlpRatio · width. */
  mlpRatio: number;
  /** Output features of the head (classes, or CLIP's projection dim). 0 = no head. */
  headDim: number;
  /** 'visual_projection' (CLIP, no bias) or 'head' (classifier, with bias). */
  head: 'visual_projection' | 'head';
  /** 'cls' (CLIP) or mean over patch tokens. */
  pool: 'cls' | 'mean';
  layerNormEps: number;
  /** CLIP applies a LayerNorm right after the embeddings ("pre_layrnorm", sic). */
  preNorm: boolean;
}

export const vitDefaults: Omit<VitConfig, 'imageSize' | 'patchSize' | 'width' | 'layers' | 'heads' | 'headDim'> = {
  channels: 3, mlpRatio: 4, head: 'head', pool: 'cls', layerNormEps: 1e-5, preNorm: true,
};

/** The training benchmark's model: 32×32 images, 4×4 patches (65 tokens), width 256, 3 layers ≈ 2.4 M params. */
export const VIT_BENCH: VitConfig = { ...vitDefaults, imageSize: 32, patchSize: 4, width: 256, layers: 3, heads: 4, headDim: 10 };

export const vitTokens = (c: VitConfig) => (c.imageSize / c.patchSize) ** 2 + 1;

export function vitParamCount(c: VitConfig): number {
  const d = c.width, h = c.mlpRatio * d, T = vitTokens(c);
  const patch = d * c.channels * c.patchSize ** 2;
  const layer = 4 * (d * d + d) + (d * h + h) + (h * d + d) + 4 * d;
  const head = c.headDim ? d * c.headDim + (c.head === 'head' ? c.headDim : 0) : 0;
  return patch + d + T * d + (c.preNorm ? 2 * d : 0) + c.layers * layer + 2 * d + head;
}

/**
 * Forward FLOPs per sample of the matmul-like ops (2 per multiply-add): patch conv,
 * q/k/v/out projections, QKᵀ and PV, the MLP and the head. Elementwise ops, norms and
 * softmax are left out (they are O(T·d), the matmuls O(T·d²)).
 */
export function vitForwardFlops(c: VitConfig): number {
  const d = c.width, h = c.mlpRatio * d, T = vitTokens(c), N = T - 1;
  const patch = 2 * N * d * c.channels * c.patchSize ** 2;
  const layer = 2 * T * d * d * 4 + 2 * T * T * d * 2 + 2 * T * d * h * 2;
  return patch + c.layers * layer + 2 * d * c.headDim;
}

class Init {
  constructor(private readonly rng: Prng) {}
  normal(n: number, std: number): Float32Array { return this.rng.fillNormal(new Float32Array(n), std); }
  fill(n: number, v: number): Float32Array { return new Float32Array(n).fill(v); }
}

function linear(b: GraphBuilder, init: Init, name: string, x: Value, din: number, dout: number, bias = true): Value {
  return b.scope(name, () => {
    const w = b.param('weight', { dims: [din, dout], values: init.normal(din * dout, 1 / Math.sqrt(din)) });
    const y = b.op('MatMul', [x, w])[0];
    if (!bias) return y;
    return b.op('Add', [y, b.param('bias', { dims: [dout], values: init.fill(dout, 0) })])[0];
  });
}

function layerNorm(b: GraphBuilder, init: Init, name: string, x: Value, d: number, eps: number): Value {
  return b.scope(name, () => {
    const w = b.param('weight', { dims: [d], values: init.fill(d, 1) });
    const bias = b.param('bias', { dims: [d], values: init.fill(d, 0) });
    return b.op('LayerNormalization', [x, w, bias], { axis: -1, epsilon: { float: eps } })[0];
  });
}

/** h: [B·T, d] → [B·T, d]. */
function attention(b: GraphBuilder, init: Init, c: VitConfig, h: Value): Value {
  const d = c.width, T = vitTokens(c), H = c.heads, dh = d / H;
  return b.scope('self_attn', () => {
    const heads = (v: Value, perm: number[]) => b.op('Transpose', [b.op('Reshape', [v, b.ints([-1, T, H, dh])])[0]], { perm })[0];
    // Scaling q (T·dh values) is cheaper than scaling the T×T scores.
    const q = heads(b.op('Mul', [linear(b, init, 'q_proj', h, d, d), b.constant([1 / Math.sqrt(dh)], [])])[0], [0, 2, 1, 3]);
    const k = heads(linear(b, init, 'k_proj', h, d, d), [0, 2, 3, 1]);
    const v = heads(linear(b, init, 'v_proj', h, d, d), [0, 2, 1, 3]);
    const p = b.op('Softmax', [b.op('MatMul', [q, k])[0]], { axis: -1 })[0];
    const ctx = b.op('Transpose', [b.op('MatMul', [p, v])[0]], { perm: [0, 2, 1, 3] })[0];
    return linear(b, init, 'out_proj', b.op('Reshape', [ctx, b.ints([-1, d])])[0], d, d);
  });
}

function block(b: GraphBuilder, init: Init, c: VitConfig, h: Value, i: number): Value {
  const d = c.width, hid = c.mlpRatio * d;
  return b.scope(`encoder.layers.${i}`, () => {
    const a = attention(b, init, c, layerNorm(b, init, 'layer_norm1', h, d, c.layerNormEps));
    const h1 = b.op('Add', [h, a])[0];
    const n2 = layerNorm(b, init, 'layer_norm2', h1, d, c.layerNormEps);
    const m = b.scope('mlp', () => linear(b, init, 'fc2', gelu(b, linear(b, init, 'fc1', n2, d, hid)), hid, d));
    return b.op('Add', [h1, m])[0];
  });
}

export interface VitOutputs {
  /** [B·T, d] last hidden state (before the final LN). */
  tokens: Value;
  /** [B, d] pooled and normalized. */
  pooled: Value;
  /** [B, headDim] when the config has a head. */
  logits?: Value;
}

/** Emit the tower on `pixels` [B, C, H, W] into `b` (call inside a scope such as 'vision_model' if wanted). */
export function vitTower(b: GraphBuilder, pixels: Value, c: VitConfig, seed: number | string = 0): VitOutputs {
  if (c.imageSize % c.patchSize) throw new Error(`vit: imageSize ${c.imageSize} is not a multiple of patchSize ${c.patchSize}`);
  if (c.width % c.heads) throw new Error(`vit: width ${c.width} is not divisible by heads ${c.heads}`);
  const init = new Init(new Prng(seed));
  const d = c.width, P = c.patchSize, T = vitTokens(c);
  let h = b.scope('embeddings', () => {
    const w = b.param('patch_embedding.weight', { dims: [d, c.channels, P, P], values: init.normal(d * c.channels * P * P, 1 / Math.sqrt(c.channels * P * P)) });
    const conv = b.op('Conv', [pixels, w], { kernel_shape: [P, P], strides: [P, P] })[0];
    // NHWC then [-1, N, d]: avoids a Reshape 0 ("copy dim"), which some importers (jax-js) reject.
    const patches = b.op('Reshape', [b.op('Transpose', [conv], { perm: [0, 2, 3, 1] })[0], b.ints([-1, T - 1, d])])[0];
    const cls = b.param('class_embedding', { dims: [d], values: init.normal(d, 0.02) });
    const batchCls = b.op('Expand', [b.op('Reshape', [cls, b.ints([1, 1, d])])[0], b.op('Concat', [b.op('Slice', [b.op('Shape', [pixels])[0], b.ints([0]), b.ints([1])])[0], b.ints([1, d])], { axis: 0 })[0]])[0];
    const seq = b.op('Concat', [batchCls, patches], { axis: 1 })[0];
    const pos = b.param('position_embedding.weight', { dims: [T, d], values: init.normal(T * d, 0.02) });
    return b.op('Reshape', [b.op('Add', [seq, pos])[0], b.ints([-1, d])])[0];
  });
  if (c.preNorm) h = layerNorm(b, init, 'pre_layrnorm', h, d, c.layerNormEps);
  for (let i = 0; i < c.layers; i++) h = block(b, init, c, h, i);
  const seq = b.op('Reshape', [h, b.ints([-1, T, d])])[0];
  const pooledRaw = c.pool === 'cls'
    ? b.op('Reshape', [b.op('Slice', [seq, b.ints([0]), b.ints([1]), b.ints([1])])[0], b.ints([-1, d])])[0]
    : reduceMean(b, b.op('Slice', [seq, b.ints([1]), b.ints([T]), b.ints([1])])[0], [1], false);
  const pooled = layerNorm(b, init, 'post_layernorm', pooledRaw, d, c.layerNormEps);
  const logits = c.headDim ? linear(b, init, c.head, pooled, d, c.headDim, c.head === 'head') : undefined;
  return { tokens: h, pooled, logits };
}

/** Mean softmax cross-entropy against one-hot (or soft) labels [B, K]: mean_b Σ_k y·(lse − z). */
export function softmaxCrossEntropy(b: GraphBuilder, logits: Value, labels: Value): Value {
  return b.scope('loss', () => {
    const z = b.op('Sub', [logits, reduceMax(b, logits, [1])])[0];
    const lse = b.op('Log', [reduceSum(b, b.op('Exp', [z])[0], [1])])[0];
    const nll = reduceSum(b, b.op('Mul', [labels, b.op('Sub', [lse, z])[0]])[0], [1], false);
    return reduceMean(b, nll, [0], false);
  });
}
