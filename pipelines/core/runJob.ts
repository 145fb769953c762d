/**
 * Runs one pipeline as a job: forwards its events with rate and ETA added to step events,
 * and ends with exactly one terminal event (complete | error | canceled), which it also
 * returns. A CanceledError/AbortError — or any failure after the signal fired, since
 * onnxruntime may surface an abort as some other error — becomes `canceled`. Events a
 * pipeline emits after the terminal event are dropped.
 */
import type { Runtime } from '../../models/runtime/Runtime.ts';
import { CanceledError, type JobEvent, type ModelProvider, type PauseSignal, type PipelineRun, type ProgressEvent, type TerminalEvent } from './events.ts';

export interface JobContext {
  signal: AbortSignal;
  emit(e: JobEvent): void;
  models?: ModelProvider;
  /** Passed through to the pipeline (hosts that support pause: the worker). */
  pause?: PauseSignal;
  /** Clock in ms (tests inject one). */
  now?: () => number;
}

export function isCancel(err: unknown): boolean {
  return err instanceof CanceledError || (err as { name?: string })?.name === 'AbortError' || (err as { name?: string })?.name === 'CanceledError';
}

/** Adds `rate` (steps/s, measured from the first step event) and `etaS` to step events. */
export function stepTimer(now: () => number): (e: ProgressEvent) => ProgressEvent {
  let first: { k: number; t: number } | undefined;
  return (e) => {
    if (e.type !== 'step') return e;
    const t = now();
    if (!first || e.k < first.k) { first = { k: e.k, t }; return e; }
    const dt = (t - first.t) / 1000;
    const rate = e.rate ?? (dt > 0 ? (e.k - first.k) / dt : undefined);
    if (!rate || !Number.isFinite(rate)) return e;
    return { ...e, rate, etaS: e.etaS ?? Math.max(0, (e.n - e.k) / rate) };
  };
}

export async function runJob<I, P, R>(run: PipelineRun<I, P, R>, rt: Runtime, input: I, params: P, ctx: JobContext): Promise<TerminalEvent> {
  let ended = false;
  const timer = stepTimer(ctx.now ?? (() => performance.now()));
  const end = (e: TerminalEvent): TerminalEvent => {
    ended = true;
    ctx.emit(e);
    return e;
  };
  if (ctx.signal.aborted) return end({ type: 'canceled' });
  try {
    const result = await run(rt, input, params, {
      signal: ctx.signal,
      models: ctx.models,
      pause: ctx.pause,
      emit: (e) => { if (!ended) ctx.emit(timer(e)); },
    });
    return end({ type: 'complete', result });
  } catch (err) {
    if (isCancel(err) || ctx.signal.aborted) return end({ type: 'canceled' });
    const code = (err as { code?: unknown })?.code;
    return end({ type: 'error', message: (err as Error)?.message ?? String(err), ...(typeof code === 'string' ? { code } : {}) });
  }
}

/** A promise that resolves after `ms`, or rejects with CanceledError as soon as `signal` aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) { reject(new CanceledError()); return; }
    const onAbort = () => { clearTimeout(t); reject(new CanceledError()); };
    const t = setTimeout(() => { signal.removeEventListener('abort', onAbort); resolve(); }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
