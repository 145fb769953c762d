/**
 * 'demo': the first model end to end. Loads demo-mlp (through the job host's model
 * provider: verified, cached, I/O-checked), then runs it `steps` times on a k-dependent
 * input with a short pause per step, so progress is visible and cancel is testable.
 * Emits phase / step / metric; the result is the final output row.
 */
import type { PipelineRun } from '../core/events.ts';
import { throwIfAborted } from '../core/events.ts';
import { sleep } from '../core/runJob.ts';
import { DEMO_MLP, demoInput } from '../../models/zoo/demo/demoMlp.ts';

export interface DemoParams {
  steps: number;
  /** Pause after each step, ms. */
  pauseMs: number;
}

export interface DemoResult {
  model: string;
  backend: string;
  steps: number;
  /** The last step's output probabilities. */
  probs: number[];
  argmax: number;
}

export const demoDefaults: DemoParams = { steps: 40, pauseMs: 50 };

export const run: PipelineRun<unknown, DemoParams, DemoResult> = async (rt, _input, params, ctx) => {
  if (!ctx.models) throw new Error('the demo pipeline needs a model provider (ctx.models)');
  const n = Math.max(1, Math.floor(params.steps));
  ctx.emit({ type: 'phase', phase: 'compile', label: `loading ${DEMO_MLP.id} on ${rt.backend}` });
  const session = await ctx.models.session(DEMO_MLP.id);
  throwIfAborted(ctx.signal);
  ctx.emit({ type: 'phase', phase: 'steps' });
  let probs: Float32Array = new Float32Array(0);
  for (let k = 1; k <= n; k++) {
    throwIfAborted(ctx.signal);
    const out = await session.run({ x: rt.tensor('float32', demoInput(k), [1, DEMO_MLP.inputs]) });
    probs = (await rt.read(out.probs)) as Float32Array;
    const entropy = -probs.reduce((a, p) => a + (p > 0 ? p * Math.log(p) : 0), 0);
    ctx.emit({ type: 'metric', name: 'entropy', value: entropy, step: k });
    ctx.emit({ type: 'step', k, n, unit: 'it' });
    if (k < n && params.pauseMs > 0) await sleep(params.pauseMs, ctx.signal);
  }
  const arr = [...probs];
  return { model: DEMO_MLP.id, backend: rt.backend, steps: n, probs: arr, argmax: arr.indexOf(Math.max(...arr)) };
};
