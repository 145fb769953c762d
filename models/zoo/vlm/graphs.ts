/**
 * micro-VLM graphs, all from the same emitters (layers.ts), so weights match by name:
 *  - per-request inference graphs for the layer-by-layer executor (batch 1, symbolic lengths):
 *    `projector` (visual_tokens, position_ids → hidden_states), `embed` (input_ids,
 *    position_ids → hidden_states), `layer_i` (hidden_states, attention_bias, past_key,
 *    past_value → hidden_states_out, present_key, present_value), `head` (hidden_states → logits);
 *  - `vlmFullGraph`: the whole model in one graph (visual tokens + text ids → logits at every
 *    position), the reference the executor is tested against and the training forward.
 */
import { GraphBuilder, type Value } from '../../graph/builder.ts';
import type { Model } from '../../graph/ir.ts';
import { type VlmConfig, checkConfig } from './config.ts';
import { causalBias, decoderLayer, embedPositions, embedTokens, lmHead, projector } from './layers.ts';

const meta = (c: VlmConfig, part: string) => ({ metadata: { config: JSON.stringify(c), part } });

export function projectorGraph(c: VlmConfig, seed: number | string): Model {
  const b = new GraphBuilder('vlm_projector');
  const v = b.input('visual_tokens', 'float32', [1, 'visual', c.visionWidth]);
  const pos = b.input('position_ids', 'int64', [1, 'visual']);
  b.output(b.op('Add', [projector(b, c, seed, v), embedPositions(b, c, seed, pos)])[0], 'hidden_states');
  return b.build(meta(c, 'projector'));
}

export function embedGraph(c: VlmConfig, seed: number | string): Model {
  const b = new GraphBuilder('vlm_embed');
  const ids = b.input('input_ids', 'int64', [1, 'seq']);
  const pos = b.input('position_ids', 'int64', [1, 'seq']);
  b.output(b.op('Add', [embedTokens(b, c, seed, ids), embedPositions(b, c, seed, pos)])[0], 'hidden_states');
  return b.build(meta(c, 'embed'));
}

export function layerGraph(c: VlmConfig, seed: number | string, i: number): Model {
  const b = new GraphBuilder(`vlm_layer_${i}`);
  const H = c.heads, dh = c.width / H;
  const x = b.input('hidden_states', 'float32', [1, 'seq', c.width]);
  const bias = b.input('attention_bias', 'float32', [1, 1, 'seq', 'total']);
  const key = b.input('past_key', 'float32', [1, H, 'past', dh]);
  const value = b.input('past_value', 'float32', [1, H, 'past', dh]);
  const out = decoderLayer(b, c, seed, i, x, bias, 1, { key, value });
  b.output(out.hidden, 'hidden_states_out');
  b.output(out.presentKey, 'present_key');
  b.output(out.presentValue, 'present_value');
  return b.build(meta(c, `layer_${i}`));
}

export function headGraph(c: VlmConfig, seed: number | string): Model {
  const b = new GraphBuilder('vlm_head');
  const x = b.input('hidden_states', 'float32', [1, 'seq', c.width]);
  b.output(lmHead(b, c, seed, x), 'logits');
  return b.build(meta(c, 'head'));
}

export interface FullGraph { b: GraphBuilder; logits: Value }

/**
 * The whole LM on `batch` items of Nv visual tokens + `textLen` text tokens, causal, positions
 * 0 … Nv + textLen − 1: logits [batch, Nv + textLen, V]. Right padding after the answer does
 * not change earlier positions (causal), so one graph serves variable-length items.
 */
export interface FullForwardOptions {
  /** Text queries stop seeing visual keys after this layer (every item). */
  maskVisualAfter?: number;
  /**
   * Add an input `exit_after` [batch] float32: per item, the layer after which text queries stop
   * seeing visual keys (≥ layers = never). Used by exit-robust training (models/train/vlm).
   */
  exitInput?: boolean;
  name?: string;
}

export function vlmFullForward(c: VlmConfig, seed: number | string, batch: number, textLen: number, o: FullForwardOptions = {}): FullGraph {
  checkConfig(c);
  const b = new GraphBuilder(o.name ?? 'vlm_full');
  const S = c.visualTokens + textLen;
  const v = b.input('visual_tokens', 'float32', [batch, c.visualTokens, c.visionWidth]);
  const ids = b.input('input_ids', 'int64', [batch, textLen]);
  const seq = b.op('Concat', [projector(b, c, seed, v), embedTokens(b, c, seed, ids)], { axis: 1 })[0];
  const pos = b.constant(Array.from({ length: S }, (_, i) => i), [S], 'int64');
  let h = b.op('Add', [seq, embedPositions(b, c, seed, pos)])[0];
  const bias = b.constant(causalBias(S), [1, 1, S, S]);
  // Exit as masking (the reference's training copy B, spec B4): later layers' queries cannot see visual keys.
  const blocked = causalBias(S);
  for (let q = c.visualTokens; q < S; q++) for (let k = 0; k < c.visualTokens; k++) blocked[q * S + k] = -1e4;
  const exitBias = o.maskVisualAfter === undefined ? bias : b.constant(blocked, [1, 1, S, S]);
  const exitAfter = o.exitInput ? b.op('Reshape', [b.input('exit_after', 'float32', [batch]), b.ints([batch, 1, 1, 1])])[0] : undefined;
  const block = exitAfter ? b.constant(blocked.map((x, k) => x - causalBiasAt(S, k)), [1, 1, S, S]) : undefined;
  for (let i = 0; i < c.layers; i++) {
    let layerBias = o.maskVisualAfter !== undefined && i > o.maskVisualAfter ? exitBias : bias;
    if (exitAfter && block) {
      // (i > exit_after) as 0/1 per item, times the visual-key block, on top of the causal bias.
      const on = b.op('Cast', [b.op('Less', [exitAfter, b.constant([i], [])])[0]], { to: 1 })[0];
      layerBias = b.op('Add', [layerBias, b.op('Mul', [on, block])[0]])[0];
    }
    h = decoderLayer(b, c, seed, i, h, layerBias, batch).hidden;
  }
  return { b, logits: lmHead(b, c, seed, h) };
}

/** Batch-1 full graph; with `maskVisualAfter` = K, text tokens stop seeing visual keys after layer K. */
const causalBiasAt = (S: number, k: number): number => (k % S > Math.floor(k / S) ? -1e4 : 0);

export function vlmFullGraph(c: VlmConfig, seed: number | string, textLen: number, maskVisualAfter?: number): Model {
  const { b, logits } = vlmFullForward(c, seed, 1, textLen, { maskVisualAfter });
  b.output(logits, 'logits');
  return b.build(meta(c, 'full'));
}

/** Every inference graph of the model (weights initialized from `seed`; swap trained ones in with withWeights). */
export function vlmInferenceGraphs(c: VlmConfig, seed: number | string): { projector: Model; embed: Model; layers: Model[]; head: Model } {
  checkConfig(c);
  return {
    projector: projectorGraph(c, seed),
    embed: embedGraph(c, seed),
    layers: Array.from({ length: c.layers }, (_, i) => layerGraph(c, seed, i)),
    head: headGraph(c, seed),
  };
}
