/**
 * The job queue: queued → running → done | failed | canceled, one job at a time (one
 * worker owns one GPU device), cancel of queued or running jobs, reorder of queued jobs,
 * subscribe to changes. Plain TS with an injected executor, so the browser client (executor
 * = post to the worker) and the CLI (executor = run in-process) share it.
 */
import type { JobEvent, TerminalEvent } from './events.ts';

export type QueueStatus = 'queued' | 'running' | 'done' | 'failed' | 'canceled';

export interface QueueSpec {
  task: string;
  label?: string;
}

/** Same shape as JobView in app/worker/StudioClient.ts. */
export interface QueueJob {
  id: string;
  task: string;
  label: string;
  status: QueueStatus;
  createdAt: number;
  startedAt?: number;
  endedAt?: number;
  step?: { k: number; n: number; rate?: number; etaS?: number };
  phase?: string;
  error?: string;
  result?: unknown;
  events: JobEvent[];
}

/** Runs one job; must resolve with the job's terminal event (also emitted or not — the queue does not care). */
export type Executor<S extends QueueSpec> = (job: { id: string; spec: S }, ctx: { signal: AbortSignal; emit(e: JobEvent): void }) => Promise<TerminalEvent>;

export interface QueueOptions {
  /** Non-terminal events kept per job (the Queue window's inspector). */
  maxEvents?: number;
  now?: () => number;
}

interface Entry<S> { job: QueueJob; spec: S; ctrl?: AbortController; done: Promise<QueueJob>; resolve(j: QueueJob): void }

export class JobQueue<S extends QueueSpec> {
  private readonly entries = new Map<string, Entry<S>>();
  /** Queued job ids in run order. */
  private pending: string[] = [];
  private running?: string;
  private seq = 0;
  private readonly listeners = new Set<(jobs: QueueJob[]) => void>();
  private readonly eventListeners = new Set<(id: string, e: JobEvent) => void>();
  private disposed = false;

  constructor(private readonly executor: Executor<S>, private readonly opts: QueueOptions = {}) {}

  private now(): number { return (this.opts.now ?? Date.now)(); }

  enqueue(spec: S): string {
    if (this.disposed) throw new Error('queue disposed');
    const id = `job-${++this.seq}`;
    let resolve!: (j: QueueJob) => void;
    const done = new Promise<QueueJob>((r) => { resolve = r; });
    const job: QueueJob = { id, task: spec.task, label: spec.label ?? spec.task, status: 'queued', createdAt: this.now(), events: [] };
    this.entries.set(id, { job, spec, done, resolve });
    this.pending.push(id);
    this.changed();
    queueMicrotask(() => this.pump());
    return id;
  }

  cancel(id: string): void {
    const e = this.entries.get(id);
    if (!e) return;
    if (e.job.status === 'queued') {
      this.pending = this.pending.filter((p) => p !== id);
      this.finish(e, { type: 'canceled' });
    } else if (e.job.status === 'running') {
      e.ctrl?.abort();
    }
  }

  /** Move a queued job to index `to` among queued jobs (clamped). */
  reorder(id: string, to: number): void {
    const from = this.pending.indexOf(id);
    if (from < 0) return;
    this.pending.splice(from, 1);
    this.pending.splice(Math.max(0, Math.min(to, this.pending.length)), 0, id);
    this.changed();
  }

  /** Started/finished jobs by creation time, then queued jobs in run order. Copies, safe to keep. */
  jobs(): QueueJob[] {
    const started = [...this.entries.values()].filter((e) => e.job.status !== 'queued').map((e) => e.job);
    const queued = this.pending.map((id) => this.entries.get(id)!.job);
    return [...started, ...queued].map((j) => ({ ...j, events: [...j.events] }));
  }

  get(id: string): QueueJob | undefined {
    const j = this.entries.get(id)?.job;
    return j && { ...j, events: [...j.events] };
  }

  /** Resolves when the job reaches a terminal status. */
  whenDone(id: string): Promise<QueueJob> {
    const e = this.entries.get(id);
    if (!e) return Promise.reject(new Error(`unknown job ${id}`));
    return e.done;
  }

  subscribe(fn: (jobs: QueueJob[]) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** Every event of every job as it happens (CLI progress printing). */
  onEvent(fn: (id: string, e: JobEvent) => void): () => void {
    this.eventListeners.add(fn);
    return () => this.eventListeners.delete(fn);
  }

  /** Cancel everything; no further jobs start. */
  dispose(): void {
    for (const id of [...this.pending]) this.cancel(id);
    if (this.running) this.cancel(this.running);
    this.disposed = true;
  }

  private changed(): void {
    if (!this.listeners.size) return;
    const snap = this.jobs();
    for (const fn of this.listeners) fn(snap);
  }

  private record(e: Entry<S>, ev: JobEvent): void {
    // Late events after cancel/terminal are ignored; terminal events are forwarded once, by finish().
    if (e.job.status !== 'running' || ev.type === 'complete' || ev.type === 'error' || ev.type === 'canceled') return;
    for (const fn of this.eventListeners) fn(e.job.id, ev);
    if (ev.type === 'step') e.job.step = { k: ev.k, n: ev.n, rate: ev.rate, etaS: ev.etaS };
    else if (ev.type === 'phase') e.job.phase = ev.label ?? ev.phase;
    e.job.events.push(ev);
    const max = this.opts.maxEvents ?? 20;
    if (e.job.events.length > max) e.job.events.splice(0, e.job.events.length - max);
    this.changed();
  }

  private finish(e: Entry<S>, t: TerminalEvent): void {
    if (e.job.status !== 'queued' && e.job.status !== 'running') return;
    for (const fn of this.eventListeners) fn(e.job.id, t);
    e.job.endedAt = this.now();
    if (t.type === 'complete') { e.job.status = 'done'; e.job.result = t.result; }
    else if (t.type === 'error') { e.job.status = 'failed'; e.job.error = t.message; }
    else e.job.status = 'canceled';
    e.ctrl = undefined;
    this.changed();
    e.resolve({ ...e.job, events: [...e.job.events] });
  }

  private pump(): void {
    if (this.running || this.disposed) return;
    const id = this.pending.shift();
    if (!id) return;
    const e = this.entries.get(id)!;
    this.running = id;
    e.ctrl = new AbortController();
    e.job.status = 'running';
    e.job.startedAt = this.now();
    this.changed();
    const signal = e.ctrl.signal;
    this.executor({ id, spec: e.spec }, { signal, emit: (ev) => this.record(e, ev) })
      .catch((err: unknown): TerminalEvent => (signal.aborted ? { type: 'canceled' } : { type: 'error', message: (err as Error)?.message ?? String(err) }))
      .then((t) => {
        this.finish(e, t);
        this.running = undefined;
        this.pump();
      });
  }
}
