/**
 * Job outcome notifications: when a job the user was waiting on finishes or fails while its
 * Queue row may be out of sight, a toast says so. Cancels are the user's own action and stay
 * quiet. `finishedSince` is pure (tested); the store holds the visible toasts.
 *
 *   pushToast({ tone: 'bad', title: 'Demo job failed', body: 'model demo-mlp: …' });
 */
import { create } from 'zustand';
import type { JobView } from '../worker/StudioClient.ts';

export interface Toast {
  id: number;
  tone: 'ok' | 'bad' | 'info';
  title: string;
  body?: string;
}

/** Jobs that were queued/running in `prev` and are done or failed in `next`. */
export function finishedSince(prev: readonly JobView[], next: readonly JobView[]): JobView[] {
  const wasActive = new Set(prev.filter((j) => j.status === 'queued' || j.status === 'running').map((j) => j.id));
  return next.filter((j) => wasActive.has(j.id) && (j.status === 'done' || j.status === 'failed'));
}

export function toastFor(j: JobView): Omit<Toast, 'id'> {
  const label = j.label || j.task;
  return j.status === 'failed' ? { tone: 'bad', title: `${label} failed`, body: j.error ?? 'no error message' } : { tone: 'ok', title: `${label} finished` };
}

const MAX_TOASTS = 4;
const LIFETIME_MS = { ok: 5000, info: 5000, bad: 12000 } as const;

export const useToasts = create<{ toasts: Toast[] }>()(() => ({ toasts: [] }));
let nextId = 1;

export function dismissToast(id: number): void {
  useToasts.setState((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) }));
}

export function pushToast(t: Omit<Toast, 'id'>): number {
  const id = nextId++;
  useToasts.setState((s) => ({ toasts: [...s.toasts, { ...t, id }].slice(-MAX_TOASTS) }));
  if (typeof setTimeout !== 'undefined') setTimeout(() => dismissToast(id), LIFETIME_MS[t.tone]);
  return id;
}
