import { describe, expect, it } from 'vitest';
import { createNodeRuntime } from './nodeCpu.ts';
import { createNodeWasmRuntime } from './nodeWasm.ts';
import { demoInput, demoMlpBytes, DEMO_MLP } from '../../zoo/demo/demoMlp.ts';

/** Run the demo MLP on a runtime for a batch of 2 and read the output back. */
async function runOn(create: () => Promise<import('../Runtime.ts').Runtime>): Promise<{ y: Float32Array; eps: readonly string[] | undefined; backend: string }> {
  const rt = await create();
  const s = await rt.createSession(demoMlpBytes());
  const out = await s.run({ x: rt.tensor('float32', demoInput(3, 2), [2, DEMO_MLP.inputs]) });
  const y = (await rt.read(out.probs)) as Float32Array;
  const r = { y, eps: s.executionProviders, backend: rt.backend };
  await rt.dispose();
  return r;
}

describe('node runtimes', () => {
  it('node-cpu and node-wasm agree on the demo MLP within 1e-5 and report their backend', async () => {
    const cpu = await runOn(() => createNodeRuntime({ threads: 1 }));
    const wasm = await runOn(createNodeWasmRuntime);
    expect(cpu.backend).toBe('node-cpu');
    expect(wasm.backend).toBe('node-wasm');
    expect(cpu.eps).toEqual(['cpu']);
    expect(wasm.eps).toEqual(['wasm']);
    expect(cpu.y.length).toBe(2 * DEMO_MLP.outputs);
    // softmax rows sum to 1
    expect(cpu.y.slice(0, 16).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    for (let i = 0; i < cpu.y.length; i++) expect(Math.abs(cpu.y[i] - wasm.y[i])).toBeLessThan(1e-5);
  });

  it('sessions expose declared I/O and refuse to run after dispose', async () => {
    const rt = await createNodeRuntime({ threads: 1 });
    const s = await rt.createSession(demoMlpBytes());
    expect(s.inputs).toEqual([{ name: 'x', dtype: 'float32', shape: ['batch', 64] }]);
    expect(s.outputs).toEqual([{ name: 'probs', dtype: 'float32', shape: ['batch', 16] }]);
    await s.dispose();
    await expect(s.run({ x: rt.tensor('float32', demoInput(0), [1, 64]) })).rejects.toThrow(/disposed/);
    expect(rt.caps.webgpu).toBe(false);
    expect(rt.caps.shaderF16).toBe(false);
    expect(rt.caps.cores).toBeGreaterThan(0);
    await rt.dispose();
  });
});
