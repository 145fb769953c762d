/** Backend choice for a browser job, without importing onnxruntime (the worker host and tests use it). */
import type { Capabilities } from '../Runtime.ts';

export type BrowserBackend = 'webgpu' | 'wasm';

/**
 * 'auto' → WebGPU when the probe found a usable adapter, else wasm with the probe's
 * reason as `fallbackReason`. Explicit choices are honoured as-is (no silent fallback).
 */
export function pickBrowserBackend(choice: 'auto' | BrowserBackend, caps: Capabilities): { backend: BrowserBackend; fallbackReason?: string } {
  if (choice !== 'auto') return { backend: choice };
  if (caps.webgpu) return { backend: 'webgpu' };
  return { backend: 'wasm', fallbackReason: caps.webgpuUnavailableReason ?? 'WebGPU unavailable' };
}
