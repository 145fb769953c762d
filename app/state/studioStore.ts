/**
 * What the worker tells the UI — capability probe, jobs, models, storage — mirrored into one
 * zustand store so panels subscribe with narrow selectors. connectClient() wires a StudioClient
 * (the real one from app/worker/client.ts, or the fake in tests) and returns a disconnect.
 *
 *   const stop = connectClient(client);
 *   const jobs = useStudio((s) => s.jobs);
 *   studioActions().runDemoJob();
 */
import { create } from 'zustand';
import type { JobView, ModelView, ProbeResult, StorageView, StudioClient } from '../worker/StudioClient.ts';
import { finishedIds } from './queueView.ts';
import { finishedSince, pushToast, toastFor } from './toasts.ts';

export interface StudioState {
  client?: StudioClient;
  probe?: ProbeResult;
  probeError?: string;
  jobs: JobView[];
  models: ModelView[];
  modelsError?: string;
  storage?: StorageView;
  /** Finished jobs the user cleared from the Queue window (the client keeps its history). */
  hiddenJobIds: string[];
  /** Load failures reported only by a rejected promise (the ModelView error wins when present). */
  loadErrors: Record<string, string>;
  /** When each in-flight load started (performance.now()), for download speed. */
  loadStartedAt: Record<string, number>;
}

export const useStudio = create<StudioState>()(() => ({ jobs: [], models: [], hiddenJobIds: [], loadErrors: {}, loadStartedAt: {} }));

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

function requireClient(): StudioClient {
  const c = useStudio.getState().client;
  if (!c) throw new Error('studio client not connected');
  return c;
}

async function refreshStorage(): Promise<void> {
  const c = useStudio.getState().client;
  if (!c) return;
  try {
    const storage = await c.storage();
    if (useStudio.getState().client === c) useStudio.setState({ storage });
  } catch {
    // Storage estimates are best-effort (some browsers refuse them); the panel shows '—'.
  }
}

export function connectClient(client: StudioClient): () => void {
  useStudio.setState({ client, jobs: client.jobs(), models: [], probe: undefined, probeError: undefined, modelsError: undefined, storage: undefined, hiddenJobIds: [], loadErrors: {}, loadStartedAt: {} });
  const live = () => useStudio.getState().client === client;
  const offJobs = client.onJobs((jobs) => {
    if (!live()) return;
    const prev = useStudio.getState().jobs;
    useStudio.setState({ jobs });
    for (const j of finishedSince(prev, jobs)) pushToast(toastFor(j));
  });
  let lastCached = '';
  const offModels = client.onModels((models) => {
    if (!live()) return;
    useStudio.setState({ models });
    // Cache contents changed (a load finished or a delete): storage usage changed with it.
    const cached = models.map((m) => `${m.id}:${m.cached}`).join(',');
    if (cached !== lastCached) { lastCached = cached; void refreshStorage(); }
  });
  client.probe().then(
    (probe) => live() && useStudio.setState({ probe }),
    (e: unknown) => live() && useStudio.setState({ probeError: message(e) }),
  );
  client.listModels().then(
    (models) => { if (live()) { lastCached = models.map((m) => `${m.id}:${m.cached}`).join(','); useStudio.setState({ models }); } },
    (e: unknown) => live() && useStudio.setState({ modelsError: message(e) }),
  );
  void refreshStorage();
  return () => {
    offJobs();
    offModels();
    if (live()) useStudio.setState({ client: undefined });
  };
}

export interface StudioActions {
  runDemoJob(): string;
  cancelJob(id: string): void;
  /** Move a queued job by `delta` places among queued jobs. */
  moveJob(id: string, delta: number): void;
  clearFinished(): void;
  loadModel(id: string): Promise<void>;
  deleteModel(id: string): Promise<void>;
}

export const studioActions = (): StudioActions => ({
  runDemoJob: () => requireClient().enqueue({ task: 'demo', label: 'Demo job', input: {}, params: { steps: 40 } }),
  cancelJob: (id) => requireClient().cancel(id),
  moveJob: (id, delta) => {
    const queued = useStudio.getState().jobs.filter((j) => j.status === 'queued').map((j) => j.id);
    const at = queued.indexOf(id);
    if (at < 0) return;
    const to = Math.min(queued.length - 1, Math.max(0, at + delta));
    if (to !== at) requireClient().reorder(id, to);
  },
  clearFinished: () => {
    const s = useStudio.getState();
    useStudio.setState({ hiddenJobIds: [...new Set([...s.hiddenJobIds, ...finishedIds(s.jobs)])] });
  },
  loadModel: async (id) => {
    const { [id]: _old, ...rest } = useStudio.getState().loadErrors;
    useStudio.setState((s) => ({ loadErrors: rest, loadStartedAt: { ...s.loadStartedAt, [id]: performance.now() } }));
    try {
      await requireClient().loadModel(id);
    } catch (e) {
      useStudio.setState((s) => ({ loadErrors: { ...s.loadErrors, [id]: message(e) } }));
    }
    await refreshStorage();
  },
  deleteModel: async (id) => {
    await requireClient().deleteModel(id);
    await refreshStorage();
  },
});
