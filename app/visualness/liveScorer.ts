/**
 * Scores text as the user types, off the main thread: each request waits `debounceMs` of quiet,
 * then runs the 'visualness' task as a job on a StudioClient (its worker hosts the model);
 * a newer request cancels the older job, so only the latest text's result is ever delivered.
 * Input handlers only call `request()` (a timer reset), so typing never waits on scoring.
 *
 *   const live = new LiveScorer(client, (s) => render(s), { debounceMs: 250 });
 *   live.request('a red kite over green hills');
 *   live.dispose();
 */
import type { VisualnessJobResult } from '../../pipelines/visualness/index.ts';
import type { StudioClient } from '../worker/StudioClient.ts';
import { followJob } from '../state/followJob.ts';

export interface LiveState {
  /** Text of the latest delivered result. */
  text: string;
  result?: VisualnessJobResult;
  /** A request is waiting for its debounce or its job. */
  pending: boolean;
  error?: string;
}

export type LiveClient = Pick<StudioClient, 'enqueue' | 'cancel' | 'jobs' | 'onJobs'>;

export class LiveScorer {
  private timer?: ReturnType<typeof setTimeout>;
  private jobId?: string;
  private stopFollow?: () => void;
  private seq = 0;
  private state: LiveState = { text: '', pending: false };
  private disposed = false;

  constructor(private readonly client: LiveClient, private readonly onChange: (s: LiveState) => void, private readonly o: { debounceMs?: number; label?: string } = {}) {}

  get current(): LiveState { return this.state; }

  request(text: string, threshold?: number): void {
    if (this.disposed) return;
    clearTimeout(this.timer);
    const mine = ++this.seq;
    this.set({ ...this.state, pending: true });
    this.timer = setTimeout(() => this.start(mine, text, threshold), this.o.debounceMs ?? 250);
  }

  private start(mine: number, text: string, threshold?: number): void {
    if (mine !== this.seq || this.disposed) return;
    this.stopJob();
    const id = this.client.enqueue({ task: 'visualness', label: this.o.label ?? 'Visualness (live)', input: { text, ...(threshold === undefined ? {} : { threshold }) } });
    this.jobId = id;
    this.stopFollow = followJob(this.client, id, {
      end: (job) => {
        if (mine !== this.seq || this.disposed) return;
        this.jobId = undefined;
        if (job.status === 'done') this.set({ text, result: job.result as VisualnessJobResult, pending: false });
        else if (job.status === 'failed') this.set({ ...this.state, pending: false, error: job.error ?? 'scoring failed' });
      },
    });
  }

  private stopJob(): void {
    this.stopFollow?.();
    this.stopFollow = undefined;
    if (this.jobId) this.client.cancel(this.jobId);
    this.jobId = undefined;
  }

  private set(s: LiveState): void {
    this.state = s;
    this.onChange(s);
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.timer);
    this.stopJob();
  }
}
