/**
 * TIP-CLIP fine-tuning graph (visualness_dyvte.md §A3) on micro-CLIP's text tower.
 *
 * Loss: the standard symmetric CLIP InfoNCE on a batch where every non-visual sentence's image
 * embedding has been replaced by the NULL image's embedding:
 *   L = ½ [ CE(s·I·Tᵀ, Y) + CE(s·T·Iᵀ, Yᵀ) ],   I, T L2-normalized, s = exp(logit_scale) ≤ 100.
 * Y is the identity (the paper's literal formulation: identical NULL rows are not de-duplicated,
 * so non-visual texts in a batch are each other's negatives for the same NULL target) or, with
 * `targets: 'multi'`, row-normalized "same image" positives (the untested multi-positive variant).
 *
 * Deviation from the paper, on purpose: the image tower is frozen (image embeddings, NULL's
 * included, are computed once with micro-CLIP's vision tower and fed as `image_embeds`). Only the
 * text tower ships to the browser (§A9), the NULL embedding then stays exactly the one the
 * shipped text tower was tuned against, and a step costs the text tower only (CPU budget).
 */
import { grad } from '../../graph/autodiff.ts';
import { GraphBuilder } from '../../graph/builder.ts';
import type { Model } from '../../graph/ir.ts';
import type { OptimizerSpec } from '../../graph/optim/names.ts';
import type { Schedule } from '../../graph/optim/schedule.ts';
import { buildTrainStep, type TrainStepGraph } from '../../graph/optim/trainStep.ts';
import { Prng } from '../../data/microworld/prng.ts';
import { l2Normalize } from '../../zoo/clip/clipGraphs.ts';
import type { ClipConfig } from '../../zoo/clip/config.ts';
import { Init, linear, textTower } from '../../zoo/clip/textTower.ts';
import { softmaxCrossEntropy } from '../../zoo/vit.ts';

export interface TipForward { model: Model; params: string[] }

/** Inputs input_ids [B,L] int64, image_embeds [B,D] (unit rows), labels [B,B]; output loss. Parameter names match micro-CLIP's text export. */
export function tipTrainForward(c: ClipConfig, batch: number, logitScaleInit = Math.log(1 / 0.07)): TipForward {
  const b = new GraphBuilder('tip_clip_train');
  const L = c.text.contextLength, D = c.projectionDim;
  const ids = b.input('input_ids', 'int64', [batch, L]);
  const img = b.input('image_embeds', 'float32', [batch, D]);
  const labels = b.input('labels', 'float32', [batch, batch]);
  const t = b.scope('text_model', () => textTower(b, ids, c.text, 'tip:text'));
  const txt = l2Normalize(b, linear(b, new Init(new Prng('tip:proj')), 'text_projection', t.pooled, c.text.width, D, false));
  const scaleParam = b.param('logit_scale', { dims: [], values: Float32Array.of(logitScaleInit) });
  const scale = b.op('Min', [b.op('Exp', [scaleParam])[0], b.constant([100], [])])[0];
  const logits = b.op('Mul', [b.op('MatMul', [img, b.op('Transpose', [txt], { perm: [1, 0] })[0]])[0], scale])[0];
  const li = b.scope('image', () => softmaxCrossEntropy(b, logits, labels));
  const lt = b.scope('text', () => softmaxCrossEntropy(b, b.op('Transpose', [logits], { perm: [1, 0] })[0], b.op('Transpose', [labels], { perm: [1, 0] })[0]));
  b.output(b.op('Mul', [b.op('Add', [li, lt])[0], b.constant([0.5], [])])[0], 'loss');
  return { model: b.build(), params: b.params.filter((p) => b.initializers.get(p)?.dtype === 'float32') };
}

export interface TipTrainOptions { optimizer: OptimizerSpec; schedule: Schedule; clipNorm?: number }

export const tipDecays = (p: string) => p.endsWith('.weight') && !p.includes('norm') && !p.includes('embedding');

export function tipTrainStep(forward: TipForward, o: TipTrainOptions): TrainStepGraph {
  const g = grad(forward.model, { loss: 'loss', wrt: forward.params });
  return buildTrainStep(g, { loss: 'loss', params: forward.params, optimizer: o.optimizer, schedule: o.schedule, clipNorm: o.clipNorm, decay: tipDecays });
}
