/**
 * micro-CLIP graphs. One set of builder functions makes
 *  - the training forward (both towers + symmetric InfoNCE loss, `clipTrainForward`), and
 *  - the two exported inference graphs with the I/O of public CLIP ONNX exports
 *    (`clipVisionGraph`: pixel_values → image_embeds, last_hidden_state;
 *     `clipTextGraph`: input_ids [, attention_mask] → text_embeds, last_hidden_state).
 * Parameters have the same names in all of them (vision_model.*, text_model.*, text_projection.weight,
 * logit_scale), so trained values drop into the export graphs by name (`withWeights`).
 * Embeddings are returned unnormalized, as HF's *WithProjection models do; callers normalize.
 */
import { GraphBuilder, type Value } from '../../graph/builder.ts';
import type { Model, TensorData } from '../../graph/ir.ts';
import { reduceSum } from '../../graph/ops/reduce.ts';
import { rreduce } from '../../graph/ops/common.ts';
import { concat, split } from '../../graph/ops/shape.ts';
import { Prng } from '../../data/microworld/prng.ts';
import { softmaxCrossEntropy } from '../vit.ts';
import { clipVisionTower, convStem, visionTokens } from './visionTower.ts';
import type { ClipConfig } from './config.ts';
import { Init, linear, textTower } from './textTower.ts';

/** Seeds of the two towers and the projection, derived from one model seed. */
const seeds = (seed: number | string) => ({ vision: `${seed}:vision`, text: `${seed}:text`, proj: `${seed}:proj` });

function visionPart(b: GraphBuilder, c: ClipConfig, px: Value, seed: number | string) {
  return b.scope('vision_model', () => clipVisionTower(b, px, c, seeds(seed).vision));
}

function textPart(b: GraphBuilder, c: ClipConfig, ids: Value, seed: number | string, mask?: Value) {
  const t = b.scope('text_model', () => textTower(b, ids, c.text, seeds(seed).text, { attentionMask: mask }));
  const init = new Init(new Prng(seeds(seed).proj));
  const embeds = linear(b, init, 'text_projection', t.pooled, c.text.width, c.projectionDim, false);
  return { ...t, embeds };
}

/** x / ‖x‖ along the last axis (with a tiny epsilon so a zero row cannot divide by zero). */
export function l2Normalize(b: GraphBuilder, x: Value): Value {
  const ss = reduceSum(b, b.op('Mul', [x, x])[0], [-1]);
  return b.op('Div', [x, b.op('Sqrt', [b.op('Add', [ss, b.constant([1e-12], [])])[0]])[0]])[0];
}

export interface ClipTrainForward {
  model: Model;
  params: string[];
}

/**
 * Auxiliary attribute heads for training only: a linear classifier per attribute on the
 * normalized image embedding, fed one-hot `attr_<name>` labels [B, classes] (all-zero rows
 * where an image has no such attribute, e.g. multi-object scenes: they add no loss). Their
 * weights are not part of the exported graphs.
 */
export interface AuxHeads {
  /** Loss weight of the summed head losses next to the contrastive loss. */
  weight: number;
  heads: readonly { name: string; classes: number }[];
  /**
   * Logit adjustment (Menon et al. 2021, "balanced softmax"): each head also takes
   * `prior_<name>` [B, classes], the log of the class's frequency given another attribute of the
   * same image in the training data (auxLabels.ts `AuxPriors`), added to the logits in training only.
   * Why: the held-out pairs (purple star …) make p(shape | color) zero for them in training, and
   * a head that learns that prior scores ~0 on exactly those pairs (measured: seen 0.80 /
   * held-out 0.45). With the prior supplied, the head no longer needs to learn it from color.
   */
  priors?: boolean;
}

/**
 * Training forward: inputs pixel_values [B,3,S,S], input_ids [B,L] int64, labels [B,B]
 * (row-normalized targets; > 0 where caption j is a true caption of image i, so duplicate
 * captions in a batch are not pushed apart); outputs loss, logits_per_image.
 * Loss = ½(CE(s·IᵀT, labels) + CE(s·TᵀI, labelsᵀ)) with learned s = exp(logit_scale) ≤ 100.
 */
export function clipTrainForward(c: ClipConfig, batch: number, seed: number | string, aux?: AuxHeads, prompts?: PromptHeads): ClipTrainForward {
  const b = new GraphBuilder('micro_clip_train');
  const S = c.vision.imageSize, L = c.text.contextLength;
  const px = b.input('pixel_values', 'float32', [batch, 3, S, S]);
  const ids = b.input('input_ids', 'int64', [batch, L]);
  const labels = b.input('labels', 'float32', [batch, batch]);
  const labelsT = b.input('labels_t', 'float32', [batch, batch]);
  const img = l2Normalize(b, visionPart(b, c, px, seed).logits!);
  // The class prompts ride along in the caption batch: one text-tower pass, shared weights.
  const P = prompts?.heads.reduce((n, h) => n + promptRows(h), 0) ?? 0;
  const allIds = P ? concat(b, [ids, b.constant(concatIds(prompts!, L), [P, L], 'int64')], 0) : ids;
  const allTxt = l2Normalize(b, textPart(b, c, allIds, seed).embeds);
  const [txt, promptTxt] = P ? split(b, allTxt, [batch, P], 0) : [allTxt, undefined];
  const scaleParam = b.param('logit_scale', { dims: [], values: Float32Array.of(c.logitScaleInit) });
  const scale = b.op('Min', [b.op('Exp', [scaleParam])[0], b.constant([100], [])])[0];
  const logits = scaledSimilarities(b, img, txt, scale);
  const logitsT = b.op('Transpose', [logits], { perm: [1, 0] })[0];
  const li = b.scope('image', () => softmaxCrossEntropy(b, logits, labels));
  const lt = b.scope('text', () => softmaxCrossEntropy(b, logitsT, labelsT));
  let loss = b.op('Mul', [b.op('Add', [li, lt])[0], b.constant([0.5], [])])[0];
  const inputs = labelInputs(b, batch);
  if (aux?.heads.length) loss = b.op('Add', [loss, auxLoss(b, c, img, batch, seed, aux, 'aux_', inputs)])[0];
  if (promptTxt) loss = b.op('Add', [loss, promptLoss(b, img, promptTxt, scale, prompts!, batch, inputs)])[0];
  b.output(loss, 'loss');
  b.output(logits, 'logits_per_image');
  return trainForward(b, c);
}

/** The built training forward and its trainable (float32) parameters. */
function trainForward(b: GraphBuilder, c: ClipConfig): ClipTrainForward {
  const params = b.params.filter((p) => b.initializers.get(p)?.dtype === 'float32');
  return { model: b.build({ metadata: { config: JSON.stringify(c) } }), params };
}

/**
 * weight × Σ_heads CE(10 · head(img) [+ prior], attr_<head>) over the unit-norm embeddings `img`;
 * heads are named `<prefix><name>` (`aux_shape`, or `stem_aux_shape` on the stem's features).
 */
function auxLoss(b: GraphBuilder, c: ClipConfig, img: Value, batch: number, seed: number | string, aux: AuxHeads, prefix = 'aux_', input = labelInputs(b, batch)): Value {
  const init = new Init(new Prng(`${seed}:${prefix}`));
  let sum: Value | undefined;
  for (const h of aux.heads) {
    const labels = input(`attr_${h.name}`, h.classes);
    // ×10: the input is unit-norm, so without a temperature the logits would need huge weights.
    let logits = b.op('Mul', [linear(b, init, `${prefix}${h.name}`, img, c.projectionDim, h.classes, true), b.constant([10], [])])[0];
    if (aux.priors) logits = b.op('Add', [logits, input(`prior_${h.name}`, h.classes)])[0];
    const ce = b.scope(`${prefix}${h.name}`, () => softmaxCrossEntropy(b, logits, labels));
    sum = sum ? b.op('Add', [sum, ce])[0] : ce;
  }
  return b.op('Mul', [sum!, b.constant([aux.weight], [])])[0];
}

/** s · A Bᵀ for unit-norm rows: [N,D] × [M,D] → [N,M] logits. */
const scaledSimilarities = (b: GraphBuilder, a: Value, t: Value, scale: Value): Value =>
  b.op('Mul', [b.op('MatMul', [a, b.op('Transpose', [t], { perm: [1, 0] })[0]])[0], scale])[0];

/** `attr_*` / `prior_*` [batch, classes] inputs, each declared once however many losses read it. */
function labelInputs(b: GraphBuilder, batch: number): (name: string, classes: number) => Value {
  const seen = new Map<string, Value>();
  return (name, classes) => {
    let v = seen.get(name);
    if (!v) seen.set(name, (v = b.input(name, 'float32', [batch, classes])));
    return v;
  };
}

/**
 * Zero-shot classification heads whose weights are the text tower's own embeddings of the class
 * prompts ("a photo of a star", …), logit-adjusted like the linear heads. Why: the linear heads
 * are prior-free, but the zero-shot evaluation reads image·text similarities, and the contrastive
 * loss teaches those from captions that never pair "purple" with "star" — measured on the
 * previous recipe, a stage-2 checkpoint scored held-out shape 0.965 by nearest test centroid yet
 * 0.83 zero-shot. This loss trains exactly the similarity the evaluation reads, on the same
 * labels, with the held-out pairs' prior handed to it as an input so it cannot learn it. Rows
 * without a label (multi-object scenes) add nothing.
 */
export interface PromptHeads {
  weight: number;
  /**
   * Per head: its prompts' token ids, prompts × contextLength. Without `prompts`, one prompt per
   * class in the head's class order. With `prompts` > classes (material: "an object with red
   * stripes" depends on the image's color), the graph takes `select_<name>` [B, prompts, classes],
   * a one-hot picking each image's prompt for every class.
   */
  heads: readonly { name: string; classes: number; prompts?: number; ids: BigInt64Array }[];
  priors?: boolean;
}

const promptRows = (h: PromptHeads['heads'][number]) => h.prompts ?? h.classes;

function concatIds(p: PromptHeads, L: number): BigInt64Array {
  const out = new BigInt64Array(p.heads.reduce((n, h) => n + promptRows(h), 0) * L);
  let o = 0;
  for (const h of p.heads) {
    if (h.ids.length !== promptRows(h) * L) throw new Error(`prompt head ${h.name}: ${h.ids.length} ids for ${promptRows(h)} prompts of ${L}`);
    out.set(h.ids, o);
    o += h.ids.length;
  }
  return out;
}

function promptLoss(b: GraphBuilder, img: Value, promptTxt: Value, scale: Value, p: PromptHeads, batch: number, input: ReturnType<typeof labelInputs>): Value {
  const parts = p.heads.length > 1 ? split(b, promptTxt, p.heads.map(promptRows), 0) : [promptTxt];
  let sum: Value | undefined;
  p.heads.forEach((h, i) => {
    let logits = scaledSimilarities(b, img, parts[i], scale);
    if (h.prompts !== undefined && h.prompts !== h.classes) {
      // [B,1,P] × [B,P,K] → [B,K]: each image's own prompt per class.
      const sel = b.input(`select_${h.name}`, 'float32', [batch, h.prompts, h.classes]);
      logits = b.op('Reshape', [b.op('MatMul', [b.op('Reshape', [logits, b.ints([batch, 1, h.prompts])])[0], sel])[0], b.ints([batch, h.classes])])[0];
    }
    if (p.priors) logits = b.op('Add', [logits, input(`prior_${h.name}`, h.classes)])[0];
    const ce = b.scope(`prompt_${h.name}`, () => softmaxCrossEntropy(b, logits, input(`attr_${h.name}`, h.classes)));
    sum = sum ? b.op('Add', [sum, ce])[0] : ce;
  });
  return b.op('Mul', [sum!, b.constant([p.weight], [])])[0];
}

/**
 * Supervised pre-training forward for the image tower alone: pixel_values [B,3,S,S] and the
 * `attr_<head>` one-hots → loss = the auxiliary heads' loss (same names as in clipTrainForward,
 * so the trained tower and heads drop into the contrastive run by name).
 */
export function clipAttributeForward(c: ClipConfig, batch: number, seed: number | string, aux: AuxHeads): ClipTrainForward {
  const b = new GraphBuilder('micro_clip_attributes');
  const S = c.vision.imageSize;
  const px = b.input('pixel_values', 'float32', [batch, 3, S, S]);
  const img = l2Normalize(b, visionPart(b, c, px, seed).logits!);
  b.output(auxLoss(b, c, img, batch, seed, aux), 'loss');
  return trainForward(b, c);
}

/**
 * The tower's first supervised phase: the conv stem alone, mean-pooled, projected to D and
 * normalized, with its own heads (`stem_aux_*`, `stem_projection`; not used later). Why: a
 * GroupNorm CNN learns shape several times faster than the same CNN under a freshly initialized
 * ViT (PyTorch control on Microworld singles: 0.86 vs 0.47 after 750 steps), and the stem's
 * parameter names are the full tower's, so phase 2 starts from them by name.
 */
export function clipStemAttributeForward(c: ClipConfig, batch: number, seed: number | string, aux: AuxHeads): ClipTrainForward {
  const b = new GraphBuilder('micro_clip_stem_attributes');
  const S = c.vision.imageSize;
  const px = b.input('pixel_values', 'float32', [batch, 3, S, S]);
  const h = b.scope('vision_model', () => convStem(b, px, c, seeds(seed).vision));
  const pooled = rreduce(b, 'ReduceMean', h, [2, 3], false);
  const init = new Init(new Prng(`${seed}:stem_projection`));
  const img = l2Normalize(b, linear(b, init, 'stem_projection', pooled, c.stem!.channels.at(-1)!, c.projectionDim, false));
  b.output(auxLoss(b, c, img, batch, seed, aux, 'stem_aux_'), 'loss');
  return trainForward(b, c);
}

export interface ExportOptions {
  /** Symbolic batch dim name (public exports use 'batch_size'). */
  batchDim?: string;
  /** Give the text graph an `attention_mask` input as HF CLIP exports with masks do. */
  attentionMask?: boolean;
  metadata?: Record<string, string>;
}

/** pixel_values [batch,3,S,S] → image_embeds [batch,D], last_hidden_state [batch,T,W] (before post_layernorm, as in HF). */
export function clipVisionGraph(c: ClipConfig, seed: number | string, o: ExportOptions = {}): Model {
  const b = new GraphBuilder('clip_vision');
  const S = c.vision.imageSize, batch = o.batchDim ?? 'batch_size';
  const px = b.input('pixel_values', 'float32', [batch, 3, S, S]);
  const v = visionPart(b, c, px, seed);
  b.output(v.logits!, 'image_embeds');
  b.output(b.op('Reshape', [v.tokens, b.ints([-1, visionTokens(c), c.vision.width])])[0], 'last_hidden_state');
  return b.build({ metadata: { config: JSON.stringify(c), ...o.metadata } });
}

/** input_ids [batch,L] int64 (+ attention_mask) → text_embeds [batch,D], last_hidden_state [batch,L,W] (after final LN, as in HF). */
export function clipTextGraph(c: ClipConfig, seed: number | string, o: ExportOptions = {}): Model {
  const b = new GraphBuilder('clip_text');
  const L = c.text.contextLength, batch = o.batchDim ?? 'batch_size';
  const ids = b.input('input_ids', 'int64', [batch, L]);
  const mask = o.attentionMask ? b.input('attention_mask', 'int64', [batch, L]) : undefined;
  const t = textPart(b, c, ids, seed, mask);
  b.output(t.embeds, 'text_embeds');
  b.output(t.hidden, 'last_hidden_state');
  return b.build({ metadata: { config: JSON.stringify(c), eot_id: String(c.text.eotId), ...o.metadata } });
}

/** Copy of `m` with initializers replaced by `weights` where names match; throws on a shape mismatch. Returns the names used. */
export function withWeights(m: Model, weights: ReadonlyMap<string, TensorData | Float32Array>): { model: Model; used: string[] } {
  const init = new Map(m.graph.initializers);
  const used: string[] = [];
  for (const [name, t] of init) {
    const w = weights.get(name);
    if (!w) continue;
    const values = w instanceof Float32Array ? w : (w.values as Float32Array);
    if (values.length !== t.values.length) throw new Error(`withWeights: '${name}' has ${values.length} values, the graph wants ${t.values.length} [${t.dims}]`);
    init.set(name, { ...t, values: Float32Array.from(values) });
    used.push(name);
  }
  return { model: { ...m, graph: { ...m.graph, initializers: init } }, used };
}
