/**
 * The visualness graph: a CLIP text encoder (input_ids → text_embeds, the public export
 * contract) turned by surgery + autodiff into one ONNX graph that outputs, per sentence,
 *   visualness_score [B]     S = 1 − cos(NULL image embedding, text embedding)   (TIP-CLIP, §A5)
 *   relevance        [B,L,L] gradient-weighted attention relevance (Chefer et al. 2021, §A6)
 *   text_embeds      [B,D]   unchanged
 * so scoring and word attribution are one session.run on any backend (Node CPU, wasm, WebGPU).
 *
 * Attribution recipe: gradient-weighted attention rollout in the style of Chefer, Gur & Wolf
 * (2021, "Generic attention-model explainability"), with the visualness score S as the explained
 * output:
 *   1. surgery: after every attention Softmax A_l insert A_l' = A_l + δ_l, δ_l a zero-fed input,
 *      so ∂S/∂δ_l = ∂S/∂A_l (autodiff differentiates w.r.t. graph inputs only);
 *   2. autodiff of Σ_batch S w.r.t. all δ_l (sentences do not interact, so each row of the
 *      gradient is that sentence's own ∂S/∂A_l);
 *   3. Ā_l = mean over heads of |∇A_l ⊙ A_l|   (gradient-weighted attention, both signs);
 *   4. Â_l = rownorm(I + Ā_l)  (identity for the residual stream, each row summing to 1);
 *      R = Â_n ⋯ Â_2 · Â_1  (rollout over the layers in forward order);
 *   5. the caller reads row R[eot, :] (CLIP pools at <eot>), drops <sot>/<eot>/padding and merges
 *      sub-word pieces into words (sum) — see pipelines/visualness/scorer.ts.
 * Why |·| and not Chefer's positive part (∇A ⊙ A)⁺: S is one scalar whose both directions are the
 * decision (visual vs not), and the positive part alone, measured on our TIP models, is won by the
 * token right after <sot> ("a") and the last word before <eot> (sky, background): the top word of
 * scene captions was a color/shape/pattern/material in 70–73 % of them with (·)⁺ and 88–90 % with
 * |·| (the same weights, 200 captions; README "Word attribution"). Nothing here looks at which
 * word a token is: special tokens are dropped by position, every word is treated alike.
 * Steps 3–4 are emitted as graph ops too (Abs, ReduceMean, Div, MatMul), so only R leaves the device.
 *
 *   const g = buildVisualnessGraph(decodeModel(textBytes), nullEmbedding, { heads: 4 });
 *   const bytes = encodeModel(g.model);   // inputs: input_ids, attn_delta_0..n-1 (feed zeros)
 */
import { grad } from '../../graph/autodiff.ts';
import { GraphBuilder, type Value } from '../../graph/builder.ts';
import type { Model } from '../../graph/ir.ts';
import { reduceMean, reduceSum } from '../../graph/ops/reduce.ts';
import { eliminateDeadNodes } from '../../graph/surgery/eliminateDeadNodes.ts';

export const SCORE_OUTPUT = 'visualness_score';
export const RELEVANCE_OUTPUT = 'relevance';
export const DELTA_PREFIX = 'attn_delta_';

export interface VisualnessGraphOptions {
  /** Attention heads per layer (needed when the Softmax is rank 3, [B·H, L, L], as in older HF exports). */
  heads: number;
  /** Name of the text embedding output (default 'text_embeds'). */
  embedsOutput?: string;
  /** Also output each layer's probabilities and their gradients (`attn_probs_i`, `attn_grad_i`), for tests. */
  debug?: boolean;
}

export interface VisualnessGraph {
  model: Model;
  /** Zero-fed delta inputs, one per attention layer, in forward order. */
  deltas: { name: string; shape: (number | string)[] }[];
  layers: number;
}

export function buildVisualnessGraph(text: Model, nullEmbedding: Float32Array, o: VisualnessGraphOptions): VisualnessGraph {
  const embedsName = o.embedsOutput ?? 'text_embeds';
  const b = GraphBuilder.from(text);
  if (!b.outputs.some((v) => v.name === embedsName)) throw new Error(`visualness graph: the text model has no output '${embedsName}'`);
  const softmaxes = b.nodes.filter((n) => n.op === 'Softmax');
  if (!softmaxes.length) throw new Error('visualness graph: no attention Softmax found in the text model');

  // 1. A' = A + δ after every attention Softmax; consumers of A read A' instead.
  const deltas: VisualnessGraph['deltas'] = [];
  const probs: string[] = [];
  softmaxes.forEach((sm, l) => {
    const a = b.value(sm.outputs[0]);
    const shape = a.shape ?? [];
    if (shape.length !== 3 && shape.length !== 4) throw new Error(`visualness graph: Softmax '${sm.name}' has rank ${shape.length}, expected 3 or 4`);
    const delta = b.input(`${DELTA_PREFIX}${l}`, 'float32', shape.map((d, i) => (i === 0 ? 'batch_size' : d)));
    deltas.push({ name: delta.name, shape: delta.shape ?? [] });
    const consumers = b.nodes.filter((n) => n !== sm && n.inputs.includes(a.name));
    const added = b.op('Add', [a, delta])[0];
    // Move the new node right after its Softmax so the node list stays in dependency order.
    const node = b.nodes.pop()!;
    b.nodes.splice(b.nodes.indexOf(sm) + 1, 0, node);
    for (const n of consumers) n.inputs = n.inputs.map((i) => (i === a.name ? added.name : i));
    probs.push(a.name);
  });

  // Score head: S = 1 − ⟨NULL/‖NULL‖, T/‖T‖⟩ per row; the loss for autodiff is Σ_batch S.
  const D = nullEmbedding.length;
  let nn = 0;
  for (const x of nullEmbedding) nn += x * x;
  const nullUnit = Float32Array.from(nullEmbedding, (x) => x / Math.sqrt(nn + 1e-12));
  const t = b.value(embedsName);
  const tn = b.op('Div', [t, b.op('Sqrt', [b.op('Add', [reduceSum(b, b.op('Mul', [t, t])[0], [-1]), b.constant([1e-12], [])])[0]])[0]])[0];
  const cos = b.op('MatMul', [tn, b.constant(nullUnit, [D, 1])])[0];
  const score = b.op('Reshape', [b.op('Sub', [b.constant([1], []), cos])[0], b.ints([-1])])[0];
  b.output(score, SCORE_OUTPUT);
  const total = reduceSum(b, b.value(SCORE_OUTPUT), [0], false);
  b.output(total, 'visualness_score_sum');

  // 2. ∂(Σ S)/∂δ_l = ∂(Σ S)/∂A_l.
  const g = GraphBuilder.from(grad(b.build(), { loss: 'visualness_score_sum', wrt: deltas.map((d) => d.name) }));

  // 3–4. Ā_l = mean_h |∇A ⊙ A|;  Â_l = rownorm(I + Ā_l);  R ← Â_l R.
  let R: Value | undefined;
  probs.forEach((p, l) => {
    const a = g.value(p);
    const ga = g.value(`${deltas[l].name}_grad`);
    const shape = a.shape!;
    const L = shape[shape.length - 1];
    if (typeof L !== 'number') throw new Error(`visualness graph: attention length must be static, got ${String(L)}`);
    const H = shape.length === 4 ? shape[1] : o.heads;
    if (typeof H !== 'number') throw new Error('visualness graph: head count must be static');
    const weighted = g.op('Abs', [g.op('Mul', [ga, a])[0]])[0];
    const mean = reduceMean(g, g.op('Reshape', [weighted, g.ints([-1, H, L, L])])[0], [1], false);
    const withId = g.op('Add', [mean, g.constant(identity(L), [L, L])])[0];
    // Row sums are ≥ 1 (the identity), so the division is always defined.
    const hat = g.op('Div', [withId, reduceSum(g, withId, [-1])])[0];
    R = R ? g.op('MatMul', [hat, R])[0] : hat;
    if (o.debug) {
      g.output(a, `attn_probs_${l}`);
      g.output(ga, `attn_grad_${l}`);
    }
  });
  g.output(R!, RELEVANCE_OUTPUT);
  const keep = new Set([embedsName, SCORE_OUTPUT, RELEVANCE_OUTPUT, ...(o.debug ? probs.flatMap((_, l) => [`attn_probs_${l}`, `attn_grad_${l}`]) : [])]);
  const built = g.build();
  built.graph.outputs = built.graph.outputs.filter((v) => keep.has(v.name));
  const model = eliminateDeadNodes(built);
  return { model, deltas, layers: probs.length };
}

function identity(L: number): Float32Array {
  const m = new Float32Array(L * L);
  for (let i = 0; i < L; i++) m[i * L + i] = 1;
  return m;
}

/**
 * Reference of steps 3–4 in plain TS (tests check the graph against it).
 * probs/grads: per layer, [H, L, L] row-major for one sentence. Returns R [L, L].
 */
export function relevanceRollout(probs: readonly Float32Array[], grads: readonly Float32Array[], H: number, L: number): Float32Array {
  let R = identity(L);
  probs.forEach((A, l) => {
    const G = grads[l];
    const hat = identity(L);
    for (let h = 0; h < H; h++) for (let i = 0; i < L * L; i++) hat[i] += Math.abs(G[h * L * L + i] * A[h * L * L + i]) / H;
    for (let i = 0; i < L; i++) {
      let sum = 0;
      for (let j = 0; j < L; j++) sum += hat[i * L + j];
      for (let j = 0; j < L; j++) hat[i * L + j] /= sum;
    }
    const next = new Float32Array(L * L);
    for (let i = 0; i < L; i++) for (let j = 0; j < L; j++) {
      let s = 0;
      for (let k = 0; k < L; k++) s += hat[i * L + k] * R[k * L + j];
      next[i * L + j] = s;
    }
    R = next;
  });
  return R;
}
