/**
 * 'graph-run': run arbitrary ONNX bytes with plain-array feeds on the job's backend and
 * return the outputs as plain arrays plus the location each output tensor had before it
 * was read ('gpu-buffer' proves the WebGPU EP produced it on the GPU). Used by parity
 * tests (browser vs onnxruntime-node) and the test hooks.
 */
import type { PipelineRun } from '../core/events.ts';
import { throwIfAborted } from '../core/events.ts';
import type { TensorDType, TypedArray } from '../../models/runtime/Runtime.ts';

export type FeedDType = 'float32' | 'int32' | 'int64' | 'uint8' | 'bool';

export interface GraphRunInput {
  model: Uint8Array | number[];
  feeds: Record<string, { dtype: FeedDType; dims: number[]; data: number[] }>;
  /** Outputs to compute (default: all). */
  fetch?: string[];
  /** Ask for GPU-resident outputs (WebGPU only). */
  outputsOnGpu?: boolean;
}

export interface GraphRunResult {
  backend: string;
  executionProviders: string[];
  outputs: Record<string, { dims: number[]; data: number[]; location: string; dtype: string }>;
}

function typed(dtype: FeedDType, data: number[]): TypedArray {
  switch (dtype) {
    case 'float32': return Float32Array.from(data);
    case 'int32': return Int32Array.from(data);
    case 'int64': return BigInt64Array.from(data, (v) => BigInt(Math.trunc(v)));
    case 'uint8': case 'bool': return Uint8Array.from(data);
  }
}

export const graphRunDefaults = {};

export const run: PipelineRun<GraphRunInput, unknown, GraphRunResult> = async (rt, input, _params, ctx) => {
  ctx.emit({ type: 'phase', phase: 'compile', label: `creating a ${rt.backend} session` });
  const bytes = input.model instanceof Uint8Array ? input.model : Uint8Array.from(input.model);
  const session = await rt.createSession(bytes, { outputsOnGpu: input.outputsOnGpu });
  try {
    throwIfAborted(ctx.signal);
    const feeds = Object.fromEntries(Object.entries(input.feeds).map(([name, f]) => [name, rt.tensor(f.dtype as TensorDType, typed(f.dtype, f.data), f.dims)]));
    ctx.emit({ type: 'phase', phase: 'steps', label: 'running' });
    const out = await session.run(feeds, input.fetch);
    const outputs: GraphRunResult['outputs'] = {};
    for (const [name, t] of Object.entries(out)) {
      const location = t.location; // before read(): reading a GPU tensor moves it to the CPU
      const data = await rt.read(t);
      outputs[name] = { dims: [...t.dims], dtype: t.type, location, data: Array.from(data as ArrayLike<number | bigint>, Number) };
      if (location === 'gpu-buffer') t.dispose();
    }
    return { backend: rt.backend, executionProviders: [...(session.executionProviders ?? [])], outputs };
  } finally {
    await session.dispose();
  }
};
