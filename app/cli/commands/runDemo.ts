/**
 * `atelier run-demo [--steps N] [--pause ms] [--json]`: the demo job through the same
 * queue and task registry the studio uses, in-process on onnxruntime-node. Progress goes
 * to stderr; the result (or the --json object) to stdout.
 */
import { createNodeJobHost } from '../nodeHost.ts';
import { flag, has, type CliIo } from '../io.ts';

export async function run(args: string[], io: CliIo): Promise<number> {
  const steps = Number(flag(args, 'steps') ?? 40);
  const pauseMs = Number(flag(args, 'pause') ?? 0);
  if (!Number.isInteger(steps) || steps < 1 || !Number.isFinite(pauseMs) || pauseMs < 0) {
    io.err('usage: atelier run-demo [--steps N>=1] [--pause ms>=0] [--json]');
    return 2;
  }
  const host = createNodeJobHost();
  try {
    host.queue.onEvent((_id, e) => {
      if (e.type === 'phase') io.err(`[${e.phase}]${e.label ? ` ${e.label}` : ''}`);
      else if (e.type === 'step' && (e.k === e.n || e.k % 10 === 0)) io.err(`step ${e.k}/${e.n}${e.rate ? ` ${e.rate.toFixed(1)} it/s` : ''}${e.etaS !== undefined ? ` eta ${e.etaS.toFixed(1)}s` : ''}`);
      else if (e.type === 'warning') io.err(`warning: ${e.message}`);
    });
    const id = host.queue.enqueue({ task: 'demo', label: 'run-demo', params: { steps, pauseMs } });
    const job = await host.queue.whenDone(id);
    const ms = (job.endedAt ?? 0) - (job.startedAt ?? 0);
    if (job.status !== 'done') {
      io.err(`demo ${job.status}: ${job.error ?? ''}`);
      return 1;
    }
    const r = job.result as { probs: number[]; argmax: number; backend: string };
    if (has(args, 'json')) io.out(JSON.stringify({ ...r, steps, ms }));
    else io.out(`demo on ${r.backend}: ${steps} steps in ${ms} ms, argmax ${r.argmax}, p=${r.probs[r.argmax].toFixed(4)}`);
    return 0;
  } finally {
    await host.dispose();
  }
}
