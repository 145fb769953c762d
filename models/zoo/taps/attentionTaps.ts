/**
 * Attention taps: graph surgery on an SD-shaped UNet that finds every attention Softmax by its
 * diffusers module path and (per layer)
 *   - exposes the probabilities as an output `<layer>.probs` (heads averaged → [B, T, K], or raw),
 *   - accepts injected maps `<layer>.inject` blended in by a per-item weight (prompt-to-prompt
 *     replace/refine: P ← P + α·(P_inj − P)), and
 *   - rescales cross-attention per token (re-weighting / equalizer: P ← P · s[token]).
 *
 *   const { model, layers } = tapAttention(unet, { cross: { expose: 'mean', inject: true, reweight: true }, self: { expose: 'mean', maxQueries: 64 } });
 *
 * Layers are matched on the node name with '/' read as '.', so both our builder's names
 * (`up_blocks.1.attentions.0.transformer_blocks.0.attn2/Softmax`) and torch.onnx exports of SD 1.5
 * (`/up_blocks.1/attentions.0/transformer_blocks.0/attn2/Softmax`) are found. Probabilities may be
 * rank 4 [B, H, T, K] (ours) or rank 3 [B·H, T, K] (diffusers' AttnProcessor); rank 3 needs `heads`.
 * Exposed maps are the model's own (before injection/re-weighting): the source branch of an edit.
 *
 * `aggregate` adds outputs averaging the exposed maps of all layers at one resolution (DPL's
 * `xattn16_mean`: the 16² cross layers of SD 1.5; `sattn32_mean`: its 32² self layers).
 *
 * Extra inputs (only created when asked for):
 *   attn2_inject_alpha / attn1_inject_alpha  [B,1,1,1] (rank 4) or [B·H,1,1] (rank 3): 0 = keep, 1 = replace
 *   attn2_token_scale                        [B,1,1,K] (rank 4) or [B·H,1,K] (rank 3): ones = unchanged
 */
import type { DType, Model, ValueInfo } from '../../graph/ir.ts';
import { Editor, cloneModel, consumers, intAttr, intsAttr, topoSort } from '../../graph/surgery/graphTools.ts';
import { defaultTypes, propagateDTypes } from '../../graph/surgery/tensorTypes.ts';

/** diffusers module path of an attention layer ending in attn1/attn2, then the Softmax op. */
const LAYER_RE = /^((?:down_blocks|mid_block|up_blocks)\.[\w.]*?\.attn([12]))\.Softmax(?:_\d+)?$/;

export type AttnKind = 'self' | 'cross';

export interface TapKindOptions {
  /** 'mean' over heads, 'heads' (raw probabilities), or false. */
  expose?: 'mean' | 'heads' | false;
  inject?: boolean;
  /** Only layers with at most this many queries (e.g. ≤ 16² self-attention, as P2P does). */
  maxQueries?: number;
  /** Extra outputs averaging the exposed ('mean') maps of all layers with a given query count. */
  aggregate?: Aggregate[];
}

export interface Aggregate {
  /** Output name, e.g. 'xattn16_mean' (DPL: mean of the 16² cross maps). */
  name: string;
  /** Layers whose maps have this many queries are averaged (their key counts must agree). */
  queries: number;
}

export interface TapOptions {
  cross?: TapKindOptions & { reweight?: boolean };
  self?: TapKindOptions;
  /** Heads per layer, needed for rank-3 ([B·H, T, K]) probabilities when exposing means. */
  heads?: number;
  /** Extra filter on the layer path. */
  layers?: RegExp;
}

export interface TappedLayer {
  /** diffusers module path, e.g. 'down_blocks.1.attentions.0.transformer_blocks.0.attn2'. */
  path: string;
  kind: AttnKind;
  /** Softmax output tensor in the original graph. */
  tensor: string;
  rank: number;
  /** [queries, keys] when shape inference knew them. */
  queries?: number;
  keys?: number;
  output?: string;
  injectInput?: string;
}

export const INJECT_ALPHA: Record<AttnKind, string> = { cross: 'attn2_inject_alpha', self: 'attn1_inject_alpha' };
export const TOKEN_SCALE = 'attn2_token_scale';

/** Attention Softmax nodes of a graph by diffusers path (no modification). */
export function findAttentionLayers(model: Model): TappedLayer[] {
  const types = defaultTypes(model);
  const out: TappedLayer[] = [];
  for (const n of model.graph.nodes) {
    if (n.op !== 'Softmax') continue;
    const m = LAYER_RE.exec(n.name.replace(/^\//, '').replace(/\//g, '.'));
    if (!m) continue;
    const shape = types?.get(n.outputs[0])?.shape;
    const q = shape?.[shape.length - 2], k = shape?.[shape.length - 1];
    out.push({
      path: m[1], kind: m[2] === '2' ? 'cross' : 'self', tensor: n.outputs[0], rank: shape?.length ?? 0,
      queries: typeof q === 'number' ? q : undefined, keys: typeof k === 'number' ? k : undefined,
    });
  }
  return out;
}

export function tapAttention(model: Model, o: TapOptions): { model: Model; layers: TappedLayer[] } {
  const m = cloneModel(model);
  const g = m.graph;
  const dtypes = propagateDTypes(g, defaultTypes(model));
  const found = findAttentionLayers(model).filter((l) => {
    const ko = l.kind === 'cross' ? o.cross : o.self;
    if (!ko || (!ko.expose && !ko.inject && !(l.kind === 'cross' && o.cross?.reweight))) return false;
    if (o.layers && !o.layers.test(l.path)) return false;
    return !(ko.maxQueries !== undefined && l.queries !== undefined && l.queries > ko.maxQueries);
  });
  if (!found.length) throw new Error(`tapAttention: no attention Softmax matched in graph '${g.name}' (expected diffusers paths like down_blocks.0.attentions.0.transformer_blocks.0.attn2)`);
  const users = consumers(g);
  const ed = new Editor(g, 'taps');
  const declared = new Set(g.inputs.map((i) => i.name));
  const addInput = (v: ValueInfo) => { if (!declared.has(v.name)) { g.inputs.push(v); declared.add(v.name); } };

  // ReduceMean takes axes as an attribute before opset 18 and as an input from 18 on.
  const meanOverHeads = (x: string, out: string) => (m.opset >= 18
    ? ed.op('ReduceMean', [x, ed.i64([1])], { keepdims: intAttr(0) }, { outputs: [out] })
    : ed.op('ReduceMean', [x], { axes: intsAttr([1]), keepdims: intAttr(0) }, { outputs: [out] }));
  for (const l of found) {
    const ko = (l.kind === 'cross' ? o.cross : o.self)!;
    const dt: DType = dtypes.get(l.tensor) ?? 'float32';
    let rank = l.rank;
    if (!rank) {
      if (!o.heads) throw new Error(`tapAttention: the rank of '${l.tensor}' is unknown; pass { heads } for rank-3 [B·H, T, K] maps`);
      rank = 3;
    }
    const lead = rank === 4 ? ['batch', 1, 1] : ['batch_heads', 1];
    const name = `${l.path}.probs`;
    if (ko.expose && g.outputs.some((v) => v.name === name)) l.output = name; // already tapped (e.g. the recipe's export): reuse
    else if (ko.expose) {
      if (ko.expose === 'heads') ed.op1('Identity', [l.tensor], {}, name);
      else if (rank === 4) meanOverHeads(l.tensor, name);
      else {
        if (!o.heads) throw new Error(`tapAttention: '${l.path}' has rank-3 probabilities; pass { heads } to average them`);
        // [B·H, T, K] → [B, H, T, K] → mean over H.
        const tail = ed.op1('Slice', [ed.op1('Shape', [l.tensor]), ed.i64([1]), ed.i64([3])]);
        const shape4 = ed.op1('Concat', [ed.i64([-1, o.heads]), tail], { axis: intAttr(0) });
        meanOverHeads(ed.op1('Reshape', [l.tensor, shape4]), name);
      }
      g.outputs.push({ name, dtype: dt, shape: ko.expose === 'mean' ? ['batch', l.queries ?? 'queries', l.keys ?? 'keys'] : undefined });
      l.output = name;
    }
    let cur = l.tensor;
    if (ko.inject) {
      const inj = `${l.path}.inject`;
      addInput({ name: inj, dtype: dt, shape: rank === 4 ? ['batch', 'heads', l.queries ?? 'queries', l.keys ?? 'keys'] : ['batch_heads', l.queries ?? 'queries', l.keys ?? 'keys'] });
      addInput({ name: INJECT_ALPHA[l.kind], dtype: dt, shape: [...lead, 1] });
      cur = ed.op1('Add', [cur, ed.op1('Mul', [INJECT_ALPHA[l.kind], ed.op1('Sub', [inj, cur])])]);
      l.injectInput = inj;
    }
    if (l.kind === 'cross' && o.cross?.reweight) {
      addInput({ name: TOKEN_SCALE, dtype: dt, shape: [...lead, l.keys ?? 'keys'] });
      cur = ed.op1('Mul', [cur, TOKEN_SCALE]);
    }
    if (cur !== l.tensor) {
      for (const u of users.get(l.tensor) ?? []) u.inputs = u.inputs.map((i) => (i === l.tensor ? cur : i));
    }
  }
  const aggregates = [...(o.cross?.aggregate ?? []).map((a) => ({ a, kind: 'cross' as const })), ...(o.self?.aggregate ?? []).map((a) => ({ a, kind: 'self' as const }))];
  for (const { a: agg, kind } of aggregates) {
    const exposeMean = (kind === 'cross' ? o.cross : o.self)?.expose === 'mean';
    const parts = found.filter((l) => l.kind === kind && l.queries === agg.queries && l.output && exposeMean);
    if (!parts.length) throw new Error(`tapAttention: aggregate '${agg.name}' needs ${kind} maps exposed as 'mean' with ${agg.queries} queries; none found`);
    const sum = parts.length === 1 ? parts[0].output! : ed.op1('Sum', parts.map((l) => l.output!));
    ed.op('Mul', [sum, ed.f32(1 / parts.length)], {}, { outputs: [agg.name] });
    g.outputs.push({ name: agg.name, dtype: dtypes.get(parts[0].tensor) ?? 'float32', shape: ['batch', agg.queries, parts[0].keys ?? 'keys'] });
  }
  g.nodes = topoSort(g);
  return { model: m, layers: found };
}
