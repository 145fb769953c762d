/**
 * What the UI (app/shell, app/workspaces, app/state) may call. Implemented by
 * app/worker/client.ts over a module Worker (which hosts models/runtime + pipelines);
 * the UI never touches onnxruntime. Stores subscribe to `queue` and `models` changes.
 */
import type { Capabilities, BackendId } from '../../models/runtime/Runtime.ts';
import type { JobEvent } from '../../pipelines/core/events.ts';

export type BackendChoice = 'auto' | 'webgpu' | 'wasm';

export interface ProbeResult {
  caps: Capabilities;
  /** Backend jobs run on by default ('webgpu' or 'wasm'). */
  backend: BackendId;
  /** Why wasm is used instead of WebGPU, shown to the user. */
  fallbackReason?: string;
}

export type JobStatus = 'queued' | 'running' | 'done' | 'failed' | 'canceled';

export interface JobView {
  id: string;
  task: string;
  label: string;
  status: JobStatus;
  createdAt: number;
  startedAt?: number;
  endedAt?: number;
  /** Latest step event, for progress bars (k/n, rate, ETA). */
  step?: { k: number; n: number; rate?: number; etaS?: number };
  phase?: string;
  error?: string;
  result?: unknown;
  /** Last few non-terminal events (bounded), for inspectors. */
  events: JobEvent[];
}

export interface JobSpec {
  task: string;
  label?: string;
  input: unknown;
  params?: unknown;
  backend?: BackendChoice;
}

export interface ModelView {
  id: string;
  task: string;
  title: string;
  bytes: number;
  cached: boolean;
  needs: { f16?: boolean; minBufferBytes?: number; memoryBytes?: number };
  source: 'assets' | 'url' | 'user';
  /** Download/verify progress while loading. */
  progress?: { loaded: number; total: number; files: Record<string, { loaded: number; total: number }> };
  status: 'idle' | 'loading' | 'ready' | 'error';
  /** Clear, specific message when status === 'error'. */
  error?: { code: LoadErrorCode; message: string };
}

export type LoadErrorCode = 'unreachable' | 'sha256-mismatch' | 'truncated' | 'not-onnx' | 'io-mismatch' | 'needs-f16' | 'needs-buffer' | 'unknown';

export interface StorageView {
  usage: number;
  quota: number;
  cachedBytes: number;
}

export interface StudioClient {
  probe(): Promise<ProbeResult>;
  // jobs
  enqueue(spec: JobSpec): string;
  cancel(jobId: string): void;
  /** Pause / resume a running job between iterations (jobs whose pipeline supports it; others ignore it). Optional: not every client can. */
  pause?(jobId: string): void;
  resume?(jobId: string): void;
  /** Move a queued job to index `to` among queued jobs. */
  reorder(jobId: string, to: number): void;
  jobs(): JobView[];
  onJobs(fn: (jobs: JobView[]) => void): () => void;
  // models
  listModels(): Promise<ModelView[]>;
  loadModel(id: string): Promise<void>;
  deleteModel(id: string): Promise<void>;
  storage(): Promise<StorageView>;
  onModels(fn: (models: ModelView[]) => void): () => void;
  dispose(): void;
}
