/**
 * The Queue window's view-model: JobView[] from the client → rows with labels, progress text,
 * ETA and which buttons apply. Pure, so the ordering and button rules are unit-tested and the
 * React component only renders.
 */
import type { JobStatus, JobView } from '../worker/StudioClient.ts';
import { formatDuration, formatRate } from '../ui/format.ts';

export type Tone = 'active' | 'waiting' | 'ok' | 'bad' | 'muted';

export interface QueueRow {
  id: string;
  label: string;
  task: string;
  status: JobStatus;
  statusLabel: string;
  tone: Tone;
  /** 0..1 when the job reports steps (or is done); undefined means indeterminate. */
  fraction?: number;
  /** 'k/n' */
  stepText?: string;
  etaText?: string;
  rateText?: string;
  /** Phase while running, the error message when failed, the run time when finished. */
  detail?: string;
  canCancel: boolean;
  canMoveUp: boolean;
  canMoveDown: boolean;
  /** Position among queued jobs (what client.reorder expects), -1 if not queued. */
  queuedIndex: number;
}

export interface QueueSummary { running: number; queued: number; done: number; failed: number; canceled: number }

const STATUS_LABEL: Record<JobStatus, string> = { queued: 'Queued', running: 'Running', done: 'Done', failed: 'Failed', canceled: 'Canceled' };
const TONE: Record<JobStatus, Tone> = { queued: 'waiting', running: 'active', done: 'ok', failed: 'bad', canceled: 'muted' };

export const isFinished = (s: JobStatus): boolean => s === 'done' || s === 'failed' || s === 'canceled';

function progressOf(j: JobView): Pick<QueueRow, 'fraction' | 'stepText' | 'etaText' | 'rateText'> {
  if (j.status === 'done') return { fraction: 1, stepText: j.step ? `${j.step.n}/${j.step.n}` : undefined };
  if (!j.step || j.step.n <= 0) return {};
  const { k, n, etaS, rate } = j.step;
  return {
    fraction: Math.min(1, Math.max(0, k / n)),
    stepText: `${k}/${n}`,
    etaText: j.status === 'running' && etaS !== undefined ? `ETA ${formatDuration(etaS)}` : undefined,
    rateText: j.status === 'running' && rate !== undefined ? formatRate(rate) : undefined,
  };
}

function detailOf(j: JobView): string | undefined {
  if (j.status === 'failed') return j.error ?? 'failed without a message';
  if (j.status === 'running') return j.phase;
  if (isFinished(j.status) && j.startedAt !== undefined && j.endedAt !== undefined) return `ran ${formatDuration((j.endedAt - j.startedAt) / 1000)}`;
  if (j.status === 'canceled') return 'canceled before it started';
  return undefined;
}

/**
 * Rows in the order a user reads a queue: running jobs, then queued jobs in run order (the
 * client's order), then finished jobs newest first. Jobs in `hidden` (cleared) are left out.
 */
export function buildQueueRows(jobs: readonly JobView[], hidden: ReadonlySet<string> = new Set()): QueueRow[] {
  const visible = jobs.filter((j) => !hidden.has(j.id));
  const running = visible.filter((j) => j.status === 'running');
  const queued = visible.filter((j) => j.status === 'queued');
  const finished = visible.filter((j) => isFinished(j.status)).sort((a, b) => (b.endedAt ?? b.createdAt) - (a.endedAt ?? a.createdAt));
  // Reorder indices count every queued job the client knows, hidden or not.
  const allQueued = jobs.filter((j) => j.status === 'queued').map((j) => j.id);
  return [...running, ...queued, ...finished].map((j) => {
    const qi = allQueued.indexOf(j.id);
    return {
      id: j.id,
      label: j.label || j.task,
      task: j.task,
      status: j.status,
      statusLabel: STATUS_LABEL[j.status],
      tone: TONE[j.status],
      ...progressOf(j),
      detail: detailOf(j),
      canCancel: j.status === 'queued' || j.status === 'running',
      canMoveUp: qi > 0,
      canMoveDown: qi >= 0 && qi < allQueued.length - 1,
      queuedIndex: qi,
    };
  });
}

export function summarize(jobs: readonly JobView[]): QueueSummary {
  const s: QueueSummary = { running: 0, queued: 0, done: 0, failed: 0, canceled: 0 };
  for (const j of jobs) s[j.status]++;
  return s;
}

/** The job the status bar mirrors: the running one, else the next queued one. */
export function activeJob(jobs: readonly JobView[]): JobView | undefined {
  return jobs.find((j) => j.status === 'running') ?? jobs.find((j) => j.status === 'queued');
}

/** Ids of finished jobs (what "Clear finished" hides). */
export const finishedIds = (jobs: readonly JobView[]): string[] => jobs.filter((j) => isFinished(j.status)).map((j) => j.id);
