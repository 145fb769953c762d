/**
 * The worker's brain, free of `self`/postMessage so it runs in Node tests too: answers
 * probe/list/load/delete/storage, runs jobs through pipelines/registry.ts on the runtime
 * for the job's backend ('auto' → WebGPU when the probe found it, else wasm with the
 * reason surfaced as a warning event), forwards events, and cancels cooperatively.
 */
import type { Capabilities, Runtime, SessionOptions } from '../../models/runtime/Runtime.ts';
import type { ModelRegistry } from '../../models/registry.ts';
import { SessionPool } from '../../models/loader/SessionPool.ts';
import { pickBrowserBackend, type BrowserBackend } from '../../models/runtime/backends/pick.ts';
import { ModelLoadError, asLoadError } from '../../models/loader/errors.ts';
import type { LoadProgress } from '../../models/loader/loadModel.ts';
import { executeTask } from '../../pipelines/registry.ts';
import { PauseGate } from '../../pipelines/core/pauseGate.ts';
import type { JobEvent, TerminalEvent } from '../../pipelines/core/events.ts';
import type { FromWorker, ModelEntryView, RunSpec, ToWorker } from './protocol.ts';
import type { ProbeResult, StorageView } from './StudioClient.ts';

export interface HostDeps {
  caps(): Promise<Capabilities>;
  /** A runtime on exactly this backend (throws when it cannot exist). */
  createRuntime(backend: BrowserBackend, caps: Capabilities, fallbackReason?: string): Runtime;
  makeRegistry(fixtures: boolean): ModelRegistry;
  storageEstimate?(): Promise<{ usage?: number; quota?: number }>;
}

export class WorkerHost {
  private registry: ModelRegistry;
  private pool: SessionPool;
  private readonly runtimes = new Map<BrowserBackend, Runtime>();
  private readonly running = new Map<string, AbortController>();
  private readonly gates = new Map<string, PauseGate>();
  /** Jobs run one after another even if the client sends several (one GPU device). */
  private chain: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: HostDeps, private readonly post: (m: FromWorker) => void) {
    this.registry = deps.makeRegistry(false);
    this.pool = new SessionPool(this.registry);
  }

  handle(msg: ToWorker): void {
    switch (msg.type) {
      case 'init':
        void this.pool.dispose();
        this.registry = this.deps.makeRegistry(msg.fixtures);
        this.pool = new SessionPool(this.registry);
        return;
      case 'probe': return this.reply(msg.rid, () => this.probe());
      case 'list': return this.reply(msg.rid, () => this.list());
      case 'load': return this.reply(msg.rid, () => this.load(msg.modelId));
      case 'delete': return this.reply(msg.rid, async () => { await this.pool.evict(msg.modelId); await this.registry.delete(msg.modelId); return null; });
      case 'storage': return this.reply(msg.rid, () => this.storage());
      case 'run': {
        const ctrl = new AbortController();
        const gate = new PauseGate();
        this.running.set(msg.jobId, ctrl);
        this.gates.set(msg.jobId, gate);
        this.chain = this.chain.then(() => this.run(msg.jobId, msg.spec, ctrl, gate)).finally(() => { this.running.delete(msg.jobId); this.gates.delete(msg.jobId); });
        return;
      }
      case 'cancel': this.running.get(msg.jobId)?.abort(); return;
      case 'pause': this.gates.get(msg.jobId)?.pause(); return;
      case 'resume': this.gates.get(msg.jobId)?.resume(); return;
      case 'dispose': void this.dispose(); return;
    }
  }

  async dispose(): Promise<void> {
    for (const c of this.running.values()) c.abort();
    await this.pool.dispose();
    await Promise.all([...this.runtimes.values()].map((r) => r.dispose()));
    this.runtimes.clear();
  }

  private reply(rid: number, f: () => Promise<unknown>): void {
    f().then(
      (value) => this.post({ type: 'reply', rid, ok: true, value }),
      (err: unknown) => this.post({
        type: 'reply', rid, ok: false,
        error: { message: (err as Error)?.message ?? String(err), ...(err instanceof ModelLoadError ? { code: err.code } : {}) },
      }),
    );
  }

  async probe(): Promise<ProbeResult> {
    const caps = await this.deps.caps();
    const { backend, fallbackReason } = pickBrowserBackend('auto', caps);
    return { caps, backend, fallbackReason };
  }

  private async list(): Promise<ModelEntryView[]> {
    return (await this.registry.entries()).map(({ manifest: m, bytes, cached }) => ({
      id: m.id, task: m.task, title: m.title, bytes, cached, needs: { ...m.needs }, source: m.source,
    }));
  }

  private progressPoster(modelId: string): (p: LoadProgress) => void {
    return (p) => this.post({ type: 'model-progress', modelId, progress: p });
  }

  /** A session for a job; the Models window hears whether its model loaded. */
  private async jobSession(rt: Runtime, id: string, so: SessionOptions | undefined, emit: (e: JobEvent) => void) {
    const toModels = this.progressPoster(id);
    const onProgress = (p: LoadProgress) => {
      toModels(p);
      emit({ type: 'progress', file: `${id}`, loaded: p.loaded, total: p.total });
    };
    try {
      const s = await this.pool.session(rt, id, so, onProgress);
      this.post({ type: 'model-state', modelId: id, status: 'ready' });
      return s;
    } catch (err) {
      const e = asLoadError(id, err);
      this.post({ type: 'model-state', modelId: id, status: 'error', error: { code: e.code, message: e.message } });
      throw e;
    }
  }

  private async load(modelId: string): Promise<null> {
    await this.registry.load(modelId, { onProgress: this.progressPoster(modelId) });
    return null;
  }

  private async storage(): Promise<StorageView> {
    const est = (await this.deps.storageEstimate?.().catch(() => undefined)) ?? {};
    return { usage: est.usage ?? 0, quota: est.quota ?? 0, cachedBytes: await this.registry.cachedBytes() };
  }

  private async runtimeFor(choice: RunSpec['backend']): Promise<{ rt: Runtime; fallbackReason?: string }> {
    const caps = await this.deps.caps();
    const { backend, fallbackReason } = pickBrowserBackend(choice ?? 'auto', caps);
    let rt = this.runtimes.get(backend);
    if (!rt) {
      rt = this.deps.createRuntime(backend, caps, fallbackReason);
      this.runtimes.set(backend, rt);
    }
    return { rt, fallbackReason };
  }

  private async run(jobId: string, spec: RunSpec, ctrl: AbortController, pause: PauseGate): Promise<void> {
    const emit = (event: JobEvent) => {
      // The terminal event goes out once, as 'job-end', below.
      if (event.type === 'complete' || event.type === 'error' || event.type === 'canceled') return;
      this.post({ type: 'job-event', jobId, event });
    };
    let end: TerminalEvent;
    if (ctrl.signal.aborted) {
      end = { type: 'canceled' };
    } else {
      try {
        const { rt, fallbackReason } = await this.runtimeFor(spec.backend);
        if (fallbackReason) emit({ type: 'warning', message: `WebGPU unavailable (${fallbackReason}); running on wasm` });
        const models = { session: (id: string, so?: SessionOptions) => this.jobSession(rt, id, so, emit) };
        end = await executeTask(spec, rt, { signal: ctrl.signal, emit, models, pause });
      } catch (err) {
        end = { type: 'error', message: (err as Error)?.message ?? String(err) };
      }
    }
    this.post({ type: 'job-end', jobId, event: end });
  }
}
