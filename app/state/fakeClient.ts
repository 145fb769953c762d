/**
 * An in-memory StudioClient for unit tests (no worker, no onnxruntime). Jobs advance one step
 * per `tick()`; nothing runs on timers, so tests are deterministic. Not used by the shipped app,
 * which talks to app/worker/client.ts.
 */
import type { JobSpec, JobView, ModelView, ProbeResult, StorageView, StudioClient } from '../worker/StudioClient.ts';

export interface FakeClientOptions {
  models?: ModelView[];
  /** Model ids whose load fails with this message. */
  failLoads?: Record<string, string>;
  now?: () => number;
}

export class FakeStudioClient implements StudioClient {
  private list: JobView[] = [];
  private models: ModelView[];
  private jobSubs = new Set<(j: JobView[]) => void>();
  private modelSubs = new Set<(m: ModelView[]) => void>();
  private nextId = 1;
  private readonly now: () => number;

  constructor(private readonly opts: FakeClientOptions = {}) {
    this.models = opts.models ?? [];
    this.now = opts.now ?? (() => Date.now());
  }

  async probe(): Promise<ProbeResult> {
    return { backend: 'wasm', fallbackReason: 'fake client: no WebGPU', caps: { webgpu: false, shaderF16: false, cores: 2 } };
  }

  enqueue(spec: JobSpec): string {
    const id = `job-${this.nextId++}`;
    const steps = (spec.params as { steps?: number } | undefined)?.steps ?? 10;
    this.list.push({ id, task: spec.task, label: spec.label ?? spec.task, status: 'queued', createdAt: this.now(), step: { k: 0, n: steps }, events: [] });
    this.startNext();
    this.emitJobs();
    return id;
  }

  cancel(jobId: string): void {
    this.update(jobId, (j) => (j.status === 'queued' || j.status === 'running' ? { ...j, status: 'canceled', endedAt: this.now() } : j));
    this.startNext();
    this.emitJobs();
  }

  reorder(jobId: string, to: number): void {
    const queued = this.list.filter((j) => j.status === 'queued');
    const job = queued.find((j) => j.id === jobId);
    if (!job) return;
    const rest = queued.filter((j) => j !== job);
    rest.splice(Math.max(0, Math.min(to, rest.length)), 0, job);
    this.list = [...this.list.filter((j) => j.status !== 'queued'), ...rest];
    this.emitJobs();
  }

  jobs(): JobView[] {
    return this.list.map((j) => ({ ...j }));
  }

  onJobs(fn: (jobs: JobView[]) => void): () => void {
    this.jobSubs.add(fn);
    return () => this.jobSubs.delete(fn);
  }

  /** Advance the running job by one step (finishing it at n/n). */
  tick(): void {
    const j = this.list.find((x) => x.status === 'running');
    if (!j?.step) return;
    const k = j.step.k + 1;
    this.update(j.id, (x) => (k >= x.step!.n ? { ...x, status: 'done', step: { k, n: x.step!.n }, endedAt: this.now() } : { ...x, step: { k, n: x.step!.n, etaS: x.step!.n - k } }));
    this.startNext();
    this.emitJobs();
  }

  async listModels(): Promise<ModelView[]> {
    return this.models.map((m) => ({ ...m }));
  }

  async loadModel(id: string): Promise<void> {
    const fail = this.opts.failLoads?.[id];
    this.setModel(id, (m) => (fail ? { ...m, status: 'error', error: { code: 'unknown', message: fail } } : { ...m, status: 'ready', cached: true }));
    if (fail) throw new Error(fail);
  }

  async deleteModel(id: string): Promise<void> {
    this.setModel(id, (m) => ({ ...m, cached: false, status: 'idle' }));
  }

  async storage(): Promise<StorageView> {
    const cachedBytes = this.models.filter((m) => m.cached).reduce((a, m) => a + m.bytes, 0);
    return { usage: cachedBytes, quota: 1 << 30, cachedBytes };
  }

  onModels(fn: (models: ModelView[]) => void): () => void {
    this.modelSubs.add(fn);
    return () => this.modelSubs.delete(fn);
  }

  dispose(): void {
    this.jobSubs.clear();
    this.modelSubs.clear();
  }

  private startNext(): void {
    if (this.list.some((j) => j.status === 'running')) return;
    const next = this.list.find((j) => j.status === 'queued');
    if (next) this.update(next.id, (j) => ({ ...j, status: 'running', startedAt: this.now(), phase: 'steps' }));
  }

  private update(id: string, f: (j: JobView) => JobView): void {
    this.list = this.list.map((j) => (j.id === id ? f(j) : j));
  }

  private setModel(id: string, f: (m: ModelView) => ModelView): void {
    this.models = this.models.map((m) => (m.id === id ? f(m) : m));
    const snap = this.models.map((m) => ({ ...m }));
    for (const fn of this.modelSubs) fn(snap);
  }

  private emitJobs(): void {
    const snap = this.jobs();
    for (const fn of this.jobSubs) fn(snap);
  }
}
