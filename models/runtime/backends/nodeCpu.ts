/**
 * 'node-cpu': onnxruntime-node with the CPU EP, intra-op threads = cores. The runtime for
 * the CLI, unit tests, training and the reference side of parity tests.
 */
import * as ort from 'onnxruntime-node';
import { availableParallelism } from 'node:os';
import type { Runtime, Session, SessionOptions, TensorDType, TypedArray, Tensor } from '../Runtime.ts';
import { probeCapabilities } from '../../capabilities.ts';
import { OrtSession, SessionSet, baseSessionOptions, readTensor, type OrtModule } from './ortSession.ts';

export async function createNodeRuntime(opts?: { threads?: number }): Promise<Runtime> {
  const cores = availableParallelism();
  const caps = await probeCapabilities({ cores });
  const threads = opts?.threads ?? cores;
  const sessions = new SessionSet();
  const m = ort as unknown as OrtModule;
  return {
    backend: 'node-cpu',
    caps,
    async createSession(model: Uint8Array | string, so?: SessionOptions): Promise<Session> {
      const o = { ...baseSessionOptions(so, ['cpu']), intraOpNumThreads: threads, interOpNumThreads: 1 };
      return sessions.track(new OrtSession(await m.InferenceSession.create(model, o), ['cpu']));
    },
    tensor(dtype: TensorDType, data: TypedArray, dims: readonly number[]): Tensor {
      return new m.Tensor(dtype, data, dims);
    },
    read: readTensor,
    dispose: () => sessions.disposeAll(),
  };
}
