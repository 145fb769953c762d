/**
 * Browser backends, both from `onnxruntime-web/webgpu` (the native C++ WebGPU EP; the
 * JSEP default import silently returns zeros for fp16 on adapters without shader-f16,
 * specs/runtime.md §0.3):
 *   - 'webgpu': sessions created with executionProviders ['webgpu'] only — no silent
 *     per-session fallback to wasm; outputs stay on the GPU ('gpu-buffer') when asked.
 *   - 'wasm':   the same package with ['wasm']; used when WebGPU is unavailable (the probe's
 *     reason becomes `fallbackReason`) or when a job asks for it explicitly.
 * One ORT instance per worker, so chained WebGPU sessions share ORT's GPUDevice.
 */
import * as ort from 'onnxruntime-web/webgpu';
import type { Capabilities, Runtime, Session, SessionOptions, TensorDType, TypedArray, Tensor } from '../Runtime.ts';
import { OrtSession, SessionSet, baseSessionOptions, readTensor, type OrtModule } from './ortSession.ts';

import type { BrowserBackend } from './pick.ts';

export type { BrowserBackend };
export { pickBrowserBackend } from './pick.ts';

let configured = false;
function configure(): void {
  if (configured) return;
  configured = true;
  // Threads need cross-origin isolation, which we do not ask for; saying 1 avoids ORT
  // spawning (and failing to spawn) nested workers and keeps the 2-core CI box calm.
  ort.env.wasm.numThreads = 1;
  ort.env.logLevel = 'warning';
}

/** A browser runtime on exactly this backend. Throws if 'webgpu' is asked for but the probe found none. */
export function createBrowserRuntime(backend: BrowserBackend, caps: Capabilities, fallbackReason?: string): Runtime {
  if (backend === 'webgpu' && !caps.webgpu) {
    throw new Error(`WebGPU requested but unavailable: ${caps.webgpuUnavailableReason ?? 'unknown reason'}`);
  }
  configure();
  const m = ort as unknown as OrtModule;
  const sessions = new SessionSet();
  return {
    backend,
    caps,
    fallbackReason,
    async createSession(model: Uint8Array | string, so?: SessionOptions): Promise<Session> {
      const eps = [backend];
      const o = baseSessionOptions(so, eps);
      if (backend === 'webgpu' && so?.outputsOnGpu) {
        o.preferredOutputLocation = so.outputsOnGpu === true
          ? 'gpu-buffer'
          : Object.fromEntries(so.outputsOnGpu.map((n) => [n, 'gpu-buffer' as const]));
      }
      return sessions.track(new OrtSession(await m.InferenceSession.create(model, o), eps));
    },
    tensor(dtype: TensorDType, data: TypedArray, dims: readonly number[]): Tensor {
      return new m.Tensor(dtype, data, dims);
    },
    read: readTensor,
    dispose: () => sessions.disposeAll(),
  };
}
