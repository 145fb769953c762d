import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createNodeRuntime } from '../../models/runtime/backends/nodeCpu.ts';
import type { Runtime } from '../../models/runtime/Runtime.ts';
import { ModelRegistry } from '../../models/registry.ts';
import { NodeCache } from '../../models/cache/nodeCache.ts';
import { nodeFetchFile } from '../../models/loader/nodeFetchFile.ts';
import { allManifests } from '../../models/manifests/index.ts';
import { FIXTURE_MANIFESTS } from '../../models/manifests/fixtures.ts';
import { WorkerHost } from './WorkerHost.ts';
import { WorkerStudioClient, LoadFailure, type WorkerLike } from './client.ts';
import type { FromWorker, ToWorker } from './protocol.ts';
import type { JobView, ModelView } from './StudioClient.ts';
import { encodeModel } from '../../models/graph/encode.ts';
import { tinyClipVision, uvSphere } from '../../pipelines/xmesh/testing.ts';

const dir = mkdtempSync(join(tmpdir(), 'atelier-client-'));
const runtimes: Runtime[] = [];

/** The real client and the real worker host, joined by structured-clone message passing in-process. */
async function pair(fixtures: boolean): Promise<WorkerStudioClient> {
  const rt = await createNodeRuntime({ threads: 1 });
  runtimes.push(rt);
  // Node has no WebGPU: the probe says so, as in a browser without an adapter.
  const caps = { ...rt.caps, maxBufferSize: 2 ** 30 };
  const listeners: ((e: MessageEvent<FromWorker>) => void)[] = [];
  const host = new WorkerHost({
    caps: async () => caps,
    createRuntime: () => rt,
    makeRegistry: (fx) => new ModelRegistry(allManifests({ fixtures: fx }), new NodeCache(dir), nodeFetchFile(), async () => caps),
  }, (m) => setTimeout(() => listeners.forEach((l) => l({ data: structuredClone(m) } as MessageEvent<FromWorker>))));
  const worker: WorkerLike = {
    postMessage: (m: ToWorker) => setTimeout(() => host.handle(structuredClone(m))),
    addEventListener: ((type: string, fn: (e: MessageEvent<FromWorker>) => void) => { if (type === 'message') listeners.push(fn); }) as WorkerLike['addEventListener'],
    terminate: () => undefined,
  };
  return new WorkerStudioClient(worker, { fixtures });
}

afterAll(async () => {
  await Promise.all(runtimes.map((r) => r.dispose()));
  rmSync(dir, { recursive: true, force: true });
});

const until = (client: WorkerStudioClient, pred: (jobs: JobView[]) => boolean) => new Promise<void>((resolve) => {
  if (pred(client.jobs())) { resolve(); return; }
  const off = client.onJobs((j) => { if (pred(j)) { off(); resolve(); } });
});

describe('WorkerStudioClient over the worker host', () => {
  it('probes, and reports the wasm fallback reason when WebGPU is missing', async () => {
    const c = await pair(false);
    const p = await c.probe();
    expect(p.backend).toBe('wasm');
    expect(p.fallbackReason).toMatch(/navigator\.gpu/);
    c.dispose();
  });

  it('lists models (fixtures only when asked), loads demo-mlp with progress, deletes it', async () => {
    expect((await (await pair(false)).listModels()).map((m) => m.id)).toEqual(allManifests().map((m) => m.id));
    const c = await pair(true);
    const list = await c.listModels();
    expect(list.map((m) => m.id)).toEqual([...allManifests().map((m) => m.id), ...FIXTURE_MANIFESTS.map((f) => f.id)]);
    const views: ModelView[][] = [];
    c.onModels((m) => views.push(m));
    await c.loadModel('demo-mlp');
    const demo = (await c.listModels()).find((m) => m.id === 'demo-mlp')!;
    expect(demo).toMatchObject({ status: 'ready', cached: true, bytes: 21312 });
    expect(views.some((v) => v.find((m) => m.id === 'demo-mlp')?.progress?.loaded === 21312)).toBe(true);
    expect((await c.storage()).cachedBytes).toBeGreaterThanOrEqual(21312);
    await c.deleteModel('demo-mlp');
    expect((await c.listModels()).find((m) => m.id === 'demo-mlp')!.cached).toBe(false);
    c.dispose();
  });

  it('each fixture fails with its own code, on the promise and in the model view', async () => {
    const c = await pair(true);
    await c.listModels();
    for (const f of FIXTURE_MANIFESTS) {
      const err = await c.loadModel(f.id).then(() => undefined, (e: unknown) => e);
      expect(err, f.id).toBeInstanceOf(LoadFailure);
      expect((err as LoadFailure).code).toBe(f.expect);
      const view = (await c.listModels()).find((m) => m.id === f.id)!;
      expect(view.status).toBe('error');
      expect(view.error).toEqual({ code: f.expect, message: (err as Error).message });
    }
    c.dispose();
  });

  it('runs the demo job, cancels a queued and a running job, and shows all outcomes', async () => {
    const c = await pair(false);
    await c.deleteModel('demo-mlp').catch(() => undefined);
    await c.listModels();
    const states: string[] = [];
    c.onModels((ms) => states.push(ms.find((m) => m.id === 'demo-mlp')!.status));
    const done = c.enqueue({ task: 'demo', label: 'demo', input: {}, params: { steps: 3, pauseMs: 1 } });
    const queued = c.enqueue({ task: 'demo', label: 'queued', input: {}, params: { steps: 3 } });
    const running = c.enqueue({ task: 'demo', label: 'long', input: {}, params: { steps: 500, pauseMs: 20 } });
    c.cancel(queued);
    await until(c, (j) => j.find((x) => x.id === running)?.step?.k === 2);
    c.cancel(running);
    await until(c, (j) => j.every((x) => x.status !== 'running' && x.status !== 'queued'));
    const byId = Object.fromEntries(c.jobs().map((j) => [j.id, j]));
    expect(byId[done].status).toBe('done');
    expect((byId[done].result as { probs: number[] }).probs).toHaveLength(16);
    expect(byId[done].step).toMatchObject({ k: 3, n: 3 });
    expect(byId[done].events.some((e) => e.type === 'warning' && /running on wasm/.test(e.message))).toBe(true);
    expect(byId[done].events.some((e) => e.type === 'progress' && e.loaded === e.total && e.total === 21312)).toBe(true);
    expect(byId[queued].status).toBe('canceled');
    expect(byId[queued].startedAt).toBeUndefined();
    expect(byId[running].status).toBe('canceled');
    expect(byId[running].step!.k).toBeLessThan(500);
    // the job's model load is visible to the Models window: loading → ready
    expect(states).toContain('loading');
    expect(states.at(-1)).toBe('ready');
    expect((await c.listModels()).find((m) => m.id === 'demo-mlp')).toMatchObject({ status: 'ready', cached: true });
    c.dispose();
  });

  it('pauses a running xmesh job between iterations (phase shows it) and resumes it to the end', async () => {
    const c = await pair(false);
    const input = { mesh: uvSphere(4, 6), prompt: 'a red ball', clip: { vision: encodeModel(tinyClipVision(16, 8)), textEmbedding: Float32Array.from({ length: 8 }, (_, i) => Math.sin(i + 1)) } };
    const id = c.enqueue({ task: 'xmesh', input, params: { steps: 6, width: 8, depth: 1, frequencies: 4, views: 1, previewEvery: 3 } });
    await until(c, (j) => (j.find((x) => x.id === id)?.step?.k ?? 0) >= 2);
    c.pause(id);
    await until(c, (j) => j.find((x) => x.id === id)?.phase?.startsWith('paused at iteration') === true);
    const k = c.jobs().find((x) => x.id === id)!.step!.k;
    await new Promise((r) => setTimeout(r, 300));
    const held = c.jobs().find((x) => x.id === id)!;
    expect(held.status).toBe('running');
    expect(held.step!.k).toBe(k);
    c.resume(id);
    await until(c, (j) => j.find((x) => x.id === id)?.status === 'done');
    expect(c.jobs().find((x) => x.id === id)!.step).toMatchObject({ k: 6, n: 6 });
    c.dispose();
  });
});
