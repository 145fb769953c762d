/**
 * `npm run train -- vlm [--steps N] [--batch N] [--scenes N] [--threads N] [--minutes M]
 *   [--ckpt PATH] [--ckpt-every N] [--eval-every N] [--eval-items N] [--fresh] [--out DIR] [--seed S] [--exit-dropout P]
 *   [--init DIR] [--lr LR] [--warmup N]`
 *
 * Trains the micro-VLM's projector + LM (the micro-CLIP image tower is frozen; its tokens are
 * computed once) on Microworld captions and questions, teacher-forced, AdamW + cosine. Held-out
 * greedy accuracy (val split, no exit) is printed as JSON lines; checkpoints allow Ctrl-C and
 * resume; at the end (or when --minutes runs out) the model is written to --out
 * (default assets/models/micro-vlm): vision.onnx + weights.onnx + model.json.
 * --exit-dropout P (default 0.5, what the committed weights used; 0 = as the paper): exit-robust
 * training, see dataset.ts.
 * --init DIR: start from the LM weights of a trained micro-VLM directory (fine-tuning, e.g. an
 * exit-robust pass over the committed model); its image tower must be the one used now.
 */
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createNodeRuntime } from '../../runtime/backends/nodeCpu.ts';
import { microVlmConfig } from '../../zoo/vlm/config.ts';
import { decodeWeights, vlmGraphsFromWeights } from '../../zoo/vlm/bundle.ts';
import { vlmTokenizer } from '../../zoo/vlm/text.ts';
import { VlmModel } from '../../zoo/vlm/VlmModel.ts';
import { DataLoader } from '../DataLoader.ts';
import { Trainer } from '../Trainer.ts';
import { VlmDataset } from './dataset.ts';
import { buildItemSet } from './evalSet.ts';
import { evaluatePolicy } from './evaluate.ts';
import { DEFAULT_VLM_DIR, readVlmDir, writeVlmDir } from './files.ts';
import { loadVisionTower } from './visionTower.ts';
import { vlmTrainStep } from './task.ts';

export async function runVlmRecipe(argv: string[]): Promise<number> {
  const { values: v } = parseArgs({
    args: argv,
    options: {
      steps: { type: 'string', default: '1500' }, batch: { type: 'string', default: '32' }, scenes: { type: 'string', default: '4000' },
      threads: { type: 'string' }, minutes: { type: 'string', default: '45' }, seed: { type: 'string', default: '0' },
      ckpt: { type: 'string', default: '.cache/train/vlm.ckpt.onnx' }, 'ckpt-every': { type: 'string', default: '50' },
      'eval-every': { type: 'string', default: '250' }, 'eval-items': { type: 'string', default: '96' },
      fresh: { type: 'boolean', default: false }, out: { type: 'string', default: DEFAULT_VLM_DIR },
      'exit-dropout': { type: 'string', default: '0.5' }, init: { type: 'string' }, lr: { type: 'string', default: '2e-3' }, warmup: { type: 'string', default: '50' },
    },
  });
  const steps = Number(v.steps), batch = Number(v.batch), threads = v.threads ? Number(v.threads) : undefined;
  const deadline = Date.now() + Number(v.minutes) * 60_000;
  const cfg = microVlmConfig(vlmTokenizer().vocab.tokens.length);
  const rt = await createNodeRuntime({ threads });
  const tower = await loadVisionTower();
  const log = (o: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(o)}\n`);
  if (!tower.trained) process.stderr.write(`warning: ${tower.source}; the VLM will learn from an untrained image tower\n`);

  process.stderr.write(`encoding ${v.scenes} training scenes with the image tower…\n`);
  const train = await buildItemSet(rt, tower, { split: 'train', seed: 'vlm', items: Number(v.scenes) * 4 });
  const held = await buildItemSet(rt, tower, { split: 'val', seed: 'vlm', items: Number(v['eval-items']) });
  const exitDropout = Number(v['exit-dropout']);
  if (!(exitDropout >= 0 && exitDropout <= 1)) throw new Error(`--exit-dropout must be in [0, 1], got ${v['exit-dropout']}`);
  const data = new VlmDataset(cfg, train.items, train.visual, train.sceneOffset, undefined, exitDropout);
  let init: Map<string, Float32Array> | undefined;
  if (v.init) {
    const from = await readVlmDir(v.init);
    if (from.files[from.json.files.vision.name] && Buffer.compare(Buffer.from(from.files[from.json.files.vision.name]), Buffer.from(tower.bytes)) !== 0) {
      throw new Error(`--init ${v.init}: its image tower differs from ${tower.source}; fine-tuning needs the tower it was trained on`);
    }
    init = decodeWeights(from.files[from.json.files.weights.name]);
  }
  const { forward, step } = vlmTrainStep(cfg, batch, data.textLen, {
    optimizer: { kind: 'adamw', weightDecay: 0.01 }, schedule: { kind: 'cosine', lr: Number(v.lr), warmup: Number(v.warmup), total: steps }, clipNorm: 1, seed: v.seed, exitInput: exitDropout > 0, init,
  });
  const weightsOf = (t: Trainer) => new Map(forward.params.map((p) => [p, Float32Array.from(t.value(p))]));
  let lastEval: Record<string, unknown> = {};
  const onEval = async (t: Trainer, at: number) => {
    const vlm = await VlmModel.create(rt, cfg, vlmGraphsFromWeights(cfg, weightsOf(t)));
    try {
      const s = await evaluatePolicy(vlm, held, { kind: 'none' });
      lastEval = { step: at, heldout_accuracy: +s.accuracy.toFixed(4), by_kind: Object.fromEntries(Object.entries(s.byKind).map(([k, e]) => [k, +e.accuracy.toFixed(3)])) };
      log(lastEval);
    } finally {
      await vlm.dispose();
    }
  };
  let t0 = Date.now();
  const trainer = await Trainer.create({
    graph: step, loader: new DataLoader(data, { batchSize: batch, seed: v.seed }), threads,
    progress: process.stderr.isTTY === true, evalEvery: Number(v['eval-every']), onEval,
    checkpoint: { path: v.ckpt!, every: Number(v['ckpt-every']) }, meta: { recipe: 'vlm', config: JSON.stringify(cfg) },
    // Without a terminal there is no progress bar: a line every 10 steps instead.
    onStep: (r) => {
      const perStep = (Date.now() - t0) / 1000 / (r.step - startStep);
      if (!process.stderr.isTTY && r.step % 10 === 0) process.stderr.write(`step ${r.step} loss ${r.loss.toFixed(4)} ${perStep.toFixed(2)} s/step\n`);
      // The cosine schedule assumes all --steps run; say early when --minutes will cut it short.
      const left = (deadline - Date.now()) / 1000, fits = r.step + Math.floor(left / perStep);
      if (r.step - startStep === 20 && fits < steps) process.stderr.write(`warning: at ${perStep.toFixed(2)} s/step only ~${fits} of ${steps} steps fit in --minutes ${v.minutes}; the lr schedule will not finish (consider --steps ${fits})\n`);
    },
  });
  if (!v.fresh && existsSync(v.ckpt!)) {
    await trainer.resume(v.ckpt!);
    process.stderr.write(`resumed from ${v.ckpt} at step ${trainer.step}\n`);
  }
  const startStep = trainer.step;
  t0 = Date.now();
  const stop = new AbortController();
  const onSig = () => stop.abort();
  process.once('SIGINT', onSig);
  const timer = setInterval(() => { if (Date.now() > deadline) stop.abort(); }, 1000);
  try {
    await trainer.run(steps, stop.signal);
    await trainer.save(v.ckpt!);
    if (!lastEval.step || lastEval.step !== trainer.step) await onEval(trainer, trainer.step);
    const last = trainer.history.slice(-20);
    const json = await writeVlmDir(v.out!, {
      json: {
        id: 'micro-vlm', config: cfg, visionTrained: tower.trained,
        training: {
          steps: trainer.step, batch, items: train.items.length, exit_dropout: exitDropout, text_len: data.textLen, seconds: Math.round((Date.now() - t0) / 1000),
          final_loss: last.length ? +(last.reduce((a, r) => a + r.loss, 0) / last.length).toFixed(4) : null,
          vision: tower.source, stopped_early: stop.signal.aborted, eval: lastEval, lr: Number(v.lr), init: v.init ?? null,
        },
      },
      vision: tower.bytes, weights: weightsOf(trainer), dims: step.dims,
    });
    process.stderr.write(`wrote ${v.out} (${json.files.weights.bytes} bytes of weights)\n`);
  } finally {
    clearInterval(timer);
    process.off('SIGINT', onSig);
    await trainer.dispose();
    await rt.dispose();
  }
  return 0;
}
