/**
 * `atelier bench train`: ViT training throughput on onnxruntime-node vs the machine's
 * matmul ceiling and vs jax-js (wasm) on the same model.
 *
 * Achieved GFLOP/s = 3 × forward matmul/conv FLOPs × samples / s. The 3× counts the
 * forward GEMMs once and the backward twice (dX and dW per GEMM); elementwise work,
 * norms, softmax and the optimizer are not counted, so the figure is a lower bound on
 * the arithmetic actually done.
 *
 * Fairness on a shared machine: after warm-up, the timed work is interleaved — each
 * onnxruntime step is followed by sampling the MatMul ceiling for half as long, and the
 * jax-js steps are spread evenly between them — so all three rates see the same load.
 * Rates are means over each engine's own timed seconds; best-step figures are reported too.
 *
 * Batch 32 (2080 token rows per GEMM): measured interleaved on the 2-core dev box, batch
 * 16–32 ran 20–40% more GFLOP/s than 64–128 (activations fit the caches better).
 */
import { availableParallelism } from 'node:os';
import { VIT_BENCH, type VitConfig, vitForwardFlops, vitParamCount, vitTokens } from '../../zoo/vit.ts';
import { MatmulProbe } from './matmulPeak.ts';
import { type Engine, jaxEngine, ortEngine } from './engines.ts';

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
  log?: (msg: string) => void;
}

/** Accumulates timed steps of one engine. */
class Timing {
  steps = 0;
  seconds = 0;
  best = Infinity;
  losses: number[] = [];
  constructor(readonly engine: Engine) {}
  async step(timed: boolean): Promise<number> {
    const t0 = performance.now();
    this.losses.push(await this.engine.step());
    const dt = (performance.now() - t0) / 1000;
    if (timed) { this.steps++; this.seconds += dt; this.best = Math.min(this.best, dt); }
    return dt;
  }
}

export async function trainBench(o: TrainBenchOptions = {}) {
  const cfg = o.config ?? VIT_BENCH;
  const batch = o.batch ?? 32;
  const threads = o.threads ?? availableParallelism();
  const steps = o.steps ?? 30, warmup = o.warmup ?? 3, jaxSteps = o.skipJax ? 0 : o.jaxSteps ?? 3;
  const jit = o.jaxJit ?? true;
  const log = o.log ?? (() => {});
  const flopsPerSample = 3 * vitForwardFlops(cfg);

  log(`vit ${vitParamCount(cfg)} params, batch ${batch}, ${threads} threads: onnxruntime-node ${warmup}+${steps} steps, jax-js 1+${jaxSteps}, ${o.peakN ?? 1024}³ MatMul sampled in between`);
  const probe = await MatmulProbe.create(o.peakN ?? 1024, threads);
  const ort = new Timing(await ortEngine(cfg, { batch, totalSteps: warmup + steps, threads }));
  const jax = o.skipJax ? undefined : new Timing(await jaxEngine(cfg, { batch, jit }));
  try {
    for (let i = 0; i < warmup; i++) await ort.step(false);
    if (jax) await jax.step(false); // includes jit tracing/compilation
    let jaxDone = 0;
    for (let i = 0; i < steps; i++) {
      const dt = await ort.step(true);
      await probe.sample(dt / 2);
      while (jax && jaxDone < Math.round(((i + 1) * jaxSteps) / steps)) { await jax.step(true); jaxDone++; }
      log(`  step ${i + 1}/${steps}: ${(batch / dt).toFixed(1)} samples/s, loss ${ort.losses[ort.losses.length - 1].toFixed(4)}`);
    }
  } finally {
    await probe.dispose();
    await ort.engine.dispose();
    await jax?.engine.dispose();
  }
  const rate = (t: Timing) => (t.steps * batch) / t.seconds;
  const gflops = (rate(ort) * flopsPerSample) / 1e9;
  const jaxRate = jax ? rate(jax) : undefined;
  return {
    samples_per_s: round(rate(ort)),
    gflops: round(gflops),
    peak_gflops: round(probe.gflops),
    jaxjs_samples_per_s: jaxRate === undefined ? null : round(jaxRate, 3),
    gflops_over_peak: round(gflops / probe.gflops, 3),
    speedup_vs_jaxjs: jaxRate === undefined ? null : round(rate(ort) / jaxRate, 2),
    targets: { gflops_over_peak: 0.25, speedup_vs_jaxjs: 5 },
    best: {
      samples_per_s: round(batch / ort.best),
      gflops: round((batch * flopsPerSample) / ort.best / 1e9),
      peak_gflops: round(probe.bestGflops),
      jaxjs_samples_per_s: jax ? round(batch / jax.best, 3) : null,
    },
    config: { model: 'vit', ...cfg, params: vitParamCount(cfg), tokens: vitTokens(cfg), batch, threads },
    flops: {
      formula: 'train_step = 3 × forward; forward = 2·MACs of patch Conv + per layer (4·T·d² q/k/v/out + 2·T²·d attention + 2·T·d·h MLP) + head',
      forward_per_sample: vitForwardFlops(cfg),
      train_per_sample: flopsPerSample,
    },
    first_loss_diff_ort_vs_jaxjs: jax ? round(Math.abs(jax.losses[0] - ort.losses[0]), 6) : null,
    ort: { optimizer: 'adamw', warmup, steps: ort.steps, seconds: round(ort.seconds, 3), first_loss: round(ort.losses[0], 4), last_loss: round(ort.losses[ort.losses.length - 1], 4), graph_nodes: ort.engine.graphNodes },
    jaxjs: jax ? { optimizer: 'sgd', jit, threads: jaxThreads(), warmup: 1, steps: jax.steps, seconds: round(jax.seconds, 3), first_loss: round(jax.losses[0], 4), last_loss: round(jax.losses[jax.losses.length - 1], 4) } : null,
    peak: { n: probe.n, runs: probe.runs, seconds: round(probe.seconds, 3), op: 'MatMul fp32, mean over runs interleaved with training steps' },
  };
}

const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;

/** jax-js's wasm backend runs a worker pool only where the Web `Worker` global exists (browsers, not Node). */
const jaxThreads = () => (typeof (globalThis as { Worker?: unknown }).Worker === 'function' ? 'worker pool' : 1);
