import { describe, expect, it } from 'vitest';
import type { JobView } from '../worker/StudioClient.ts';
import { finishedSince, toastFor } from './toasts.ts';

const job = (id: string, status: JobView['status'], extra: Partial<JobView> = {}): JobView => ({ id, task: 'demo', label: 'Demo job', status, createdAt: 0, events: [], ...extra });

describe('job outcome toasts', () => {
  it('reports jobs that went from active to done or failed, not cancels or old history', () => {
    const prev = [job('a', 'running'), job('b', 'queued'), job('c', 'queued'), job('old', 'done')];
    const next = [job('a', 'done'), job('b', 'failed', { error: 'sha256 mismatch' }), job('c', 'canceled'), job('old', 'done'), job('new', 'done')];
    expect(finishedSince(prev, next).map((j) => j.id)).toEqual(['a', 'b']);
    expect(finishedSince(next, next)).toEqual([]);
  });
  it('words done and failed jobs, with the error for failures', () => {
    expect(toastFor(job('a', 'done'))).toEqual({ tone: 'ok', title: 'Demo job finished' });
    expect(toastFor(job('b', 'failed', { error: 'sha256 mismatch' }))).toEqual({ tone: 'bad', title: 'Demo job failed', body: 'sha256 mismatch' });
  });
});
