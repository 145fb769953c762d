/**
 * Messages between app/worker/client.ts (UI thread) and app/worker/worker.ts (module
 * Worker hosting runtimes, pipelines and the model manager). The queue lives on the UI
 * side (pipelines/core/queue.ts); the worker runs one job at a time on request.
 */
import type { JobEvent, TerminalEvent } from '../../pipelines/core/events.ts';
import type { BackendChoice, LoadErrorCode, ModelView, ProbeResult, StorageView } from './StudioClient.ts';

export interface RunSpec {
  task: string;
  input: unknown;
  params?: unknown;
  backend?: BackendChoice;
}

export type ToWorker =
  | { type: 'init'; fixtures: boolean }
  | { type: 'probe'; rid: number }
  | { type: 'run'; jobId: string; spec: RunSpec }
  | { type: 'cancel'; jobId: string }
  /** Pause / resume a running job between its iterations (pipelines that await ctx.pause). */
  | { type: 'pause'; jobId: string }
  | { type: 'resume'; jobId: string }
  | { type: 'list'; rid: number }
  | { type: 'load'; rid: number; modelId: string }
  | { type: 'delete'; rid: number; modelId: string }
  | { type: 'storage'; rid: number }
  | { type: 'dispose' };

/** What the worker knows about a model; the client adds status/progress/error. */
export type ModelEntryView = Pick<ModelView, 'id' | 'task' | 'title' | 'bytes' | 'cached' | 'needs' | 'source'>;

export interface ReplyValues {
  probe: ProbeResult;
  list: ModelEntryView[];
  load: null;
  delete: null;
  storage: StorageView;
}

export type FromWorker =
  | { type: 'reply'; rid: number; ok: true; value: unknown }
  | { type: 'reply'; rid: number; ok: false; error: { message: string; code?: LoadErrorCode } }
  | { type: 'job-event'; jobId: string; event: JobEvent }
  | { type: 'job-end'; jobId: string; event: TerminalEvent }
  | { type: 'model-progress'; modelId: string; progress: NonNullable<ModelView['progress']> }
  /** A model a job loaded (not via 'load') became ready or failed. */
  | { type: 'model-state'; modelId: string; status: 'ready' | 'error'; error?: { code: LoadErrorCode; message: string } };
