/**
 * Training throughput on onnxruntime-node: the ViT train-step graph (forward + backward +
 * AdamW in one run) on synthetic data, a few warm-up steps, then timed steps. After each
 * timed step `between` runs (the benchmark samples the matmul ceiling there) outside the
 * timed region.
 */
import { DataLoader } from '../DataLoader.ts';
import { SyntheticImages } from '../syntheticImages.ts';
import { Trainer } from '../Trainer.ts';
import { vitTrainStep } from '../vitTask.ts';
import type { VitConfig } from '../../zoo/vit.ts';

export interface OrtTrainResult { steps: number; seconds: number; bestStep: number; samplesPerS: number; firstLoss: number; lastLoss: number; graphNodes: number }

export const benchData = (cfg: VitConfig, batch: number) =>
  new SyntheticImages({ size: batch * 8, classes: cfg.headDim, channels: cfg.channels, imageSize: cfg.imageSize, seed: 'bench' });

export async function ortTrain(
  cfg: VitConfig,
  o: { batch: number; steps: number; warmup: number; threads?: number; progress?: boolean; between?: (stepSeconds: number) => Promise<void> },
): Promise<OrtTrainResult> {
  const { step } = vitTrainStep(cfg, o.batch, { optimizer: { kind: 'adamw', weightDecay: 0.05 }, schedule: { kind: 'cosine', lr: 1e-3, warmup: 5, total: o.steps + o.warmup } });
  const trainer = await Trainer.create({ graph: step, loader: new DataLoader(benchData(cfg, o.batch), { batchSize: o.batch, seed: 0 }), threads: o.threads, progress: o.progress });
  try {
    const warm = await trainer.run(o.warmup);
    let seconds = 0, best = Infinity, last = warm[warm.length - 1];
    for (let i = 0; i < o.steps; i++) {
      const t0 = performance.now();
      last = await trainer.trainStep();
      const dt = (performance.now() - t0) / 1000;
      seconds += dt;
      best = Math.min(best, dt);
      await o.between?.(dt);
    }
    return { steps: o.steps, seconds, bestStep: best, samplesPerS: (o.steps * o.batch) / seconds, firstLoss: warm[0].loss, lastLoss: last.loss, graphNodes: step.model.graph.nodes.length };
  } finally {
    await trainer.dispose();
  }
}
