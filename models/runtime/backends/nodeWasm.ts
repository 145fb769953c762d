/**
 * 'node-wasm': onnxruntime-web's wasm build running in Node (the `node` export condition
 * resolves `onnxruntime-web` to ort.node.min.mjs: CPU wasm EP, single thread). It executes
 * the same wasm kernels the browser fallback does, so parity tests can compare it with
 * onnxruntime-node without a browser.
 */
import * as ort from 'onnxruntime-web';
import { availableParallelism } from 'node:os';
import type { Runtime, Session, SessionOptions, TensorDType, TypedArray, Tensor } from '../Runtime.ts';
import { probeCapabilities } from '../../capabilities.ts';
import { OrtSession, SessionSet, baseSessionOptions, readTensor, type OrtModule } from './ortSession.ts';

export async function createNodeWasmRuntime(): Promise<Runtime> {
  const caps = await probeCapabilities({ cores: availableParallelism() });
  ort.env.wasm.numThreads = 1;
  const sessions = new SessionSet();
  const m = ort as unknown as OrtModule;
  return {
    backend: 'node-wasm',
    caps,
    async createSession(model: Uint8Array | string, so?: SessionOptions): Promise<Session> {
      return sessions.track(new OrtSession(await m.InferenceSession.create(model, baseSessionOptions(so, ['wasm'])), ['wasm']));
    },
    tensor(dtype: TensorDType, data: TypedArray, dims: readonly number[]): Tensor {
      return new m.Tensor(dtype, data, dims);
    },
    read: readTensor,
    dispose: () => sessions.disposeAll(),
  };
}
