/**
 * The StudioClient the UI uses: a module Worker (./worker.ts) runs models and pipelines;
 * the job queue (pipelines/core/queue.ts) lives here on the UI side, so queued jobs can be
 * reordered or canceled without a round trip, and the worker only ever runs one job.
 */
import { JobQueue, type Executor } from '../../pipelines/core/queue.ts';
import type { JobEvent, TerminalEvent } from '../../pipelines/core/events.ts';
import type { JobSpec, JobView, ModelView, ProbeResult, StorageView, StudioClient, LoadErrorCode } from './StudioClient.ts';
import type { FromWorker, ModelEntryView, ReplyValues, ToWorker } from './protocol.ts';

/** The part of a Worker we use (a fake in tests). */
export interface WorkerLike {
  postMessage(m: ToWorker): void;
  addEventListener(type: 'message', fn: (e: MessageEvent<FromWorker>) => void): void;
  addEventListener(type: 'error', fn: (e: ErrorEvent) => void): void;
  terminate(): void;
}

/** A load failure as the UI sees it: `code` says which check failed. */
export class LoadFailure extends Error {
  constructor(readonly code: LoadErrorCode, message: string) {
    super(message);
    this.name = 'LoadFailure';
  }
}

type Pending = { resolve(v: unknown): void; reject(e: Error): void };

export class WorkerStudioClient implements StudioClient {
  private rid = 0;
  private readonly pending = new Map<number, Pending>();
  private readonly jobEnds = new Map<string, (t: TerminalEvent) => void>();
  private readonly jobEmits = new Map<string, (e: JobEvent) => void>();
  private readonly queue: JobQueue<JobSpec>;
  private models = new Map<string, ModelView>();
  private readonly modelSubs = new Set<(m: ModelView[]) => void>();
  private workerError?: string;

  constructor(private readonly worker: WorkerLike, opts?: { fixtures?: boolean }) {
    worker.addEventListener('message', (e: MessageEvent<FromWorker>) => this.onMessage(e.data));
    worker.addEventListener('error', (e: ErrorEvent) => this.onWorkerError(e.message || 'worker failed to start'));
    worker.postMessage({ type: 'init', fixtures: Boolean(opts?.fixtures) });
    const executor: Executor<JobSpec> = ({ id, spec }, ctx) => new Promise<TerminalEvent>((resolve) => {
      if (this.workerError) { resolve({ type: 'error', message: this.workerError }); return; }
      this.jobEnds.set(id, resolve);
      this.jobEmits.set(id, ctx.emit);
      ctx.signal.addEventListener('abort', () => worker.postMessage({ type: 'cancel', jobId: id }), { once: true });
      worker.postMessage({ type: 'run', jobId: id, spec: { task: spec.task, input: spec.input, params: spec.params, backend: spec.backend } });
    });
    this.queue = new JobQueue(executor);
  }

  private request<K extends keyof ReplyValues>(msg: { type: K; modelId?: string }): Promise<ReplyValues[K]> {
    if (this.workerError) return Promise.reject(new Error(this.workerError));
    const rid = ++this.rid;
    return new Promise((resolve, reject) => {
      this.pending.set(rid, { resolve: resolve as (v: unknown) => void, reject });
      this.worker.postMessage({ ...msg, rid } as unknown as ToWorker);
    });
  }

  private onMessage(m: FromWorker): void {
    switch (m.type) {
      case 'reply': {
        const p = this.pending.get(m.rid);
        this.pending.delete(m.rid);
        if (!p) return;
        if (m.ok) p.resolve(m.value);
        else p.reject(m.error.code ? new LoadFailure(m.error.code, m.error.message) : new Error(m.error.message));
        return;
      }
      case 'job-event': this.jobEmits.get(m.jobId)?.(m.event); return;
      case 'job-end': {
        const end = this.jobEnds.get(m.jobId);
        this.jobEnds.delete(m.jobId);
        this.jobEmits.delete(m.jobId);
        end?.(m.event);
        return;
      }
      case 'model-progress': this.patchModel(m.modelId, { status: 'loading', progress: m.progress }); return;
      case 'model-state':
        this.patchModel(m.modelId, m.status === 'ready' ? { status: 'ready', cached: true, error: undefined } : { status: 'error', error: m.error });
        return;
    }
  }

  /** A worker that fails to load or crashes fails what is in flight, with the reason. */
  private onWorkerError(message: string): void {
    this.workerError = `studio worker error: ${message}`;
    for (const p of this.pending.values()) p.reject(new Error(this.workerError));
    this.pending.clear();
    for (const end of this.jobEnds.values()) end({ type: 'error', message: this.workerError });
    this.jobEnds.clear();
  }

  probe(): Promise<ProbeResult> { return this.request<'probe'>({ type: 'probe' }); }

  enqueue(spec: JobSpec): string { return this.queue.enqueue(spec); }
  cancel(jobId: string): void { this.queue.cancel(jobId); }
  /** Only a running job can pause: the worker knows nothing of queued ones yet. */
  pause(jobId: string): void { if (this.isRunning(jobId)) this.worker.postMessage({ type: 'pause', jobId }); }
  resume(jobId: string): void { if (this.isRunning(jobId)) this.worker.postMessage({ type: 'resume', jobId }); }
  private isRunning(jobId: string): boolean { return this.queue.get(jobId)?.status === 'running'; }
  reorder(jobId: string, to: number): void { this.queue.reorder(jobId, to); }
  jobs(): JobView[] { return this.queue.jobs(); }
  onJobs(fn: (jobs: JobView[]) => void): () => void { return this.queue.subscribe(fn); }
  /** Resolves with the finished job (test hooks, scripts). */
  whenDone(jobId: string): Promise<JobView> { return this.queue.whenDone(jobId); }

  async listModels(): Promise<ModelView[]> {
    const entries = await this.request<'list'>({ type: 'list' });
    const next = new Map<string, ModelView>();
    for (const e of entries) next.set(e.id, this.merge(e));
    this.models = next;
    this.emitModels();
    return this.modelViews();
  }

  async loadModel(id: string): Promise<void> {
    this.patchModel(id, { status: 'loading', error: undefined, progress: undefined });
    try {
      await this.request<'load'>({ type: 'load', modelId: id });
      this.patchModel(id, { status: 'ready', cached: true });
    } catch (err) {
      const code = err instanceof LoadFailure ? err.code : 'unknown';
      this.patchModel(id, { status: 'error', error: { code, message: (err as Error).message } });
      throw err;
    }
  }

  async deleteModel(id: string): Promise<void> {
    await this.request<'delete'>({ type: 'delete', modelId: id });
    this.patchModel(id, { cached: false, status: 'idle', progress: undefined, error: undefined });
  }

  storage(): Promise<StorageView> { return this.request<'storage'>({ type: 'storage' }); }

  onModels(fn: (models: ModelView[]) => void): () => void {
    this.modelSubs.add(fn);
    return () => this.modelSubs.delete(fn);
  }

  dispose(): void {
    this.queue.dispose();
    this.worker.postMessage({ type: 'dispose' });
    this.modelSubs.clear();
    // Give the worker a moment to release GPU sessions before it is killed.
    setTimeout(() => this.worker.terminate(), 500);
  }

  private merge(e: ModelEntryView): ModelView {
    const old = this.models.get(e.id);
    return { ...e, status: old?.status ?? (e.cached ? 'ready' : 'idle'), progress: old?.progress, error: old?.error };
  }

  private patchModel(id: string, patch: Partial<ModelView>): void {
    const m = this.models.get(id);
    if (!m) return;
    this.models.set(id, { ...m, ...patch });
    this.emitModels();
  }

  private modelViews(): ModelView[] {
    return [...this.models.values()].map((m) => ({ ...m, needs: { ...m.needs } }));
  }

  private emitModels(): void {
    const snap = this.modelViews();
    for (const fn of this.modelSubs) fn(snap);
  }
}

/** The studio's client over a fresh module Worker. `fixtures` adds the broken-model fixtures to the Models list. */
export function createStudioClient(opts?: { fixtures?: boolean }): WorkerStudioClient {
  const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'atelier-studio' });
  return new WorkerStudioClient(worker as unknown as WorkerLike, opts);
}
