/**
 * Backend parity on a gradient graph: the same ONNX forward+backward graph runs on WebGPU
 * and on wasm in Chromium (through the worker's 'graph-run' job) and on onnxruntime-node
 * here; every output must agree within 1e-4. The case comes from the autodiff engine's
 * fixture (models/graph/fixtures/parityGraph.ts, `makeParityCase()`) when it exists,
 * otherwise from the hand-written tanh/MSE gradient graph in models/zoo/demo/gradGraph.ts.
 */
import { expect, test } from '@playwright/test';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createNodeRuntime } from '../models/runtime/backends/nodeCpu.ts';
import { makeGradParityCase, type ParityCase } from '../models/zoo/demo/gradGraph.ts';
import type { GraphRunOutput } from '../app/testing/hooks.ts';

const TOL = 1e-4;
const AUTODIFF_FIXTURE = join(process.cwd(), 'models', 'graph', 'fixtures', 'parityGraph.ts');

async function parityCase(): Promise<{ source: string; c: ParityCase }> {
  if (existsSync(AUTODIFF_FIXTURE)) {
    const mod = (await import(pathToFileURL(AUTODIFF_FIXTURE).href)) as { makeParityCase(): ParityCase };
    return { source: 'models/graph/fixtures/parityGraph.ts (autodiff)', c: mod.makeParityCase() };
  }
  return { source: 'models/zoo/demo/gradGraph.ts (hand-written)', c: makeGradParityCase() };
}

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

test('gradient graph: WebGPU and wasm in Chromium match onnxruntime-node within 1e-4', async ({ page }) => {
  const { source, c } = await parityCase();
  test.info().annotations.push({ type: 'parity case', description: source });
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
    for (const name of c.fetch) {
      const got = r.outputs[name];
      expect(got, `${backend} output ${name}`).toBeDefined();
      expect(got.location).toBe(backend === 'webgpu' ? 'gpu-buffer' : 'cpu');
      expect(got.data.length).toBe(ref[name].length);
      const worst = Math.max(0, ...got.data.map((v, i) => Math.abs(v - ref[name][i])));
      expect(worst, `${backend} ${name}: max |diff| ${worst}`).toBeLessThan(TOL);
    }
  }
});
