import { describe, expect, it } from 'vitest';
import type { JobView } from '../worker/StudioClient.ts';
import { activeJob, buildQueueRows, finishedIds, summarize } from './queueView.ts';

const job = (id: string, status: JobView['status'], extra: Partial<JobView> = {}): JobView => ({ id, task: 'demo', label: `Job ${id}`, status, createdAt: 0, events: [], ...extra });

describe('buildQueueRows', () => {
  const jobs = [
    job('d1', 'done', { startedAt: 1000, endedAt: 3500, step: { k: 40, n: 40 } }),
    job('q1', 'queued'),
    job('r1', 'running', { step: { k: 10, n: 40, rate: 12.5, etaS: 2.4 }, phase: 'steps' }),
    job('q2', 'queued'),
    job('f1', 'failed', { endedAt: 5000, error: 'model demo-mlp: sha256 mismatch' }),
    job('c1', 'canceled', { endedAt: 4000 }),
    job('q3', 'queued'),
  ];
  const rows = buildQueueRows(jobs);

  it('orders running, then queued in run order, then finished newest first', () => {
    expect(rows.map((r) => r.id)).toEqual(['r1', 'q1', 'q2', 'q3', 'f1', 'c1', 'd1']);
  });

  it('shows k/n, ETA and rate for the running job', () => {
    const r = rows.find((x) => x.id === 'r1')!;
    expect(r).toMatchObject({ fraction: 0.25, stepText: '10/40', etaText: 'ETA 2s', rateText: '13 it/s', detail: 'steps', canCancel: true, tone: 'active' });
  });

  it('allows cancel on queued and running jobs only, and up/down only within the queued block', () => {
    const by = Object.fromEntries(rows.map((r) => [r.id, r]));
    expect(['r1', 'q1', 'q2', 'q3'].every((id) => by[id].canCancel)).toBe(true);
    expect(['d1', 'f1', 'c1'].some((id) => by[id].canCancel)).toBe(false);
    expect([by.q1.canMoveUp, by.q1.canMoveDown]).toEqual([false, true]);
    expect([by.q2.canMoveUp, by.q2.canMoveDown, by.q2.queuedIndex]).toEqual([true, true, 1]);
    expect([by.q3.canMoveUp, by.q3.canMoveDown]).toEqual([true, false]);
    expect([by.r1.canMoveUp, by.r1.canMoveDown, by.r1.queuedIndex]).toEqual([false, false, -1]);
  });

  it('distinguishes outcomes: done is full with its run time, failed carries the error, canceled is muted', () => {
    const by = Object.fromEntries(rows.map((r) => [r.id, r]));
    expect(by.d1).toMatchObject({ statusLabel: 'Done', tone: 'ok', fraction: 1, detail: 'ran 3s' });
    expect(by.f1).toMatchObject({ statusLabel: 'Failed', tone: 'bad', detail: 'model demo-mlp: sha256 mismatch' });
    expect(by.c1).toMatchObject({ statusLabel: 'Canceled', tone: 'muted', detail: 'canceled before it started' });
  });

  it('hides cleared jobs but keeps reorder indices relative to all queued jobs', () => {
    const r = buildQueueRows(jobs, new Set(['d1', 'f1', 'c1']));
    expect(r.map((x) => x.id)).toEqual(['r1', 'q1', 'q2', 'q3']);
  });
});

describe('summaries', () => {
  const jobs = [job('a', 'running'), job('b', 'queued'), job('c', 'done'), job('d', 'canceled')];
  it('counts by status and picks the active job', () => {
    expect(summarize(jobs)).toEqual({ running: 1, queued: 1, done: 1, failed: 0, canceled: 1 });
    expect(activeJob(jobs)?.id).toBe('a');
    expect(activeJob([job('b', 'queued')])?.id).toBe('b');
    expect(finishedIds(jobs)).toEqual(['c', 'd']);
  });
});
