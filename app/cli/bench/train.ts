/**
 * `atelier bench train [--json] [--batch N] [--steps N] [--jax-steps N] [--threads N] [--no-jax] [--no-jax-jit]`
 * ViT training throughput on onnxruntime-node against the machine's matmul ceiling and
 * jax-js (wasm). The work lives in models/train/bench (app/ never touches onnxruntime).
 */
import { parseArgs } from 'node:util';
import { trainBench } from '../../../models/train/bench/trainBench.ts';

export async function run(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      json: { type: 'boolean', default: false },
      batch: { type: 'string' },
      steps: { type: 'string' },
      'jax-steps': { type: 'string' },
      threads: { type: 'string' },
      'no-jax': { type: 'boolean', default: false },
      'no-jax-jit': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write('atelier bench train [--json] [--batch N] [--steps N] [--jax-steps N] [--threads N] [--no-jax] [--no-jax-jit]\n');
    return 0;
  }
  const int = (s: string | undefined, name: string) => {
    if (s === undefined) return undefined;
    const n = Number(s);
    if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} needs a positive integer, got '${s}'`);
    return n;
  };
  const res = await trainBench({
    batch: int(values.batch, 'batch'), steps: int(values.steps, 'steps'), jaxSteps: int(values['jax-steps'], 'jax-steps'),
    threads: int(values.threads, 'threads'), skipJax: values['no-jax'], jaxJit: !values['no-jax-jit'],
    log: (m) => process.stderr.write(`${m}\n`),
  });
  if (values.json) {
    process.stdout.write(`${JSON.stringify(res, null, 2)}\n`);
  } else {
    const jax = res.jaxjs_samples_per_s === null ? 'skipped' : `${res.jaxjs_samples_per_s} samples/s (×${res.speedup_vs_jaxjs})`;
    process.stdout.write([
      `model      vit, ${res.config.params} params, batch ${res.config.batch}, ${res.config.threads} threads`,
      `ort-node   ${res.samples_per_s} samples/s, ${res.gflops} GFLOP/s (${(100 * res.gflops_over_peak).toFixed(1)}% of peak)`,
      `peak       ${res.peak_gflops} GFLOP/s (MatMul ${res.peak.n}³ fp32)`,
      `jax-js     ${jax}`,
    ].join('\n') + '\n');
  }
  return 0;
}
