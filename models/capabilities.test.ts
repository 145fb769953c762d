import { describe, expect, it } from 'vitest';
import { probeCapabilitiesIn } from './capabilities.ts';

function fakeAdapter(features: string[], opts?: { deviceFails?: boolean }): GPUAdapter {
  return {
    info: { vendor: 'google', architecture: 'swiftshader', description: 'SwiftShader', isFallbackAdapter: true },
    features: new Set(features),
    limits: { maxBufferSize: 2 ** 30, maxStorageBufferBindingSize: 2 ** 27 },
    requestDevice: async () => {
      if (opts?.deviceFails) throw new Error('device lost at creation');
      return { destroy() {} };
    },
  } as unknown as GPUAdapter;
}
const gpu = (adapter: GPUAdapter | null) => ({ requestAdapter: async () => adapter }) as unknown as GPU;

describe('capability probe', () => {
  it('records adapter info, shader-f16, limits, storage and cores', async () => {
    const caps = await probeCapabilitiesIn({
      gpu: gpu(fakeAdapter(['shader-f16'])), cores: 8, requestDevice: true,
      storage: { estimate: async () => ({ usage: 10, quota: 1000 }) },
    });
    expect(caps).toEqual({
      webgpu: true, shaderF16: true, cores: 8, maxBufferSize: 2 ** 30, maxStorageBufferBindingSize: 2 ** 27,
      storage: { usage: 10, quota: 1000 },
      adapter: { vendor: 'google', architecture: 'swiftshader', description: 'SwiftShader', isFallbackAdapter: true },
    });
  });

  it('gives a reason for each way WebGPU can be missing', async () => {
    expect((await probeCapabilitiesIn({})).webgpuUnavailableReason).toMatch(/no navigator\.gpu/);
    expect((await probeCapabilitiesIn({ gpu: gpu(null) })).webgpuUnavailableReason).toMatch(/no WebGPU adapter/);
    const failing = await probeCapabilitiesIn({ gpu: gpu(fakeAdapter([], { deviceFails: true })), requestDevice: true });
    expect(failing.webgpu).toBe(false);
    expect(failing.shaderF16).toBe(false);
    expect(failing.webgpuUnavailableReason).toMatch(/device request failed: device lost at creation/);
  });
});
