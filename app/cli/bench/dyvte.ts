/**
 * `npm run bench -- dyvte [--json] [--items 500] [--dir assets/models/micro-vlm] [--threads N] [--thresholds 0.7,0.9]`
 * DyVTE on the micro-VLM: accuracy, LM FLOPs and wall ms per request for no exit, a fixed exit
 * after each layer, and the learned gates (models/train/vlm/bench.ts does the work).
 */
import { parseArgs } from 'node:util';
import { dyvteBench } from '../../../models/train/vlm/bench.ts';

export async function run(args: string[]): Promise<number> {
  const { values: v } = parseArgs({
    args,
    options: {
      json: { type: 'boolean', default: false }, items: { type: 'string', default: '500' },
      dir: { type: 'string' }, threads: { type: 'string' }, thresholds: { type: 'string' }, help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (v.help) {
    process.stdout.write('atelier bench dyvte [--json] [--items 500] [--dir assets/models/micro-vlm] [--threads N] [--thresholds 0.7,0.9]\n');
    return 0;
  }
  const items = Number(v.items);
  if (!Number.isInteger(items) || items < 1) {
    process.stderr.write(`--items must be a positive integer, got ${v.items}\n`);
    return 2;
  }
  const thresholds = v.thresholds ? v.thresholds.split(',').map(Number) : [];
  if (thresholds.some((t) => !(t >= 0 && t < 1))) {
    process.stderr.write(`--thresholds must be numbers in [0, 1), got ${v.thresholds}\n`);
    return 2;
  }
  const r = await dyvteBench({ dir: v.dir, items, thresholds, threads: v.threads ? Number(v.threads) : undefined, onProgress: (w) => process.stderr.write(`${w}…\n`) });
  if (v.json) {
    process.stdout.write(`${JSON.stringify(r)}\n`);
    return 0;
  }
  const line = (name: string, x: { accuracy: number; flops: number; ms: number }) =>
    `${name.padEnd(16)} accuracy ${(100 * x.accuracy).toFixed(1).padStart(5)}%  LM ${(x.flops / 1e6).toFixed(1).padStart(7)} MFLOPs  ${x.ms.toFixed(1).padStart(6)} ms`;
  const out = [line('no exit', r.no_exit), ...r.fixed.map((f) => line(`exit after L${f.layer}`, f))];
  if (r.dyvte) out.push(`${line('DyVTE', r.dyvte)}  (saves ${(100 * r.dyvte.flops_saved).toFixed(1)}% FLOPs, exits ${(100 * r.dyvte.exit_rate).toFixed(0)}%, mean layer ${r.dyvte.mean_exit_layer ?? '–'})`);
  for (const t of r.dyvte_thresholds ?? []) out.push(`${line(`DyVTE p>${t.threshold}`, t)}  (saves ${(100 * t.flops_saved).toFixed(1)}% FLOPs)`);
  if (r.meta.note) out.push(`note: ${r.meta.note}`);
  process.stdout.write(`${out.join('\n')}\n(${r.meta.items} held-out items)\n`);
  return 0;
}
