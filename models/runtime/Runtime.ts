/**
 * The one runtime interface every pipeline talks to. Backends (see ./backends/):
 *   - 'node-cpu'   onnxruntime-node, CPU EP (CLI, tests, training, benchmarks)
 *   - 'node-wasm'  onnxruntime-web's wasm build in Node (parity tests only)
 *   - 'webgpu'     onnxruntime-web/webgpu in the browser, native WebGPU EP
 *   - 'wasm'       onnxruntime-web/webgpu package with the wasm EP (browser fallback; reason shown to the user)
 *
 * Usage:
 *   const rt = await createNodeRuntime();
 *   const s = await rt.createSession(bytes);
 *   const out = await s.run({ x: rt.tensor('float32', new Float32Array(4), [1, 4]) });
 *   console.log(await rt.read(out.y)); s.dispose(); rt.dispose();
 */
import type { Tensor } from 'onnxruntime-common';

export type { Tensor };
export type BackendId = 'node-cpu' | 'node-wasm' | 'webgpu' | 'wasm';
export type TensorDType = 'float32' | 'float16' | 'int32' | 'int64' | 'uint8' | 'bool';
export type TypedArray = Float32Array | Uint16Array | Int32Array | BigInt64Array | Uint8Array;

/** What the capability probe found (run once per process / tab; shown in the status bar). */
export interface Capabilities {
  webgpu: boolean;
  /** Why WebGPU is not used, when it is not (shown to the user). */
  webgpuUnavailableReason?: string;
  adapter?: { vendor: string; architecture: string; description: string; isFallbackAdapter: boolean };
  shaderF16: boolean;
  maxBufferSize?: number;
  maxStorageBufferBindingSize?: number;
  storage?: { usage: number; quota: number };
  /** Logical CPU cores, for wasm threads. */
  cores: number;
}

export interface SessionOptions {
  /** Keep these outputs (or all, with `true`) on the GPU as 'gpu-buffer' tensors (WebGPU only; ignored elsewhere). */
  outputsOnGpu?: boolean | string[];
  /** External-data weights keyed by the location string stored in the model. */
  externalData?: { path: string; data: Uint8Array | string }[];
  /** Static dims for symbolic names, so kernels specialise. */
  freeDimensionOverrides?: Record<string, number>;
}

export interface IOInfo {
  name: string;
  dtype?: TensorDType;
  /** Dims as declared by the model; strings are symbolic. */
  shape?: (number | string)[];
}

export interface Session {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  /** Declared inputs/outputs (from the model), for I/O-contract checks. */
  readonly inputs: readonly IOInfo[];
  readonly outputs: readonly IOInfo[];
  /** The execution providers the session was created with (e.g. ['webgpu'] — no silent fallback). */
  readonly executionProviders?: readonly string[];
  /** Run with named tensors; `fetch` limits which outputs are computed. */
  run(feeds: Record<string, Tensor>, fetch?: readonly string[]): Promise<Record<string, Tensor>>;
  dispose(): Promise<void>;
}

export interface Runtime {
  readonly backend: BackendId;
  readonly caps: Capabilities;
  /** Set when the browser wanted WebGPU but fell back to wasm. */
  readonly fallbackReason?: string;
  createSession(model: Uint8Array | string, opts?: SessionOptions): Promise<Session>;
  /** A tensor of this backend's flavour. */
  tensor(dtype: TensorDType, data: TypedArray, dims: readonly number[]): Tensor;
  /** Download a tensor's data (from GPU if needed). */
  read(t: Tensor): Promise<TypedArray>;
  dispose(): Promise<void>;
}
