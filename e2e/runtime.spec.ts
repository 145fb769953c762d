/**
 * The runtime in a real browser: Debian Chromium's WebGPU adapter (SwiftShader) is found,
 * 'graph-run' jobs on 'webgpu' really ran on the WebGPU EP (sessions created with
 * ['webgpu'] only, outputs came back as 'gpu-buffer' tensors — read as numbers, not
 * pixels), and the demo model's outputs on WebGPU and wasm match onnxruntime-node's
 * (computed here, in the spec's Node process) within 1e-4.
 */
import { expect, test, type Page } from '@playwright/test';
import { createNodeRuntime } from '../models/runtime/backends/nodeCpu.ts';
import { DEMO_MLP, demoInput, demoMlpBytes } from '../models/zoo/demo/demoMlp.ts';
import type { GraphRunOutput } from '../app/testing/hooks.ts';

const TOL = 1e-4;

async function nodeReference(x: Float32Array, batch: number): Promise<number[]> {
  const rt = await createNodeRuntime({ threads: 1 });
  try {
    const s = await rt.createSession(demoMlpBytes());
    const out = await s.run({ x: rt.tensor('float32', x, [batch, DEMO_MLP.inputs]) });
    return Array.from((await rt.read(out.probs)) as Float32Array);
  } finally {
    await rt.dispose();
  }
}

function expectClose(actual: number[], expected: number[], what: string): void {
  expect(actual.length, what).toBe(expected.length);
  const worst = Math.max(...actual.map((a, i) => Math.abs(a - expected[i])));
  expect(worst, `${what}: max |diff| ${worst}`).toBeLessThan(TOL);
}

async function openStudio(page: Page): Promise<void> {
  await page.goto('/');
  await page.waitForFunction(() => window.__atelier !== undefined);
}

test('the WebGPU adapter is found and chosen by default', async ({ page }) => {
  await openStudio(page);
  const probe = await page.evaluate(() => window.__atelier!.probe());
  expect(probe.caps.webgpu).toBe(true);
  expect(probe.backend).toBe('webgpu');
  expect(probe.fallbackReason).toBeUndefined();
  expect(probe.caps.adapter?.architecture).toBeTruthy();
  expect(probe.caps.shaderF16).toBe(false); // SwiftShader has no shader-f16
  expect(probe.caps.maxBufferSize).toBeGreaterThan(0);
  expect(probe.caps.cores).toBeGreaterThan(0);
  test.info().annotations.push({ type: 'adapter', description: JSON.stringify(probe.caps.adapter) });
});

test('graph-run really uses the WebGPU EP (gpu-buffer outputs) and matches onnxruntime-node', async ({ page }) => {
  await openStudio(page);
  const batch = 2;
  const x = demoInput(3, batch);
  const ref = await nodeReference(x, batch);
  const feeds = { x: { dtype: 'float32' as const, dims: [batch, DEMO_MLP.inputs], data: Array.from(x) } };
  const bytes = Array.from(demoMlpBytes());
  const run = (backend: 'webgpu' | 'wasm') => page.evaluate(
    ([b, f, be]) => window.__atelier!.runGraph(b, f, be),
    [bytes, feeds, backend] as const,
  ) as Promise<GraphRunOutput>;

  const gpu = await run('webgpu');
  expect(gpu.backend).toBe('webgpu');
  expect(gpu.executionProviders).toEqual(['webgpu']);
  expect(gpu.outputs.probs.location).toBe('gpu-buffer');
  expect(gpu.outputs.probs.dims).toEqual([batch, DEMO_MLP.outputs]);
  expectClose(gpu.outputs.probs.data, ref, 'webgpu vs onnxruntime-node');

  const wasm = await run('wasm');
  expect(wasm.backend).toBe('wasm');
  expect(wasm.executionProviders).toEqual(['wasm']);
  expect(wasm.outputs.probs.location).toBe('cpu');
  expectClose(wasm.outputs.probs.data, ref, 'wasm vs onnxruntime-node');

  // The first WebGPU session was released; a new one must still get a live device.
  const again = await run('webgpu');
  expect(again.outputs.probs.location).toBe('gpu-buffer');
  expectClose(again.outputs.probs.data, ref, 'second webgpu session vs onnxruntime-node');
});

test('the demo job runs in the worker on WebGPU and on wasm and matches Node', async ({ page }) => {
  await openStudio(page);
  const steps = 3;
  const ref = await nodeReference(demoInput(steps), 1);
  for (const backend of ['webgpu', 'wasm'] as const) {
    const job = await page.evaluate(
      ([be, n]) => window.__atelier!.runJob({ task: 'demo', label: `demo on ${be}`, backend: be, input: {}, params: { steps: n, pauseMs: 0 } }),
      [backend, steps] as const,
    );
    expect(job.status, job.error).toBe('done');
    const result = job.result as { backend: string; probs: number[]; steps: number };
    expect(result.backend).toBe(backend);
    expect(result.steps).toBe(steps);
    expect(job.step).toMatchObject({ k: steps, n: steps });
    expectClose(result.probs, ref, `demo on ${backend} vs onnxruntime-node`);
  }
});

test('model manager in the worker: demo-mlp caches in the Cache API; each broken fixture fails with its own code', async ({ page }) => {
  await page.goto('/?fixtures=1');
  await page.waitForFunction(() => window.__atelier !== undefined);
  const outcome = await page.evaluate(async () => {
    const c = window.__atelier!.client;
    const ids = (await c.listModels()).map((m) => m.id);
    for (const id of ids) if (id === 'demo-mlp') await c.deleteModel(id);
    await c.loadModel('demo-mlp');
    const failures: Record<string, { code?: string; message: string }> = {};
    for (const id of ids.filter((i) => i.startsWith('fixture-'))) {
      try {
        await c.loadModel(id);
        failures[id] = { message: 'loaded without error' };
      } catch (_e) {
        const v = (await c.listModels()).find((m) => m.id === id)!;
        failures[id] = { code: v.error?.code, message: v.error?.message ?? '' };
      }
    }
    const demo = (await c.listModels()).find((m) => m.id === 'demo-mlp')!;
    return { ids, demo: { cached: demo.cached, status: demo.status }, storage: await c.storage(), failures };
  });
  expect(outcome.demo).toEqual({ cached: true, status: 'ready' });
  expect(outcome.storage.cachedBytes).toBeGreaterThanOrEqual(21312);
  expect(outcome.storage.quota).toBeGreaterThan(0);
  const codes = Object.fromEntries(Object.entries(outcome.failures).map(([id, f]) => [id, f.code]));
  expect(codes).toEqual({
    'fixture-unreachable': 'unreachable',
    'fixture-sha256-mismatch': 'sha256-mismatch',
    'fixture-truncated': 'truncated',
    'fixture-not-onnx': 'not-onnx',
    'fixture-io-mismatch': 'io-mismatch',
    'fixture-needs-f16': 'needs-f16',
    'fixture-needs-buffer': 'needs-buffer',
  });
  for (const [id, f] of Object.entries(outcome.failures)) expect(f.message, id).toContain(`"${id}"`);
  expect(outcome.failures['fixture-needs-f16'].message).toMatch(/swiftshader/i);
});
