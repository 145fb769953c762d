/**
 * Backend parity on gradient graphs: the same ONNX forward+backward graph runs on WebGPU
 * and on wasm in Chromium (through the worker's 'graph-run' job) and on onnxruntime-node
 * here; every output must agree within 1e-4. Two cases: the autodiff engine's fixture
 * (models/graph/fixtures/parityGraph.ts: linear → LayerNorm → GELU → linear → softmax →
 * cross-entropy, gradients for every parameter and the input) and the hand-written
 * tanh/MSE gradient graph (models/zoo/demo/gradGraph.ts).
 */
import { expect, test, type Page } from '@playwright/test';
import { createNodeRuntime } from '../models/runtime/backends/nodeCpu.ts';
import { makeGradParityCase, type ParityCase } from '../models/zoo/demo/gradGraph.ts';
import { makeParityCase } from '../models/graph/fixtures/parityGraph.ts';
import type { GraphRunOutput } from '../app/testing/hooks.ts';

const TOL = 1e-4;

async function nodeOutputs(c: ParityCase): Promise<Record<string, number[]>> {
  const rt = await createNodeRuntime({ threads: 1 });
  try {
    const s = await rt.createSession(c.model);
    const feeds = Object.fromEntries(Object.entries(c.feeds).map(([k, f]) => [k, rt.tensor('float32', Float32Array.from(f.data), f.dims)]));
    const out = await s.run(feeds, c.fetch);
    const res: Record<string, number[]> = {};
    for (const name of c.fetch) res[name] = Array.from((await rt.read(out[name])) as Float32Array);
    return res;
  } finally {
    await rt.dispose();
  }
}

async function expectParity(page: Page, c: ParityCase): Promise<void> {
  const ref = await nodeOutputs(c);
  await page.goto('/');
  await page.waitForFunction(() => window.__atelier !== undefined);
  const bytes = Array.from(c.model);
  for (const backend of ['webgpu', 'wasm'] as const) {
    const r = (await page.evaluate(
      ([b, f, be, fe]) => window.__atelier!.runGraph(b, f, be, fe),
      [bytes, c.feeds, backend, c.fetch] as const,
    )) as GraphRunOutput;
    expect(r.backend).toBe(backend);
    expect(r.executionProviders).toEqual([backend]);
    expect(Object.keys(r.outputs).sort()).toEqual([...c.fetch].sort());
    for (const name of c.fetch) {
      const got = r.outputs[name];
      expect(got.location, `${backend} ${name}`).toBe(backend === 'webgpu' ? 'gpu-buffer' : 'cpu');
      expect(got.data.length, `${backend} ${name}`).toBe(ref[name].length);
      const worst = Math.max(0, ...got.data.map((v, i) => Math.abs(v - ref[name][i])));
      expect(worst, `${backend} ${name}: max |diff| ${worst}`).toBeLessThan(TOL);
    }
  }
}

test('autodiff gradient graph (LayerNorm, GELU, softmax CE): WebGPU and wasm match onnxruntime-node within 1e-4', async ({ page }) => {
  const c = makeParityCase();
  expect(c.fetch.length).toBeGreaterThan(2);
  await expectParity(page, c);
});

test('hand-written tanh/MSE gradient graph: WebGPU and wasm match onnxruntime-node within 1e-4', async ({ page }) => {
  await expectParity(page, makeGradParityCase());
});
