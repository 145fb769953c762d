/**
 * `npm run train -- dyvte-gates [--items N] [--steps N] [--batch N] [--threads N] [--dir DIR] [--seed S] [--val-items N] [--tolerance T]`
 *
 * DyVTE gate training (spec B4) for a trained micro-VLM in --dir (default assets/models/micro-vlm):
 *  1. labels: for N training items and every layer K, is exiting after K safe? (labels.ts: greedy
 *     agreement > 0.99 and answer CE < 1.03× the full model's, teacher-forced);
 *  2. train all layers' gates on (feature, K, label) rows (the VLM stays frozen: features are
 *     precomputed), AdamW + cosine, class weights [1, 1] as in the reference;
 *  3. report held-out gate accuracy;
 *  4. choose the gate threshold on --val-items validation-split items (threshold.ts), never on the
 *     benchmark's test items; write gates.onnx, the threshold and the summary into model.json.
 */
import { parseArgs } from 'node:util';
import { grad } from '../../graph/autodiff.ts';
import { buildTrainStep } from '../../graph/optim/trainStep.ts';
import { createNodeRuntime } from '../../runtime/backends/nodeCpu.ts';
import { GATE_EXIT, GATE_KEEP, gateTrainForward } from '../../zoo/dyvte/gateGraph.ts';
import { decodeWeights, vlmGraphsFromFiles, vlmGraphsFromWeights } from '../../zoo/vlm/bundle.ts';
import { VlmModel } from '../../zoo/vlm/VlmModel.ts';
import type { Dataset, HostTensor } from '../DataLoader.ts';
import { DataLoader } from '../DataLoader.ts';
import { Trainer } from '../Trainer.ts';
import { encodeItem } from './dataset.ts';
import { buildItemSet, itemVisual } from './evalSet.ts';
import { DEFAULT_VLM_DIR, readVlmDir, writeGates } from './files.ts';
import { type GateRow, gateLabelsFor } from './labels.ts';
import { withInitializers } from './task.ts';
import { itemOutcomes, pickThreshold, vlmGateCost } from './threshold.ts';
import type { VisionTower } from './visionTower.ts';
import type { Runtime } from '../../runtime/Runtime.ts';
import type { VlmConfig } from '../../zoo/vlm/config.ts';

export class GateRows implements Dataset {
  constructor(readonly rows: readonly GateRow[], readonly dim: number) {}
  get size(): number { return this.rows.length; }
  collate(indices: readonly number[]): Record<string, HostTensor> {
    const B = indices.length, f = new Float32Array(B * this.dim), layer = new BigInt64Array(B), labels = new Float32Array(B * 2);
    indices.forEach((i, r) => {
      const row = this.rows[i];
      f.set(row.feature, r * this.dim);
      layer[r] = BigInt(row.layer);
      labels[r * 2 + (row.label ? GATE_EXIT : GATE_KEEP)] = 1;
    });
    return { features: { dtype: 'float32', dims: [B, this.dim], data: f }, layer: { dtype: 'int64', dims: [B], data: layer }, labels: { dtype: 'float32', dims: [B, 2], data: labels } };
  }
}

export async function runGatesRecipe(argv: string[]): Promise<number> {
  const { values: v } = parseArgs({
    args: argv,
    options: {
      items: { type: 'string', default: '1200' }, steps: { type: 'string', default: '600' }, batch: { type: 'string', default: '64' },
      threads: { type: 'string' }, dir: { type: 'string', default: DEFAULT_VLM_DIR }, seed: { type: 'string', default: '0' },
      'val-items': { type: 'string', default: '300' }, tolerance: { type: 'string', default: '0.005' },
    },
  });
  const threads = v.threads ? Number(v.threads) : undefined, batch = Number(v.batch), steps = Number(v.steps);
  const rt = await createNodeRuntime({ threads });
  const { json, files } = await readVlmDir(v.dir!);
  const cfg = json.config;
  const vlm = await VlmModel.create(rt, cfg, vlmGraphsFromFiles({ ...json, files: { ...json.files, gates: undefined } }, files));
  const tower = { bytes: files[json.files.vision.name], trained: json.visionTrained, source: v.dir!, tokens: cfg.visualTokens, width: cfg.visionWidth, imageSize: 64 };
  const t0 = Date.now();
  const rows: GateRow[] = [];
  try {
    // Scenes the VLM was not trained on (train split, another stream), as the reference uses a 1% slice of the instruction data.
    const set = await buildItemSet(rt, tower, { split: 'train', seed: 'dyvte-gates', items: Number(v.items) });
    const per = cfg.visualTokens * cfg.visionWidth;
    for (let k = 0; k < set.items.length; k++) {
      rows.push(...await gateLabelsFor(vlm, itemVisual(set, set.items[k], per), encodeItem(set.items[k])));
      if ((k + 1) % 100 === 0) process.stderr.write(`labels: ${k + 1}/${set.items.length} items (${Math.round((Date.now() - t0) / 1000)} s)\n`);
    }
  } finally {
    await vlm.dispose();
  }
  const perLayer = Array.from({ length: cfg.layers }, (_, K) => {
    const r = rows.filter((x) => x.layer === K);
    return +(r.filter((x) => x.label).length / r.length).toFixed(3);
  });
  process.stdout.write(`${JSON.stringify({ label_rows: rows.length, safe_rate_per_layer: perLayer })}\n`);

  // Hold out every 5th item's rows (all its layers together) for the gate accuracy.
  const heldRows = rows.filter((_, i) => Math.floor(i / cfg.layers) % 5 === 4), trainRows = rows.filter((_, i) => Math.floor(i / cfg.layers) % 5 !== 4);
  if (trainRows.length < 2) throw new Error(`dyvte-gates: only ${trainRows.length} label rows to train on; raise --items`);
  const bs = Math.min(batch, trainRows.length);
  const fwd = gateTrainForward(cfg, v.seed!, bs);
  const g = grad(fwd.model, { loss: 'loss', wrt: fwd.params, paramsAsInputs: true });
  const step = buildTrainStep(withInitializers(g, fwd.model), { loss: 'loss', params: fwd.params, optimizer: { kind: 'adamw', weightDecay: 0 }, schedule: { kind: 'cosine', lr: 3e-3, warmup: 20, total: steps } });
  const trainer = await Trainer.create({ graph: step, loader: new DataLoader(new GateRows(trainRows, 2 * cfg.width), { batchSize: bs, seed: v.seed! }), threads, progress: false });
  try {
    await trainer.run(steps);
    const weights = new Map(fwd.params.map((p) => [p, Float32Array.from(trainer.value(p))]));
    const accuracy = gateAccuracy(heldRows, weights, cfg.width, cfg.gateHidden);
    const choice = await chooseOnValidation(rt, cfg, tower, files[json.files.weights.name], weights, Number(v['val-items']), Number(v.tolerance));
    const summary = {
      label_rows: rows.length, items: rows.length / cfg.layers, safe_rate_per_layer: perLayer, steps,
      final_loss: +trainer.history.slice(-10).reduce((a, r) => a + r.loss / Math.min(10, trainer.history.length), 0).toFixed(4),
      heldout_gate_accuracy: +accuracy.toFixed(4), seconds: Math.round((Date.now() - t0) / 1000), rule: 'agreement > 0.99 and CE < 1.03x full (teacher-forced)',
      threshold: choice.threshold, threshold_selection: choice.summary,
    };
    await writeGates(v.dir!, weights, step.dims, summary);
    process.stdout.write(`${JSON.stringify(summary)}\n`);
  } finally {
    await trainer.dispose();
    await rt.dispose();
  }
  return 0;
}

/**
 * The gate threshold, chosen on `n` validation-split items (threshold.ts: cheapest threshold within
 * `tolerance` of no-exit accuracy that beats every fixed exit layer costing no more).
 */
async function chooseOnValidation(rt: Runtime, cfg: VlmConfig, tower: VisionTower, lmBytes: Uint8Array, gates: Map<string, Float32Array>, n: number, tolerance: number) {
  const vlm = await VlmModel.create(rt, cfg, vlmGraphsFromWeights(cfg, decodeWeights(lmBytes), gates));
  try {
    const set = await buildItemSet(rt, tower, { split: 'val', seed: 'dyvte-threshold', items: n });
    const outcomes = await itemOutcomes(vlm, set, { onItem: (k) => { if (k % 50 === 0) process.stderr.write(`threshold: ${k}/${n} validation items\n`); } });
    const c = pickThreshold(outcomes, vlmGateCost(vlm), { tolerance });
    const r = (p: { accuracy: number; flops: number }) => ({ accuracy: +p.accuracy.toFixed(4), flops: Math.round(p.flops) });
    const summary = {
      split: 'val', items: set.items.length, tolerance, met: c.met, no_exit: r(c.noExit), fixed: c.fixed.map((f) => ({ layer: f.layer, ...r(f) })),
      chosen: { ...r(c.chosen), exit_rate: +c.chosen.exitRate.toFixed(3), flops_saved: +(1 - c.chosen.flops / c.noExit.flops).toFixed(4) },
      sweep: c.sweep.map((p) => ({ threshold: p.threshold, ...r(p) })),
    };
    process.stdout.write(`${JSON.stringify({ threshold: c.threshold, ...summary })}\n`);
    return { threshold: c.threshold, summary };
  } finally {
    await vlm.dispose();
  }
}

/** Host-side gate forward (same math as gateGraph) for held-out accuracy. */
export function gateAccuracy(rows: readonly GateRow[], w: Map<string, Float32Array>, d: number, h: number): number {
  const w1 = w.get('visual_gates.fc1.weight')!, w2 = w.get('visual_gates.fc2.weight')!, d2 = 2 * d;
  let right = 0;
  for (const r of rows) {
    const z = [0, 0];
    for (let j = 0; j < h; j++) {
      let a = 0;
      for (let i = 0; i < d2; i++) a += r.feature[i] * w1[(r.layer * d2 + i) * h + j];
      const g = 0.5 * a * (1 + erf(a / Math.SQRT2));
      z[0] += g * w2[(r.layer * h + j) * 2];
      z[1] += g * w2[(r.layer * h + j) * 2 + 1];
    }
    right += Number((z[GATE_EXIT] > z[GATE_KEEP]) === (r.label === 1));
  }
  return rows.length ? right / rows.length : NaN;
}

/** Abramowitz–Stegun 7.1.26 (|error| < 1.5e-7): enough to classify. */
function erf(x: number): number {
  const s = Math.sign(x), a = Math.abs(x), t = 1 / (1 + 0.3275911 * a);
  const y = 1 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-a * a);
  return s * y;
}
