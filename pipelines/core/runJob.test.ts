import { describe, expect, it } from 'vitest';
import type { Runtime } from '../../models/runtime/Runtime.ts';
import { CanceledError, type JobEvent, type PipelineRun } from './events.ts';
import { runJob, sleep, stepTimer } from './runJob.ts';

const rt = {} as Runtime; // these pipelines never touch the runtime
const terminals = (ev: JobEvent[]) => ev.filter((e) => e.type === 'complete' || e.type === 'error' || e.type === 'canceled');

async function collect(run: PipelineRun, abortAfterMs?: number): Promise<{ events: JobEvent[]; result: JobEvent }> {
  const events: JobEvent[] = [];
  const ctrl = new AbortController();
  if (abortAfterMs !== undefined) setTimeout(() => ctrl.abort(), abortAfterMs);
  const result = await runJob(run, rt, undefined, undefined, { signal: ctrl.signal, emit: (e) => events.push(e) });
  return { events, result };
}

describe('runJob', () => {
  it('emits exactly one complete event with the result, last', async () => {
    const { events, result } = await collect(async (_rt, _i, _p, ctx) => {
      for (let k = 1; k <= 3; k++) ctx.emit({ type: 'step', k, n: 3 });
      return 42;
    });
    expect(result).toEqual({ type: 'complete', result: 42 });
    expect(terminals(events)).toEqual([result]);
    expect(events.at(-1)).toEqual(result);
    expect(events.filter((e) => e.type === 'step').map((e) => (e as { k: number }).k)).toEqual([1, 2, 3]);
  });

  it('turns thrown errors into one error event with the code', async () => {
    const { events, result } = await collect(async () => {
      throw Object.assign(new Error('boom'), { code: 'sha256-mismatch' });
    });
    expect(result).toEqual({ type: 'error', message: 'boom', code: 'sha256-mismatch' });
    expect(terminals(events)).toHaveLength(1);
  });

  it('turns CanceledError, AbortError and errors after abort into canceled, and drops late events', async () => {
    let lateEmit: (() => void) | undefined;
    const { events, result } = await collect(async (_rt, _i, _p, ctx) => {
      lateEmit = () => ctx.emit({ type: 'warning', message: 'too late' });
      for (let k = 1; k <= 100; k++) {
        ctx.emit({ type: 'step', k, n: 100 });
        await sleep(5, ctx.signal);
      }
      return 'never';
    }, 30);
    expect(result).toEqual({ type: 'canceled' });
    lateEmit!();
    expect(terminals(events)).toEqual([{ type: 'canceled' }]);
    expect(events.at(-1)).toEqual({ type: 'canceled' });
    const abortErr = await collect(async () => { throw new DOMException('aborted', 'AbortError'); });
    expect(abortErr.result).toEqual({ type: 'canceled' });
    const otherAfterAbort = await collect(async (_rt, _i, _p, ctx) => {
      await sleep(1000, ctx.signal).catch(() => undefined);
      throw new Error('ORT: session run failed');
    }, 10);
    expect(otherAfterAbort.result).toEqual({ type: 'canceled' });
    expect((await collect(async () => { throw new CanceledError(); })).result).toEqual({ type: 'canceled' });
  });

  it('adds rate and ETA to step events', () => {
    let t = 0;
    const timer = stepTimer(() => t);
    expect(timer({ type: 'step', k: 1, n: 11 })).toEqual({ type: 'step', k: 1, n: 11 });
    t = 2000; // 4 more steps in 2 s → 2 steps/s, 6 left → 3 s
    expect(timer({ type: 'step', k: 5, n: 11 })).toEqual({ type: 'step', k: 5, n: 11, rate: 2, etaS: 3 });
    expect(timer({ type: 'metric', name: 'x', value: 1 })).toEqual({ type: 'metric', name: 'x', value: 1 });
  });
});
