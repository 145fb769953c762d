import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Runtime } from '../../models/runtime/Runtime.ts';
import { createNodeRuntime } from '../../models/runtime/backends/nodeCpu.ts';
import { ModelRegistry } from '../../models/registry.ts';
import { NodeCache } from '../../models/cache/nodeCache.ts';
import { nodeFetchFile } from '../../models/loader/nodeFetchFile.ts';
import { SessionPool } from '../../models/loader/SessionPool.ts';
import { MODEL_MANIFESTS } from '../../models/manifests/index.ts';
import { demoInput, demoMlpBytes } from '../../models/zoo/demo/demoMlp.ts';
import type { JobEvent } from '../core/events.ts';
import { executeTask } from '../registry.ts';

const dir = mkdtempSync(join(tmpdir(), 'atelier-demo-'));
let rt: Runtime;
let pool: SessionPool;
beforeAll(async () => {
  rt = await createNodeRuntime({ threads: 1 });
  const reg = new ModelRegistry(MODEL_MANIFESTS, new NodeCache(dir), nodeFetchFile(), async () => rt.caps);
  pool = new SessionPool(reg);
});
afterAll(async () => {
  await pool.dispose();
  await rt.dispose();
  rmSync(dir, { recursive: true, force: true });
});

async function job(spec: { task: string; input?: unknown; params?: unknown }, abortAfterMs?: number) {
  const events: JobEvent[] = [];
  const ctrl = new AbortController();
  if (abortAfterMs) setTimeout(() => ctrl.abort(), abortAfterMs);
  const models = { session: (id: string) => pool.session(rt, id) };
  const end = await executeTask(spec, rt, { signal: ctrl.signal, emit: (e) => events.push(e), models });
  return { events, end };
}

describe('demo task', () => {
  it('loads demo-mlp, steps k = 1..n monotonically with rate/ETA, and returns the final output', async () => {
    const { events, end } = await job({ task: 'demo', params: { steps: 5, pauseMs: 1 } });
    expect(end.type).toBe('complete');
    const steps = events.filter((e): e is Extract<JobEvent, { type: 'step' }> => e.type === 'step');
    expect(steps.map((s) => s.k)).toEqual([1, 2, 3, 4, 5]);
    expect(steps.every((s) => s.n === 5)).toBe(true);
    expect(steps.at(-1)!.rate).toBeGreaterThan(0);
    expect(steps.at(-1)!.etaS).toBe(0);
    expect(events.filter((e) => e.type === 'metric')).toHaveLength(5);
    const result = (end as { result: { probs: number[]; backend: string } }).result;
    // the result equals a direct run of the same model on step 5's input
    const s = await rt.createSession(demoMlpBytes());
    const ref = (await rt.read((await s.run({ x: rt.tensor('float32', demoInput(5), [1, 64]) })).probs)) as Float32Array;
    await s.dispose();
    expect(result.backend).toBe('node-cpu');
    result.probs.forEach((p, i) => expect(p).toBeCloseTo(ref[i], 6));
  });

  it('cancels within one step', async () => {
    const { events, end } = await job({ task: 'demo', params: { steps: 1000, pauseMs: 20 } }, 150);
    expect(end).toEqual({ type: 'canceled' });
    const ks = events.filter((e) => e.type === 'step').length;
    expect(ks).toBeGreaterThan(0);
    expect(ks).toBeLessThan(50);
  });

  it('graph-run returns outputs as arrays with their location; unknown tasks fail clearly', async () => {
    const { end } = await job({
      task: 'graph-run',
      input: { model: Array.from(demoMlpBytes()), feeds: { x: { dtype: 'float32', dims: [1, 64], data: Array.from(demoInput(2)) } } },
    });
    expect(end.type).toBe('complete');
    const r = (end as { result: { backend: string; executionProviders: string[]; outputs: Record<string, { dims: number[]; data: number[]; location: string }> } }).result;
    expect(r.backend).toBe('node-cpu');
    expect(r.executionProviders).toEqual(['cpu']);
    expect(r.outputs.probs.dims).toEqual([1, 16]);
    expect(r.outputs.probs.location).toBe('cpu');
    expect(r.outputs.probs.data.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    expect((await job({ task: 'nope' })).end).toMatchObject({ type: 'error', message: expect.stringMatching(/unknown task "nope"/) });
  });
});
