/**
 * micro-VLM building blocks as graph ops. Each part draws its initial weights from its own
 * seeded stream (`<seed>:layers.3`, `<seed>:embed`, …), so the batched training graph, the
 * single full graph and the per-layer inference graphs all hold identical weights by name
 * without copying: `layers.3.self_attn.q_proj.weight` is the same tensor everywhere.
 *
 * Names: `projector.{fc1,fc2}`, `embed_tokens.weight`, `embed_positions.weight`,
 * `layers.i.{input_layernorm,self_attn.{q,k,v,o}_proj,post_attention_layernorm,mlp.{fc1,fc2}}`,
 * `norm`, `lm_head.weight`. Linear weights are [in, out] (MatMul operand), as in zoo/vit.ts.
 */
import type { GraphBuilder, Value } from '../../graph/builder.ts';
import { gelu } from '../../graph/ops/elementwise.ts';
import { Prng } from '../../data/microworld/prng.ts';
import { Init, layerNorm, linear } from '../clip/textTower.ts';
import type { VlmConfig } from './config.ts';

export const partInit = (seed: number | string, part: string): Init => new Init(new Prng(`${seed}:${part}`));

/** Token table lookups: ids [B, S] int64 → [B, S, d]. */
export function embedTokens(b: GraphBuilder, c: VlmConfig, seed: number | string, ids: Value): Value {
  const init = partInit(seed, 'embed');
  const table = b.param('embed_tokens.weight', { dims: [c.vocabSize, c.width], values: init.normal(c.vocabSize * c.width, 0.02) });
  return b.op('Gather', [table, ids], { axis: 0 })[0];
}

/** Learned absolute positions: position ids [B, S] (or [S]) int64 → rows of the table. */
export function embedPositions(b: GraphBuilder, c: VlmConfig, seed: number | string, positions: Value): Value {
  const init = partInit(seed, 'positions');
  const table = b.param('embed_positions.weight', { dims: [c.maxPositions, c.width], values: init.normal(c.maxPositions * c.width, 0.02) });
  return b.op('Gather', [table, positions], { axis: 0 })[0];
}

/** Visual tokens [B, Nv, W] → [B, Nv, d] (Linear → GELU → Linear). */
export function projector(b: GraphBuilder, c: VlmConfig, seed: number | string, visual: Value): Value {
  const init = partInit(seed, 'projector');
  return b.scope('projector', () => linear(b, init, 'fc2', gelu(b, linear(b, init, 'fc1', visual, c.visionWidth, c.width)), c.width, c.width));
}

export interface LayerOut { hidden: Value; presentKey: Value; presentValue: Value }

/**
 * One pre-LN decoder layer on x [B, S, d]. With `past` ([B, H, P, dh] each) the new keys and
 * values are appended (present = past ‖ new) and the S queries attend to all P + S keys;
 * `bias` is the additive mask, broadcastable to [B, H, S, P + S].
 */
export function decoderLayer(b: GraphBuilder, c: VlmConfig, seed: number | string, i: number, x: Value, bias: Value, batch: number, past?: { key: Value; value: Value }): LayerOut {
  const init = partInit(seed, `layers.${i}`);
  const d = c.width, H = c.heads, dh = d / H, m = c.mlpRatio * d;
  return b.scope(`layers.${i}`, () => {
    const n1 = layerNorm(b, init, 'input_layernorm', x, d, c.layerNormEps);
    const attn = b.scope('self_attn', () => {
      const heads = (v: Value) => b.op('Transpose', [b.op('Reshape', [v, b.ints([batch, -1, H, dh])])[0]], { perm: [0, 2, 1, 3] })[0];
      const q = heads(b.op('Mul', [linear(b, init, 'q_proj', n1, d, d), b.constant([1 / Math.sqrt(dh)], [])])[0]);
      const k = heads(linear(b, init, 'k_proj', n1, d, d));
      const v = heads(linear(b, init, 'v_proj', n1, d, d));
      const presentKey = past ? b.op('Concat', [past.key, k], { axis: 2 })[0] : k;
      const presentValue = past ? b.op('Concat', [past.value, v], { axis: 2 })[0] : v;
      const kT = b.op('Transpose', [presentKey], { perm: [0, 1, 3, 2] })[0];
      const p = b.op('Softmax', [b.op('Add', [b.op('MatMul', [q, kT])[0], bias])[0]], { axis: -1 })[0];
      const ctx = b.op('Transpose', [b.op('MatMul', [p, presentValue])[0]], { perm: [0, 2, 1, 3] })[0];
      const out = linear(b, init, 'o_proj', b.op('Reshape', [ctx, b.ints([batch, -1, d])])[0], d, d);
      return { out, presentKey, presentValue };
    });
    const h1 = b.op('Add', [x, attn.out])[0];
    const n2 = layerNorm(b, init, 'post_attention_layernorm', h1, d, c.layerNormEps);
    const mlp = b.scope('mlp', () => linear(b, init, 'fc2', gelu(b, linear(b, init, 'fc1', n2, d, m)), m, d));
    return { hidden: b.op('Add', [h1, mlp])[0], presentKey: attn.presentKey, presentValue: attn.presentValue };
  });
}

/** Final LayerNorm + LM head: [B, S, d] → logits [B, S, V]. */
export function lmHead(b: GraphBuilder, c: VlmConfig, seed: number | string, h: Value): Value {
  const init = partInit(seed, 'head');
  return linear(b, init, 'lm_head', layerNorm(b, init, 'norm', h, c.width, c.layerNormEps), c.width, c.vocabSize, false);
}

/**
 * Additive causal bias [S, P + S] for S new tokens after P cached ones: query i sees keys
 * 0 … P + i. −1e4 rather than −inf, as in zoo/clip/textTower.ts (fp16-safe).
 */
export function causalBias(S: number, P = 0): Float32Array {
  const K = P + S, m = new Float32Array(S * K);
  for (let i = 0; i < S; i++) for (let j = P + i + 1; j < K; j++) m[i * K + j] = -1e4;
  return m;
}
