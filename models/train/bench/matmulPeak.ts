/**
 * The machine's fp32 matmul ceiling as onnxruntime-node sees it: an n×n×n MatMul in a
 * session with the same thread count as training. `MatmulProbe.sample(seconds)` runs it
 * for a while and accumulates time, so the benchmark can interleave probes with training
 * steps: on a shared machine both then see the same contention.
 */
import * as ort from 'onnxruntime-node';
import type { Model } from '../../graph/ir.ts';
import { encodeModel } from '../../graph/encode.ts';
import { sessionOptions } from '../Trainer.ts';

export function matmulModel(n: number): Model {
  return {
    opset: 17, irVersion: 8, producer: 'atelier-bench', metadata: {},
    graph: {
      name: 'matmul_peak', initializers: new Map(), valueInfo: new Map(),
      inputs: [{ name: 'a', dtype: 'float32', shape: [n, n] }, { name: 'b', dtype: 'float32', shape: [n, n] }],
      outputs: [{ name: 'c', dtype: 'float32', shape: [n, n] }],
      nodes: [{ name: 'mm', op: 'MatMul', inputs: ['a', 'b'], outputs: ['c'], attrs: {} }],
    },
  };
}

export class MatmulProbe {
  runs = 0;
  seconds = 0;
  best = Infinity;
  private constructor(readonly n: number, private readonly session: ort.InferenceSession, private readonly feeds: Record<string, ort.Tensor>) {}

  static async create(n = 1024, threads?: number): Promise<MatmulProbe> {
    // Spinning allowed (onnxruntime's default): the ceiling should be the best the runtime does.
    const session = await ort.InferenceSession.create(encodeModel(matmulModel(n)), sessionOptions(threads, { spin: true }));
    const fill = (k: number) => new Float32Array(n * n).map((_, i) => ((i * k) % 1000) / 1000 - 0.5);
    const p = new MatmulProbe(n, session, { a: new ort.Tensor('float32', fill(7919), [n, n]), b: new ort.Tensor('float32', fill(104729), [n, n]) });
    await session.run(p.feeds); // warm-up: arena allocation, packing
    return p;
  }

  get flopsPerRun(): number { return 2 * this.n ** 3; }

  /** Run for at least `seconds` (and at least once). */
  async sample(seconds: number): Promise<void> {
    let spent = 0;
    do {
      const t0 = performance.now();
      await this.session.run(this.feeds);
      const dt = (performance.now() - t0) / 1000;
      spent += dt;
      this.seconds += dt;
      this.best = Math.min(this.best, dt);
      this.runs++;
    } while (spent < seconds);
  }

  /** Mean rate over all sampled runs. */
  get gflops(): number { return (this.runs * this.flopsPerRun) / this.seconds / 1e9; }
  get bestGflops(): number { return this.flopsPerRun / this.best / 1e9; }

  async dispose(): Promise<void> { await this.session.release(); }
}
