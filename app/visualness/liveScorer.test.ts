import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { JobSpec, JobView } from '../worker/StudioClient.ts';
import { LiveScorer, type LiveClient, type LiveState } from './liveScorer.ts';

/** Jobs stay running until the test finishes them. */
class ManualClient implements LiveClient {
  list: JobView[] = [];
  specs: JobSpec[] = [];
  canceled: string[] = [];
  private subs = new Set<(j: JobView[]) => void>();
  enqueue(spec: JobSpec): string {
    const id = `j${this.list.length + 1}`;
    this.specs.push(spec);
    this.list.push({ id, task: spec.task, label: spec.label ?? '', status: 'running', createdAt: 0, events: [] });
    this.emit();
    return id;
  }
  cancel(id: string): void { this.canceled.push(id); this.patch(id, { status: 'canceled' }); }
  jobs(): JobView[] { return this.list.map((j) => ({ ...j })); }
  onJobs(fn: (j: JobView[]) => void): () => void { this.subs.add(fn); return () => this.subs.delete(fn); }
  finish(id: string, result: unknown): void { this.patch(id, { status: 'done', result }); }
  fail(id: string, error: string): void { this.patch(id, { status: 'failed', error }); }
  private patch(id: string, p: Partial<JobView>): void { this.list = this.list.map((j) => (j.id === id ? { ...j, ...p } : j)); this.emit(); }
  private emit(): void { for (const f of this.subs) f(this.jobs()); }
}

const result = (score: number) => ({ sentences: [], document: { score, visual: score > 0.5 }, threshold: 0.5, leastVisualWords: [], mostVisualWords: [], skippedSentences: 0, model: 'm', backend: 'wasm', ms: 1 });

describe('LiveScorer (debounced scoring in a worker job)', () => {
  beforeEach(() => { vi.useFakeTimers(); });
  afterEach(() => { vi.useRealTimers(); });

  it('debounces keystrokes into one job for the latest text', () => {
    const c = new ManualClient();
    const states: LiveState[] = [];
    const live = new LiveScorer(c, (s) => states.push(s), { debounceMs: 200 });
    for (const t of ['a', 'a r', 'a re', 'a red']) { live.request(t); vi.advanceTimersByTime(50); }
    expect(c.specs).toHaveLength(0);
    expect(live.current.pending).toBe(true);
    vi.advanceTimersByTime(200);
    expect(c.specs).toHaveLength(1);
    expect(c.specs[0]).toMatchObject({ task: 'visualness', input: { text: 'a red' } });
    c.finish('j1', result(0.9));
    expect(live.current).toMatchObject({ text: 'a red', pending: false });
    expect(live.current.result?.document?.score).toBe(0.9);
    live.dispose();
  });

  it('a newer request cancels the running job and its late result is never shown', () => {
    const c = new ManualClient();
    const live = new LiveScorer(c, () => undefined, { debounceMs: 10 });
    live.request('first');
    vi.advanceTimersByTime(10);
    live.request('second');
    vi.advanceTimersByTime(10);
    expect(c.canceled).toEqual(['j1']);
    c.finish('j1', result(0.1)); // a stale completion racing the cancel
    expect(live.current.result).toBeUndefined();
    c.finish('j2', result(0.7));
    expect(live.current).toMatchObject({ text: 'second', pending: false });
    live.dispose();
  });

  it('a failed job surfaces its error; dispose cancels what is running', () => {
    const c = new ManualClient();
    const live = new LiveScorer(c, () => undefined, { debounceMs: 0 });
    live.request('x');
    vi.advanceTimersByTime(0);
    c.fail('j1', 'model visualness: unreachable');
    expect(live.current.error).toMatch(/unreachable/);
    live.request('y');
    vi.advanceTimersByTime(0);
    live.dispose();
    expect(c.canceled).toContain('j2');
  });
});
