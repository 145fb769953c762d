/**
 * `npm run train -- vit-synthetic [--steps N] [--batch N] [--threads N] [--ckpt PATH] [--fresh] [--eval-every N]`
 * The benchmark ViT (zoo/vit.ts VIT_BENCH) trained on the synthetic template-plus-noise
 * image set: a small end-to-end demo of the Node trainer — progress bar with loss and
 * samples/s, held-out evaluation (one JSON line per evaluation on stdout), atomic
 * checkpoints every --ckpt-every steps, and resume from the checkpoint unless --fresh.
 */
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import * as ort from 'onnxruntime-node';
import { encodeModel } from '../../graph/encode.ts';
import { initializersToInputs } from '../../graph/surgery/initializersToInputs.ts';
import { VIT_BENCH } from '../../zoo/vit.ts';
import { DataLoader } from '../DataLoader.ts';
import { SyntheticImages } from '../syntheticImages.ts';
import { Trainer, sessionOptions } from '../Trainer.ts';
import { vitClassifier, vitTrainStep } from '../vitTask.ts';

export async function run(argv: string[]): Promise<number> {
  const { values: v } = parseArgs({
    args: argv,
    options: {
      steps: { type: 'string', default: '200' }, batch: { type: 'string', default: '32' }, threads: { type: 'string' },
      ckpt: { type: 'string', default: '.cache/train/vit-synthetic.ckpt.onnx' }, 'ckpt-every': { type: 'string', default: '25' },
      'eval-every': { type: 'string', default: '50' }, fresh: { type: 'boolean', default: false }, seed: { type: 'string', default: '0' },
    },
  });
  const steps = Number(v.steps), batch = Number(v.batch), threads = v.threads ? Number(v.threads) : undefined;
  const cfg = VIT_BENCH;
  const data = (split: string, size: number) => new SyntheticImages({ size, classes: cfg.headDim, channels: cfg.channels, imageSize: cfg.imageSize, noise: 1.5, seed: 'vit-synthetic', split });
  const { step } = vitTrainStep(cfg, batch, { optimizer: { kind: 'adamw', weightDecay: 0.05 }, schedule: { kind: 'cosine', lr: 1e-3, warmup: 20, total: steps }, clipNorm: 1, seed: v.seed });

  // Held-out evaluation: the forward graph with params as inputs, fed the trainer's current tensors.
  const fwd = vitClassifier(cfg, batch, v.seed);
  const evalModel = initializersToInputs(fwd.model, fwd.params).model;
  const evalSession = await ort.InferenceSession.create(encodeModel(evalModel), sessionOptions(threads));
  const held = data('heldout', batch * 4);
  const onEval = async (t: Trainer, at: number) => {
    let loss = 0, correct = 0;
    for (let k = 0; k < 4; k++) {
      const b = held.collate(Array.from({ length: batch }, (_, i) => k * batch + i));
      const feeds: Record<string, ort.Tensor> = {
        pixel_values: new ort.Tensor('float32', b.pixel_values.data as Float32Array, b.pixel_values.dims),
        labels: new ort.Tensor('float32', b.labels.data as Float32Array, b.labels.dims),
      };
      for (const p of fwd.params) feeds[p] = new ort.Tensor('float32', t.value(p), step.dims.get(p)!);
      const out = await evalSession.run(feeds);
      loss += (out.loss.data as Float32Array)[0] / 4;
      const z = out.logits.data as Float32Array, y = b.labels.data as Float32Array, K = cfg.headDim;
      for (let r = 0; r < batch; r++) {
        let arg = 0;
        for (let c = 1; c < K; c++) if (z[r * K + c] > z[r * K + arg]) arg = c;
        correct += y[r * K + arg];
      }
    }
    process.stdout.write(`${JSON.stringify({ step: at, heldout_loss: +loss.toFixed(4), heldout_accuracy: correct / (4 * batch) })}\n`);
  };

  const trainer = await Trainer.create({
    graph: step, loader: new DataLoader(data('train', 4096), { batchSize: batch, seed: v.seed }), threads,
    progress: process.stderr.isTTY === true, evalEvery: Number(v['eval-every']), onEval,
    checkpoint: { path: v.ckpt!, every: Number(v['ckpt-every']) }, meta: { recipe: 'vit-synthetic', config: JSON.stringify(cfg) },
  });
  if (!v.fresh && existsSync(v.ckpt!)) {
    await trainer.resume(v.ckpt!);
    process.stderr.write(`resumed from ${v.ckpt} at step ${trainer.step}\n`);
  }
  // Ctrl-C: finish the current step, checkpoint, exit; the next run resumes there.
  const stop = new AbortController();
  const onSig = () => stop.abort();
  process.once('SIGINT', onSig);
  try {
    await trainer.run(steps, stop.signal);
    if (!stop.signal.aborted) await trainer.save(v.ckpt!);
  } finally {
    process.off('SIGINT', onSig);
    await trainer.dispose();
    await evalSession.release();
  }
  return 0;
}
