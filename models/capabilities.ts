/**
 * Capability probe: what this process/tab can run. Runs once (memoised) and is consulted
 * everywhere: the loader refuses models whose `needs` the adapter cannot meet *before*
 * downloading them, the browser runtime picks WebGPU or wasm, the status bar shows it.
 * Works in a window, a worker and in Node (where WebGPU is reported as unavailable and
 * shader-f16 as false unless an adapter says otherwise).
 */
import type { Capabilities } from './runtime/Runtime.ts';

export type { Capabilities };

interface ProbeEnv {
  gpu?: GPU;
  storage?: { estimate(): Promise<{ usage?: number; quota?: number }> };
  cores?: number;
  /** Also request a device, to catch adapters that are listed but cannot be used. */
  requestDevice?: boolean;
}

function defaultEnv(): ProbeEnv {
  const nav = (globalThis as { navigator?: Navigator }).navigator;
  return {
    gpu: nav?.gpu,
    storage: nav?.storage?.estimate ? nav.storage : undefined,
    cores: nav?.hardwareConcurrency,
    requestDevice: true,
  };
}

/** Probe without memoising (tests inject a fake environment). */
export async function probeCapabilitiesIn(env: ProbeEnv): Promise<Capabilities> {
  const caps: Capabilities = { webgpu: false, shaderF16: false, cores: Math.max(1, env.cores ?? 1) };
  if (env.storage) {
    try {
      const e = await env.storage.estimate();
      caps.storage = { usage: e.usage ?? 0, quota: e.quota ?? 0 };
    } catch (_err) {
      // Some contexts (opaque origins) throw; storage is then simply unknown.
    }
  }
  if (!env.gpu) {
    caps.webgpuUnavailableReason = 'no navigator.gpu (this browser or context has no WebGPU)';
    return caps;
  }
  let adapter: GPUAdapter | null;
  try {
    adapter = await env.gpu.requestAdapter();
  } catch (err) {
    caps.webgpuUnavailableReason = `requestAdapter() failed: ${(err as Error).message}`;
    return caps;
  }
  if (!adapter) {
    caps.webgpuUnavailableReason = 'no WebGPU adapter (requestAdapter() returned null; GPU blocked or disabled)';
    return caps;
  }
  const info = adapter.info;
  caps.adapter = {
    vendor: info?.vendor ?? '',
    architecture: info?.architecture ?? '',
    description: info?.description ?? '',
    isFallbackAdapter: Boolean(info?.isFallbackAdapter ?? (adapter as { isFallbackAdapter?: boolean }).isFallbackAdapter),
  };
  caps.shaderF16 = adapter.features.has('shader-f16');
  caps.maxBufferSize = adapter.limits.maxBufferSize;
  caps.maxStorageBufferBindingSize = adapter.limits.maxStorageBufferBindingSize;
  if (env.requestDevice) {
    try {
      const device = await adapter.requestDevice();
      device.destroy();
    } catch (err) {
      caps.webgpuUnavailableReason = `WebGPU device request failed: ${(err as Error).message}`;
      return caps;
    }
  }
  caps.webgpu = true;
  return caps;
}

let once: Promise<Capabilities> | undefined;

/** The probe, run once per process/tab. `cores` overrides navigator.hardwareConcurrency (Node 20 has no navigator). */
export function probeCapabilities(overrides?: { cores?: number }): Promise<Capabilities> {
  once ??= probeCapabilitiesIn({ ...defaultEnv(), ...(overrides?.cores ? { cores: overrides.cores } : {}) });
  return once;
}
