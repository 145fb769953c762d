/**
 * A StudioClient for store tests whose jobs run scripted pipelines on the real JobQueue: each
 * task maps to a function that emits events and returns a result (or throws). Everything else
 * comes from FakeStudioClient. Not used by the shipped app.
 */
import { JobQueue } from '../../pipelines/core/queue.ts';
import type { JobEvent, ProgressEvent } from '../../pipelines/core/events.ts';
import type { JobSpec, JobView } from '../worker/StudioClient.ts';
import { FakeStudioClient, type FakeClientOptions } from './fakeClient.ts';

export type Script = (spec: JobSpec, emit: (e: ProgressEvent) => void, signal: AbortSignal) => Promise<unknown>;

export class ScriptedStudioClient extends FakeStudioClient {
  readonly specs: JobSpec[] = [];
  private readonly queue: JobQueue<JobSpec>;

  constructor(scripts: Record<string, Script>, opts: FakeClientOptions = {}) {
    super(opts);
    this.queue = new JobQueue<JobSpec>(async ({ spec }, ctx) => {
      const script = scripts[spec.task];
      if (!script) return { type: 'error', message: `unknown task "${spec.task}"` };
      try {
        const result = await script(spec, (e) => ctx.emit(e as JobEvent), ctx.signal);
        return ctx.signal.aborted ? { type: 'canceled' } : { type: 'complete', result };
      } catch (e) {
        return ctx.signal.aborted ? { type: 'canceled' } : { type: 'error', message: (e as Error).message };
      }
    }, { maxEvents: 4 });
  }

  override enqueue(spec: JobSpec): string {
    this.specs.push(spec);
    return this.queue.enqueue(spec);
  }
  override cancel(id: string): void { this.queue.cancel(id); }
  override jobs(): JobView[] { return this.queue.jobs(); }
  override onJobs(fn: (jobs: JobView[]) => void): () => void { return this.queue.subscribe(fn); }
  whenDone(id: string): Promise<JobView> { return this.queue.whenDone(id); }
  override dispose(): void { this.queue.dispose(); super.dispose(); }
}
