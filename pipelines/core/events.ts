/**
 * Typed job events. Every pipeline's `run(rt, input, params, ctx)` emits these through
 * `ctx.emit`; the worker forwards them to the UI, the CLI prints them. Exactly one
 * terminal event (complete | error | canceled) ends every job — the job runner emits it,
 * never the pipeline itself.
 */
import type { Runtime, Session, SessionOptions } from '../../models/runtime/Runtime.ts';

export type JobEvent =
  | { type: 'phase'; phase: 'download' | 'compile' | 'warmup' | 'steps' | 'decode' | 'encode' | string; label?: string }
  | { type: 'step'; k: number; n: number; rate?: number; etaS?: number; unit?: string }
  | { type: 'progress'; file?: string; loaded: number; total: number }
  | { type: 'preview'; kind: 'image'; width: number; height: number; rgba: Uint8ClampedArray; step?: number }
  | { type: 'preview'; kind: 'mesh'; positions: Float32Array; colors: Float32Array; step?: number }
  | { type: 'partial-text'; text: string }
  | { type: 'metric'; name: string; value: number; step?: number }
  | { type: 'warning'; message: string }
  | { type: 'complete'; result: unknown }
  | { type: 'error'; message: string; code?: string }
  | { type: 'canceled' };

export type TerminalEvent = Extract<JobEvent, { type: 'complete' | 'error' | 'canceled' }>;
export type ProgressEvent = Exclude<JobEvent, TerminalEvent>;

export interface RunContext {
  signal: AbortSignal;
  emit(e: ProgressEvent): void;
  /** Sessions for manifest models (verified, cached, I/O-checked) on the job's runtime; supplied by the job host. */
  models?: ModelProvider;
  /** Cooperative pause, supplied by hosts that can pause jobs (pipelines/core/pauseGate.ts); iterative pipelines await it between steps. */
  pause?: PauseSignal;
}

/** The pipeline's view of a pause request: `wait` resolves at once when not paused, on resume, or rejects with CanceledError on abort. */
export interface PauseSignal {
  readonly paused: boolean;
  wait(signal: AbortSignal): Promise<void>;
}

/** Model sessions owned by the job host: pipelines use them but never dispose them. */
export interface ModelProvider {
  session(modelId: string, opts?: SessionOptions): Promise<Session>;
}

/** A pipeline is a plain async function over a Runtime. */
export type PipelineRun<I = unknown, P = unknown, R = unknown> = (rt: Runtime, input: I, params: P, ctx: RunContext) => Promise<R>;

/** Thrown by pipelines when `ctx.signal` is aborted; the job runner turns it into `canceled`. */
export class CanceledError extends Error {
  constructor() {
    super('canceled');
    this.name = 'CanceledError';
  }
}

/** Cooperative cancel point: call between steps/tokens/frames/iterations. */
export function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw new CanceledError();
}
