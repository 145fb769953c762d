import { describe, expect, it } from 'vitest';
import { vitDefaults, vitForwardFlops, type VitConfig } from '../../zoo/vit.ts';
import { trainBench } from './trainBench.ts';

const tiny: VitConfig = { ...vitDefaults, imageSize: 8, patchSize: 4, width: 16, layers: 1, heads: 2, headDim: 4 };

describe('train benchmark (tiny config)', () => {
  it('reports rates, ratios and a first loss that jax-js and onnxruntime agree on', async () => {
    const r = await trainBench({ config: tiny, batch: 4, steps: 3, warmup: 1, jaxSteps: 1, threads: 1, peakN: 64 });
    for (const k of ['samples_per_s', 'gflops', 'peak_gflops', 'jaxjs_samples_per_s'] as const) expect(r[k]).toBeGreaterThan(0);
    expect(r.gflops).toBeCloseTo((r.samples_per_s * 3 * vitForwardFlops(tiny)) / 1e9, 1);
    expect(r.gflops_over_peak).toBeCloseTo(r.gflops / r.peak_gflops, 2);
    expect(r.speedup_vs_jaxjs).toBeCloseTo(r.samples_per_s / r.jaxjs_samples_per_s!, 0);
    expect(r.config).toMatchObject({ width: 16, batch: 4, threads: 1 });
    // Same graph, same initial weights, same first batch: the two frameworks compute the same loss.
    expect(r.first_loss_diff_ort_vs_jaxjs).toBeLessThan(1e-4);
    expect(r.peak.runs).toBeGreaterThanOrEqual(3);
  });
});
