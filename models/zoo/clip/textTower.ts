/**
 * CLIP's text transformer as graph ops: token + position embeddings → pre-LN causal
 * transformer blocks → final LayerNorm → pooled hidden state at the first end-of-text token
 * (CLIP takes argmax(input_ids), which is the first <|endoftext|> for its BPE vocabulary; we
 * look the eot id up explicitly so word vocabularies with any id order work the same way).
 *
 * Parameter names follow HF CLIPTextModel (`embeddings.token_embedding.weight`,
 * `encoder.layers.0.self_attn.q_proj.weight`, `final_layer_norm.weight`); Linear weights are
 * stored [in, out] as in zoo/vit.ts. Tokens are a 2-D [B·L, W] matrix outside attention so
 * each Linear is one large MatMul.
 */
import type { GraphBuilder, Value } from '../../graph/builder.ts';
import { gelu } from '../../graph/ops/elementwise.ts';
import { Prng } from '../../data/microworld/prng.ts';
import type { TextConfig } from './config.ts';

/** Weight initializer shared by the CLIP towers' helpers. */
export class Init {
  constructor(private readonly rng: Prng) {}
  normal(n: number, std: number): Float32Array { return this.rng.fillNormal(new Float32Array(n), std); }
  fill(n: number, v: number): Float32Array { return new Float32Array(n).fill(v); }
}

export function linear(b: GraphBuilder, init: Init, name: string, x: Value, din: number, dout: number, bias = true): Value {
  return b.scope(name, () => {
    const w = b.param('weight', { dims: [din, dout], values: init.normal(din * dout, 1 / Math.sqrt(din)) });
    const y = b.op('MatMul', [x, w])[0];
    if (!bias) return y;
    return b.op('Add', [y, b.param('bias', { dims: [dout], values: init.fill(dout, 0) })])[0];
  });
}

export function layerNorm(b: GraphBuilder, init: Init, name: string, x: Value, d: number, eps: number): Value {
  return b.scope(name, () => {
    const w = b.param('weight', { dims: [d], values: init.fill(d, 1) });
    const bias = b.param('bias', { dims: [d], values: init.fill(d, 0) });
    return b.op('LayerNormalization', [x, w, bias], { axis: -1, epsilon: { float: eps } })[0];
  });
}

/**
 * Additive attention bias [L, L]: 0 on and below the diagonal, −1e4 above (future tokens).
 * −1e4 rather than −inf or float32 min: the same graph may later run in fp16, where those
 * overflow to NaN after the max-subtraction in Softmax; exp(−1e4) is 0 in both precisions.
 */
export function causalBias(L: number): Float32Array {
  const m = new Float32Array(L * L);
  for (let i = 0; i < L; i++) for (let j = i + 1; j < L; j++) m[i * L + j] = -1e4;
  return m;
}

/** h: [B·L, W]; bias broadcastable to [B, H, L, L]. */
function attention(b: GraphBuilder, init: Init, c: TextConfig, h: Value, bias: Value): Value {
  const d = c.width, L = c.contextLength, H = c.heads, dh = d / H;
  return b.scope('self_attn', () => {
    const heads = (v: Value, perm: number[]) => b.op('Transpose', [b.op('Reshape', [v, b.ints([-1, L, H, dh])])[0]], { perm })[0];
    const q = heads(b.op('Mul', [linear(b, init, 'q_proj', h, d, d), b.constant([1 / Math.sqrt(dh)], [])])[0], [0, 2, 1, 3]);
    const k = heads(linear(b, init, 'k_proj', h, d, d), [0, 2, 3, 1]);
    const v = heads(linear(b, init, 'v_proj', h, d, d), [0, 2, 1, 3]);
    const scores = b.op('Add', [b.op('MatMul', [q, k])[0], bias])[0];
    const p = b.op('Softmax', [scores], { axis: -1 })[0];
    const ctx = b.op('Transpose', [b.op('MatMul', [p, v])[0]], { perm: [0, 2, 1, 3] })[0];
    return linear(b, init, 'out_proj', b.op('Reshape', [ctx, b.ints([-1, d])])[0], d, d);
  });
}

function block(b: GraphBuilder, init: Init, c: TextConfig, h: Value, bias: Value, i: number): Value {
  const d = c.width, hid = c.mlpRatio * d;
  return b.scope(`encoder.layers.${i}`, () => {
    const a = attention(b, init, c, layerNorm(b, init, 'layer_norm1', h, d, c.layerNormEps), bias);
    const h1 = b.op('Add', [h, a])[0];
    const n2 = layerNorm(b, init, 'layer_norm2', h1, d, c.layerNormEps);
    const m = b.scope('mlp', () => linear(b, init, 'fc2', gelu(b, linear(b, init, 'fc1', n2, d, hid)), hid, d));
    return b.op('Add', [h1, m])[0];
  });
}

export interface TextTowerOutputs {
  /** [B, L, W] after the final LayerNorm (HF's `last_hidden_state`). */
  hidden: Value;
  /** [B, W] hidden state at the first eot token (HF's `pooler_output`). */
  pooled: Value;
}

export interface TextTowerOptions {
  /**
   * Optional [B, L] int64 padding mask (1 = token, 0 = padding). With a causal mask and eot
   * pooling, padding after <eot> cannot change the embedding; the mask only matters for
   * callers that pad on the left or inside, and for HF parity of `last_hidden_state`.
   */
  attentionMask?: Value;
}

/** Emit the tower on `ids` [B, L] int64 (call inside a scope such as 'text_model'). */
export function textTower(b: GraphBuilder, ids: Value, c: TextConfig, seed: number | string = 0, o: TextTowerOptions = {}): TextTowerOutputs {
  if (c.width % c.heads) throw new Error(`text tower: width ${c.width} is not divisible by heads ${c.heads}`);
  const init = new Init(new Prng(seed));
  const d = c.width, L = c.contextLength;
  let h = b.scope('embeddings', () => {
    const tok = b.param('token_embedding.weight', { dims: [c.vocabSize, d], values: init.normal(c.vocabSize * d, 0.02) });
    const pos = b.param('position_embedding.weight', { dims: [L, d], values: init.normal(L * d, 0.01) });
    const e = b.op('Add', [b.op('Gather', [tok, ids], { axis: 0 })[0], pos])[0];
    return b.op('Reshape', [e, b.ints([-1, d])])[0];
  });
  let bias = b.constant(causalBias(L), [1, 1, L, L]);
  if (o.attentionMask) {
    // Keys that are padding get −1e4 as well: bias[b, 0, 0, j] += (1 − mask[b, j]) · −1e4.
    const m = b.op('Cast', [o.attentionMask], { to: 1 })[0];
    const pad = b.op('Mul', [b.op('Sub', [b.constant([1], []), m])[0], b.constant([-1e4], [])])[0];
    bias = b.op('Add', [bias, b.op('Reshape', [pad, b.ints([-1, 1, 1, L])])[0]])[0];
  }
  for (let i = 0; i < c.layers; i++) h = block(b, init, c, h, bias, i);
  h = layerNorm(b, init, 'final_layer_norm', h, d, c.layerNormEps);
  const hidden = b.op('Reshape', [h, b.ints([-1, L, d])])[0];
  // One-hot of the first eot position (ArgMax returns the first maximum), then a batched
  // MatMul picks that row: differentiable w.r.t. the hidden states, no Gather on a data-dependent index.
  const isEot = b.op('Cast', [b.op('Equal', [ids, b.constant([c.eotId], [], 'int64')])[0]], { to: 1 })[0];
  const first = b.op('ArgMax', [isEot], { axis: 1, keepdims: 1 })[0];
  const iota = b.constant([...Array(L).keys()], [L], 'int64');
  const onehot = b.op('Cast', [b.op('Equal', [first, iota])[0]], { to: 1 })[0];
  const pooled3 = b.op('MatMul', [b.op('Reshape', [onehot, b.ints([-1, 1, L])])[0], hidden])[0];
  const pooled = b.op('Reshape', [pooled3, b.ints([-1, d])])[0];
  return { hidden, pooled };
}
