import { describe, expect, it } from 'vitest';
import type { JobEvent } from './events.ts';
import { JobQueue, type Executor } from './queue.ts';
import { runJob, sleep } from './runJob.ts';
import type { Runtime } from '../../models/runtime/Runtime.ts';

interface Spec { task: string; label?: string; steps: number; fail?: boolean }

/** A pipeline-backed executor: `steps` steps of 5 ms each. */
const exec: Executor<Spec> = ({ spec }, ctx) => runJob(async (_rt, _i, _p, c) => {
  for (let k = 1; k <= spec.steps; k++) {
    await sleep(5, c.signal);
    c.emit({ type: 'step', k, n: spec.steps });
  }
  if (spec.fail) throw new Error('failed on purpose');
  return spec.steps;
}, {} as Runtime, undefined, undefined, ctx);

describe('JobQueue', () => {
  it('runs jobs one at a time in order: queued → running → done | failed, each with exactly one terminal event', async () => {
    const q = new JobQueue(exec);
    const seen: Record<string, JobEvent[]> = {};
    q.onEvent((id, e) => (seen[id] ??= []).push(e));
    let maxRunning = 0;
    q.subscribe((jobs) => { maxRunning = Math.max(maxRunning, jobs.filter((j) => j.status === 'running').length); });
    const a = q.enqueue({ task: 't', steps: 3 });
    const b = q.enqueue({ task: 't', steps: 2, fail: true });
    expect(q.jobs().map((j) => j.status)).toEqual(['queued', 'queued']);
    const [ja, jb] = await Promise.all([q.whenDone(a), q.whenDone(b)]);
    expect(ja.status).toBe('done');
    expect(ja.result).toBe(3);
    expect(jb.status).toBe('failed');
    expect(jb.error).toBe('failed on purpose');
    expect(maxRunning).toBe(1);
    expect(jb.startedAt!).toBeGreaterThanOrEqual(ja.endedAt!);
    for (const id of [a, b]) {
      const ev = seen[id];
      const ks = ev.filter((e) => e.type === 'step').map((e) => (e as { k: number }).k);
      expect(ks).toEqual([...ks].sort((x, y) => x - y)); // monotonic
      expect(ev.filter((e) => ['complete', 'error', 'canceled'].includes(e.type))).toHaveLength(1);
      expect(['complete', 'error']).toContain(ev.at(-1)!.type);
    }
    expect(ja.step).toMatchObject({ k: 3, n: 3 });
  });

  it('cancels a queued job without running it, and a running job within one step', async () => {
    const q = new JobQueue(exec);
    const seen: Record<string, JobEvent[]> = {};
    q.onEvent((id, e) => (seen[id] ??= []).push(e));
    const running = q.enqueue({ task: 't', steps: 1000 });
    const queued = q.enqueue({ task: 't', steps: 2 });
    q.cancel(queued);
    expect(q.get(queued)!.status).toBe('canceled');
    await new Promise((r) => setTimeout(r, 40));
    expect(q.get(running)!.status).toBe('running');
    const t0 = Date.now();
    q.cancel(running);
    const j = await q.whenDone(running);
    expect(Date.now() - t0).toBeLessThan(100);
    expect(j.status).toBe('canceled');
    expect(j.step!.k).toBeLessThan(1000);
    expect(seen[queued]).toEqual([{ type: 'canceled' }]); // never started: no step events
    expect(seen[running].filter((e) => e.type === 'canceled')).toHaveLength(1);
  });

  it('reorders queued jobs and runs them in the new order', async () => {
    const q = new JobQueue(exec);
    const order: string[] = [];
    const blocker = q.enqueue({ task: 'blocker', steps: 4 });
    const ids = ['a', 'b', 'c'].map((l) => q.enqueue({ task: 't', label: l, steps: 1 }));
    q.onEvent((id, e) => { if (e.type === 'complete') order.push(q.get(id)!.label); });
    await new Promise((r) => setTimeout(r, 1)); // the blocker starts; the rest stay queued
    expect(q.get(blocker)!.status).toBe('running');
    q.reorder(ids[2], 0); // c, a, b
    q.reorder(ids[0], 99); // c, b, a (clamped to the end)
    expect(q.jobs().filter((j) => j.status === 'queued').map((j) => j.label)).toEqual(['c', 'b', 'a']);
    await Promise.all([blocker, ...ids].map((id) => q.whenDone(id)));
    expect(order).toEqual(['blocker', 'c', 'b', 'a']);
  });

  it('bounds the per-job event list', async () => {
    const q = new JobQueue(exec, { maxEvents: 3 });
    const j = await q.whenDone(q.enqueue({ task: 't', steps: 8 }));
    expect(j.events).toHaveLength(3);
    expect(j.events.map((e) => (e as { k: number }).k)).toEqual([6, 7, 8]);
  });
});
