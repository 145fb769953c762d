import { describe, expect, it } from 'vitest';
import type { Capabilities } from '../Runtime.ts';
import { createBrowserRuntime } from './browser.ts';
import { pickBrowserBackend } from './pick.ts';
import { demoInput, demoMlpBytes } from '../../zoo/demo/demoMlp.ts';

const noGpu: Capabilities = { webgpu: false, shaderF16: false, cores: 2, webgpuUnavailableReason: 'no WebGPU adapter (requestAdapter() returned null)' };
const gpu: Capabilities = { webgpu: true, shaderF16: false, cores: 2 };

describe('browser backend selection', () => {
  it("'auto' picks WebGPU when the probe found it, else wasm with the probe's reason", () => {
    expect(pickBrowserBackend('auto', gpu)).toEqual({ backend: 'webgpu' });
    expect(pickBrowserBackend('auto', noGpu)).toEqual({ backend: 'wasm', fallbackReason: noGpu.webgpuUnavailableReason });
    expect(pickBrowserBackend('wasm', gpu)).toEqual({ backend: 'wasm' });
    expect(pickBrowserBackend('webgpu', noGpu)).toEqual({ backend: 'webgpu' });
  });

  it('an explicit WebGPU runtime without an adapter is refused with the reason, never silently wasm', () => {
    expect(() => createBrowserRuntime('webgpu', noGpu)).toThrow(/WebGPU requested but unavailable: no WebGPU adapter/);
  });

  // Under Node, onnxruntime-web/webgpu resolves to its wasm build, so the 'wasm' path runs here for real.
  it("the 'wasm' runtime creates ['wasm'] sessions and carries the fallback reason", async () => {
    const rt = createBrowserRuntime('wasm', noGpu, noGpu.webgpuUnavailableReason);
    expect(rt.backend).toBe('wasm');
    expect(rt.fallbackReason).toMatch(/no WebGPU adapter/);
    const s = await rt.createSession(demoMlpBytes(), { outputsOnGpu: true });
    expect(s.executionProviders).toEqual(['wasm']);
    const out = await s.run({ x: rt.tensor('float32', demoInput(1), [1, 64]) });
    expect(out.probs.location).toBe('cpu'); // outputsOnGpu is ignored off WebGPU
    expect(((await rt.read(out.probs)) as Float32Array).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    await rt.dispose();
    await expect(s.run({ x: rt.tensor('float32', demoInput(1), [1, 64]) })).rejects.toThrow(/disposed/);
  });
});
