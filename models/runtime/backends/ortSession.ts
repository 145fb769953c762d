/**
 * The part every onnxruntime flavour shares: wrap an `InferenceSession` as our `Session`,
 * build tensors, read them back. Each backend file passes in its own `ort` module
 * (onnxruntime-node, onnxruntime-web for Node, onnxruntime-web/webgpu), so the ORT import
 * itself stays confined to ./nodeCpu.ts, ./nodeWasm.ts and ./browser.ts.
 */
import type { InferenceSession, Tensor } from 'onnxruntime-common';
import type { IOInfo, Session, SessionOptions, TensorDType, TypedArray } from '../Runtime.ts';

/** The slice of an onnxruntime module we use; every flavour exports this shape. */
export interface OrtModule {
  InferenceSession: { create(model: Uint8Array | string, opts?: InferenceSession.SessionOptions): Promise<InferenceSession> };
  Tensor: new (type: TensorDType, data: TypedArray, dims: readonly number[]) => Tensor;
}

const DTYPES: readonly string[] = ['float32', 'float16', 'int32', 'int64', 'uint8', 'bool'];

function ioInfo(m: InferenceSession.ValueMetadata): IOInfo {
  if (!m.isTensor) return { name: m.name };
  return {
    name: m.name,
    dtype: DTYPES.includes(m.type) ? (m.type as TensorDType) : undefined,
    shape: m.shape.length ? [...m.shape] : undefined,
  };
}

/** ORT session options shared by all backends, from ours. */
export function baseSessionOptions(opts: SessionOptions | undefined, executionProviders: string[]): InferenceSession.SessionOptions {
  const o: InferenceSession.SessionOptions = { executionProviders, graphOptimizationLevel: 'all' };
  if (opts?.externalData) o.externalData = opts.externalData.map((e) => ({ path: e.path, data: e.data }));
  if (opts?.freeDimensionOverrides) o.freeDimensionOverrides = opts.freeDimensionOverrides;
  return o;
}

/** Our Session over an ORT InferenceSession. `executionProviders` is recorded for tests and the UI. */
export class OrtSession implements Session {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  readonly inputs: readonly IOInfo[];
  readonly outputs: readonly IOInfo[];
  private disposed = false;

  constructor(private readonly s: InferenceSession, readonly executionProviders: readonly string[]) {
    this.inputNames = s.inputNames;
    this.outputNames = s.outputNames;
    this.inputs = s.inputMetadata.map(ioInfo);
    this.outputs = s.outputMetadata.map(ioInfo);
  }

  async run(feeds: Record<string, Tensor>, fetch?: readonly string[]): Promise<Record<string, Tensor>> {
    if (this.disposed) throw new Error('session was disposed');
    const out = fetch ? await this.s.run(feeds, [...fetch]) : await this.s.run(feeds);
    return out as Record<string, Tensor>;
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await this.s.release();
  }
}

/** Download a tensor's data; GPU tensors are copied to the CPU (ORT flips their location). */
export async function readTensor(t: Tensor): Promise<TypedArray> {
  const data = t.location === 'cpu' ? t.data : await t.getData();
  return data as TypedArray;
}

/** Sessions a runtime created, so `Runtime.dispose()` can release what callers forgot. */
export class SessionSet {
  private readonly live = new Set<Session>();
  track<S extends Session>(s: S): S {
    this.live.add(s);
    const dispose = s.dispose.bind(s);
    s.dispose = async () => { this.live.delete(s); await dispose(); };
    return s;
  }
  async disposeAll(): Promise<void> {
    await Promise.all([...this.live].map((s) => s.dispose()));
  }
}
