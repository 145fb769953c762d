/**
 * Per-layer KV cache bookkeeping shared by the micro-VLM (VlmModel) and the real per-layer
 * executor (real/LayerwiseVlm): each decode step hands back a grown cache per layer, and the
 * tensors it replaces (GPU buffers on WebGPU) must be released at once, not left to the GC.
 */
import type { Tensor } from '../../runtime/Runtime.ts';

export interface LayerKv {
  keys: Tensor[];
  values: Tensor[];
}

/** Put layer i's new cache in place, disposing the one it replaces. */
export function replaceLayerKv(kv: LayerKv, i: number, key: Tensor, value: Tensor): void {
  kv.keys[i].dispose?.();
  kv.values[i].dispose?.();
  kv.keys[i] = key;
  kv.values[i] = value;
}

/** Dispose every layer's cache and empty the lists. */
export function releaseKv(kv: LayerKv): void {
  for (const t of [...kv.keys, ...kv.values]) t.dispose?.();
  kv.keys.length = 0;
  kv.values.length = 0;
}
