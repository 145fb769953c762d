/**
 * Graphs with the real path's per-layer contract (./contract.ts), built from one set of emitters
 * so a micro model "exported under the real contract" and its single-graph reference share
 * weights by name. A Python export of SmolVLM writes the same I/O from the real weights; these
 * builders make the offline stand-in the tests run.
 *
 *  - `llamaLayerGraph(i)`: hidden_states, position_ids, attention_bias, past_key, past_value →
 *    hidden_states_out, present_key, present_value. Rotary positions are applied inside the layer
 *    from the explicit position_ids (never derived from the cache length, spec B9.3), so text
 *    tokens keep their original positions after the image tokens are dropped.
 *  - `llamaEmbedGraph`: input_ids → inputs_embeds (the published embed_tokens.onnx contract).
 *  - `llamaHeadGraph`: final RMSNorm + lm_head: hidden_states → logits.
 *  - `microVisionGraph`: pixel_values [b, n, 3, S, S] + pixel_attention_mask → image_features
 *    [b·n, T, d] (the published vision_encoder.onnx contract; here: patch means → linear).
 *  - `llamaFullGraph`: the whole decoder in one graph (inputs_embeds + position_ids → logits),
 *    optionally with image keys blocked for the other tokens after layer K — the reference the
 *    layer-by-layer executor is tested against.
 */
import { GraphBuilder, type Value } from '../../../graph/builder.ts';
import type { Model } from '../../../graph/ir.ts';
import { Prng } from '../../../data/microworld/prng.ts';
import { Init } from '../../clip/textTower.ts';
import { type LlamaVlmConfig, checkLlamaConfig } from './config.ts';

const init = (seed: string | number, part: string) => new Init(new Prng(`${seed}:${part}`));
const meta = (c: LlamaVlmConfig, part: string) => ({ metadata: { config: JSON.stringify(c), part } });

function weight(b: GraphBuilder, seed: string | number, name: string, din: number, dout: number): Value {
  return b.param(name, { dims: [din, dout], values: init(seed, name).normal(din * dout, 1 / Math.sqrt(din)) });
}

function rmsNorm(b: GraphBuilder, c: LlamaVlmConfig, seed: string | number, name: string, x: Value): Value {
  // Weights near 1 (not exactly) so a test notices a norm that forgets its scale.
  const w = b.param(name, { dims: [c.hidden], values: init(seed, name).normal(c.hidden, 0.1).map((v) => 1 + v) });
  const ms = b.op('ReduceMean', [b.op('Mul', [x, x])[0]], { axes: [-1], keepdims: 1 })[0];
  const inv = b.op('Reciprocal', [b.op('Sqrt', [b.op('Add', [ms, b.constant([c.rmsEps], [])])[0]])[0]])[0];
  return b.op('Mul', [b.op('Mul', [x, inv])[0], w])[0];
}

/** cos/sin [1, 1, S, hd] for position ids [1, S] (HF Llama: θ^(−2j/hd), halves concatenated). */
function rotary(b: GraphBuilder, c: LlamaVlmConfig, positions: Value): { cos: Value; sin: Value } {
  const half = c.headDim / 2;
  const invFreq = Array.from({ length: half }, (_, j) => c.ropeTheta ** (-(2 * j) / c.headDim));
  const pos = b.op('Unsqueeze', [b.op('Cast', [positions], { to: 1 })[0], b.ints([-1])])[0]; // [1, S, 1]
  const f = b.op('Mul', [pos, b.constant(invFreq, [half])])[0]; // [1, S, half]
  const emb = b.op('Unsqueeze', [b.op('Concat', [f, f], { axis: -1 })[0], b.ints([1])])[0]; // [1, 1, S, hd]
  return { cos: b.op('Cos', [emb])[0], sin: b.op('Sin', [emb])[0] };
}

function applyRotary(b: GraphBuilder, c: LlamaVlmConfig, x: Value, r: { cos: Value; sin: Value }): Value {
  const half = c.headDim / 2;
  const x1 = b.op('Slice', [x, b.ints([0]), b.ints([half]), b.ints([-1])])[0];
  const x2 = b.op('Slice', [x, b.ints([half]), b.ints([c.headDim]), b.ints([-1])])[0];
  const rot = b.op('Concat', [b.op('Neg', [x2])[0], x1], { axis: -1 })[0];
  return b.op('Add', [b.op('Mul', [x, r.cos])[0], b.op('Mul', [rot, r.sin])[0]])[0];
}

export interface LlamaLayerOut { hidden: Value; presentKey: Value; presentValue: Value }

/**
 * One decoder layer on x [1, S, d] with positions [1, S]; `bias` broadcasts to [1, 1, S, P + S].
 * Grouped-query attention without copying K/V: queries are viewed as [1, kv, g, S, hd] and
 * matched against keys [1, kv, 1, T, hd] (MatMul broadcasts the group axis).
 */
export function llamaLayer(b: GraphBuilder, c: LlamaVlmConfig, seed: string | number, i: number, x: Value, positions: Value, bias: Value, past?: { key: Value; value: Value }): LlamaLayerOut {
  const p = `model.layers.${i}`;
  const H = c.heads, kv = c.kvHeads, g = H / kv, hd = c.headDim, d = c.hidden;
  const r = rotary(b, c, positions);
  const n1 = rmsNorm(b, c, seed, `${p}.input_layernorm.weight`, x);
  const heads = (v: Value, n: number) => b.op('Transpose', [b.op('Reshape', [v, b.ints([1, -1, n, hd])])[0]], { perm: [0, 2, 1, 3] })[0];
  const q = applyRotary(b, c, heads(b.op('MatMul', [n1, weight(b, seed, `${p}.self_attn.q_proj.weight`, d, H * hd)])[0], H), r);
  const k = applyRotary(b, c, heads(b.op('MatMul', [n1, weight(b, seed, `${p}.self_attn.k_proj.weight`, d, kv * hd)])[0], kv), r);
  const v = heads(b.op('MatMul', [n1, weight(b, seed, `${p}.self_attn.v_proj.weight`, d, kv * hd)])[0], kv);
  const presentKey = past ? b.op('Concat', [past.key, k], { axis: 2 })[0] : k;
  const presentValue = past ? b.op('Concat', [past.value, v], { axis: 2 })[0] : v;
  const qg = b.op('Reshape', [b.op('Mul', [q, b.constant([1 / Math.sqrt(hd)], [])])[0], b.ints([1, kv, g, -1, hd])])[0];
  const kT = b.op('Unsqueeze', [b.op('Transpose', [presentKey], { perm: [0, 1, 3, 2] })[0], b.ints([2])])[0]; // [1, kv, 1, hd, T]
  const scores = b.op('Add', [b.op('MatMul', [qg, kT])[0], b.op('Unsqueeze', [bias, b.ints([2])])[0]])[0]; // [1, kv, g, S, T]
  const ctx = b.op('MatMul', [b.op('Softmax', [scores], { axis: -1 })[0], b.op('Unsqueeze', [presentValue, b.ints([2])])[0]])[0]; // [1, kv, g, S, hd]
  const merged = b.op('Reshape', [b.op('Transpose', [b.op('Reshape', [ctx, b.ints([1, H, -1, hd])])[0]], { perm: [0, 2, 1, 3] })[0], b.ints([1, -1, H * hd])])[0];
  const h1 = b.op('Add', [x, b.op('MatMul', [merged, weight(b, seed, `${p}.self_attn.o_proj.weight`, H * hd, d)])[0]])[0];
  const n2 = rmsNorm(b, c, seed, `${p}.post_attention_layernorm.weight`, h1);
  const gate = b.op('MatMul', [n2, weight(b, seed, `${p}.mlp.gate_proj.weight`, d, c.intermediate)])[0];
  const up = b.op('MatMul', [n2, weight(b, seed, `${p}.mlp.up_proj.weight`, d, c.intermediate)])[0];
  const act = b.op('Mul', [b.op('Mul', [gate, b.op('Sigmoid', [gate])[0]])[0], up])[0]; // SiLU(gate) · up
  const hidden = b.op('Add', [h1, b.op('MatMul', [act, weight(b, seed, `${p}.mlp.down_proj.weight`, c.intermediate, d)])[0]])[0];
  return { hidden, presentKey, presentValue };
}

export function llamaLayerGraph(c: LlamaVlmConfig, seed: string | number, i: number): Model {
  checkLlamaConfig(c);
  const b = new GraphBuilder(`decoder_layer_${i}`);
  const x = b.input('hidden_states', 'float32', [1, 'seq', c.hidden]);
  const pos = b.input('position_ids', 'int64', [1, 'seq']);
  const bias = b.input('attention_bias', 'float32', [1, 1, 'seq', 'total']);
  const key = b.input('past_key', 'float32', [1, c.kvHeads, 'past', c.headDim]);
  const value = b.input('past_value', 'float32', [1, c.kvHeads, 'past', c.headDim]);
  const o = llamaLayer(b, c, seed, i, x, pos, bias, { key, value });
  b.output(o.hidden, 'hidden_states_out');
  b.output(o.presentKey, 'present_key');
  b.output(o.presentValue, 'present_value');
  return b.build(meta(c, `decoder_layer_${i}`));
}

function embedTable(b: GraphBuilder, c: LlamaVlmConfig, seed: string | number): Value {
  return b.param('model.embed_tokens.weight', { dims: [c.vocabSize, c.hidden], values: init(seed, 'embed').normal(c.vocabSize * c.hidden, 0.5) });
}

export function llamaEmbedGraph(c: LlamaVlmConfig, seed: string | number): Model {
  const b = new GraphBuilder('embed_tokens');
  const ids = b.input('input_ids', 'int64', ['batch_size', 'sequence_length']);
  b.output(b.op('Gather', [embedTable(b, c, seed), ids], { axis: 0 })[0], 'inputs_embeds');
  return b.build(meta(c, 'embed_tokens'));
}

function head(b: GraphBuilder, c: LlamaVlmConfig, seed: string | number, h: Value): Value {
  return b.op('MatMul', [rmsNorm(b, c, seed, 'model.norm.weight', h), weight(b, seed, 'lm_head.weight', c.hidden, c.vocabSize)])[0];
}

export function llamaHeadGraph(c: LlamaVlmConfig, seed: string | number): Model {
  const b = new GraphBuilder('lm_head');
  const x = b.input('hidden_states', 'float32', [1, 'seq', c.hidden]);
  b.output(head(b, c, seed, x), 'logits');
  return b.build(meta(c, 'lm_head'));
}

/**
 * A micro vision encoder with the published contract: masked pixels → mean over each
 * (S/√T)² patch → linear to the LM width. Not SigLIP; it only has to give each image its own
 * tokens so tests can see image information flow (or stop flowing) into the text.
 */
export function microVisionGraph(c: LlamaVlmConfig, seed: string | number): Model {
  const side = Math.round(Math.sqrt(c.imageTokens)), S = c.imageSize, p = S / side;
  if (side * side !== c.imageTokens || !Number.isInteger(p)) throw new Error(`microVisionGraph: ${c.imageTokens} tokens do not tile a ${S}² image`);
  const b = new GraphBuilder('vision_encoder');
  const px = b.input('pixel_values', 'float32', ['batch_size', 'num_images', 3, S, S]);
  const mask = b.input('pixel_attention_mask', 'bool', ['batch_size', 'num_images', S, S]);
  const m = b.op('Unsqueeze', [b.op('Cast', [mask], { to: 1 })[0], b.ints([2])])[0];
  const x = b.op('Reshape', [b.op('Mul', [px, m])[0], b.ints([-1, 3, side, p, side, p])])[0];
  const pooled = b.op('ReduceMean', [x], { axes: [3, 5], keepdims: 0 })[0]; // [N, 3, side, side]
  const tokens = b.op('Transpose', [b.op('Reshape', [pooled, b.ints([-1, 3, c.imageTokens])])[0]], { perm: [0, 2, 1] })[0];
  b.output(b.op('MatMul', [tokens, weight(b, seed, 'connector.proj.weight', 3, c.hidden)])[0], 'image_features');
  return b.build(meta(c, 'vision_encoder'));
}

/**
 * The decoder as one graph for S tokens (inputs_embeds [1, S, d], position_ids [1, S]) → logits
 * [1, S, V]. With `blockImageAfter` (K, image rows), non-image queries of layers > K cannot see
 * image keys: the masking form of an exit (spec B4 copy B).
 */
export function llamaFullGraph(c: LlamaVlmConfig, seed: string | number, S: number, o: { blockImageAfter?: { layer: number; rows: readonly number[] } } = {}): Model {
  checkLlamaConfig(c);
  const b = new GraphBuilder('decoder_full');
  let h = b.input('inputs_embeds', 'float32', [1, S, c.hidden]);
  const pos = b.input('position_ids', 'int64', [1, S]);
  const causal = new Float32Array(S * S);
  for (let q = 0; q < S; q++) for (let k = q + 1; k < S; k++) causal[q * S + k] = -1e4;
  const bias = b.constant(causal, [1, 1, S, S]);
  let blocked = bias;
  if (o.blockImageAfter) {
    const img = new Set(o.blockImageAfter.rows), m = causal.slice();
    for (let q = 0; q < S; q++) if (!img.has(q)) for (const k of img) m[q * S + k] = -1e4;
    blocked = b.constant(m, [1, 1, S, S]);
  }
  for (let i = 0; i < c.layers; i++) {
    const use = o.blockImageAfter && i > o.blockImageAfter.layer ? blocked : bias;
    h = llamaLayer(b, c, seed, i, h, pos, use).hidden;
  }
  b.output(head(b, c, seed, h), 'logits');
  return b.build(meta(c, 'full'));
}
