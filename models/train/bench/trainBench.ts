/**
 * `atelier bench train`: ViT training throughput on onnxruntime-node vs the machine's
 * matmul ceiling and vs jax-js (wasm) on the same model.
 *
 * Achieved GFLOP/s = 3 × forward matmul/conv FLOPs × samples / s. The 3× counts the
 * forward GEMMs once and the backward twice (dX and dW per GEMM); elementwise work,
 * norms, softmax and the optimizer are not counted, so the figure is a lower bound on
 * the arithmetic actually done.
 *
 * The ceiling is sampled between timed training steps (about half as long as each step),
 * and both rates are means over their own sampled time: on a shared machine the two then
 * see the same contention, so their ratio is meaningful. Best-run figures are reported too.
 */
import { availableParallelism } from 'node:os';
import { VIT_BENCH, type VitConfig, vitForwardFlops, vitParamCount, vitTokens } from '../../zoo/vit.ts';
import { MatmulProbe } from './matmulPeak.ts';
import { ortTrain } from './ortTrain.ts';
import { jaxTrain } from './jaxTrain.ts';

export interface TrainBenchOptions {
  config?: VitConfig;
  batch?: number;
  steps?: number;
  warmup?: number;
  jaxSteps?: number;
  threads?: number;
  peakN?: number;
  skipJax?: boolean;
  /** jit the jax-js value-and-grad (default true: its fastest mode, a fair comparison). */
  jaxJit?: boolean;
  progress?: boolean;
  log?: (msg: string) => void;
}

export async function trainBench(o: TrainBenchOptions = {}) {
  const cfg = o.config ?? VIT_BENCH;
  const batch = o.batch ?? 64;
  const threads = o.threads ?? availableParallelism();
  const log = o.log ?? (() => {});
  const flopsPerSample = 3 * vitForwardFlops(cfg);

  log(`training ${vitParamCount(cfg)} params, batch ${batch}, ${threads} threads on onnxruntime-node; sampling a ${o.peakN ?? 1024}³ MatMul between steps`);
  const probe = await MatmulProbe.create(o.peakN ?? 1024, threads);
  let ortRes: Awaited<ReturnType<typeof ortTrain>>;
  try {
    await probe.sample(0.5);
    ortRes = await ortTrain(cfg, { batch, steps: o.steps ?? 20, warmup: o.warmup ?? 3, threads, progress: o.progress, between: (dt) => probe.sample(dt / 2) });
  } finally {
    await probe.dispose();
  }
  const gflops = (ortRes.samplesPerS * flopsPerSample) / 1e9;
  let jax: Awaited<ReturnType<typeof jaxTrain>> | undefined;
  if (!o.skipJax) {
    log('training the same forward graph with @jax-js/onnx + @jax-js/jax valueAndGrad (wasm), hand-written SGD');
    jax = await jaxTrain(cfg, { batch, steps: o.jaxSteps ?? 3, warmup: 1, jit: o.jaxJit ?? true });
  }
  return {
    samples_per_s: round(ortRes.samplesPerS),
    gflops: round(gflops),
    peak_gflops: round(probe.gflops),
    jaxjs_samples_per_s: jax ? round(jax.samplesPerS, 3) : null,
    gflops_over_peak: round(gflops / probe.gflops, 3),
    speedup_vs_jaxjs: jax ? round(ortRes.samplesPerS / jax.samplesPerS, 2) : null,
    targets: { gflops_over_peak: 0.25, speedup_vs_jaxjs: 5 },
    config: { model: 'vit', ...cfg, params: vitParamCount(cfg), tokens: vitTokens(cfg), batch, threads, optimizer: 'adamw' },
    flops: {
      formula: 'train_step = 3 × forward; forward = 2·MACs of patch Conv + per layer (4·T·d² q/k/v/out + 2·T²·d attention + 2·T·d·h MLP) + head',
      forward_per_sample: vitForwardFlops(cfg),
      train_per_sample: flopsPerSample,
    },
    best: { samples_per_s: round(batch / ortRes.bestStep), gflops: round((batch * flopsPerSample) / ortRes.bestStep / 1e9), peak_gflops: round(probe.bestGflops) },
    ort: { steps: ortRes.steps, seconds: round(ortRes.seconds, 3), first_loss: round(ortRes.firstLoss, 4), last_loss: round(ortRes.lastLoss, 4), graph_nodes: ortRes.graphNodes },
    first_loss_diff_ort_vs_jaxjs: jax ? round(Math.abs(jax.firstLoss - ortRes.firstLoss), 6) : null,
    jaxjs: jax ? { steps: jax.steps, seconds: round(jax.seconds, 3), first_loss: round(jax.firstLoss, 4), last_loss: round(jax.lastLoss, 4), jit: o.jaxJit ?? true, optimizer: 'sgd' } : null,
    peak: { n: probe.n, runs: probe.runs, seconds: round(probe.seconds, 3), op: 'MatMul fp32, mean over runs interleaved with training steps' },
  };
}

const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;
