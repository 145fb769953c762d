/**
 * Mesh Stylize workspace state: the chosen mesh, the prompt and run settings, the current job and
 * what its events carry (loss per iteration, the latest mesh preview, the current rendered views),
 * the result, and the before/after toggle. Pure TS (no React): the workspace subscribes with selectors.
 *
 *   xmeshActions().pickSample('vase');
 *   await xmeshActions().start();          // enqueues an 'xmesh' job on the studio client
 *   xmeshActions().exportMesh('glb');      // the stylized mesh with its recipe
 */
import { create } from 'zustand';
import { exportGlb, exportPly } from '../../pipelines/core/mesh/exportMesh.ts';
import { loadMesh, type LoadedMesh } from '../../pipelines/core/mesh/loadMesh.ts';
import { sampleMesh } from '../../pipelines/core/mesh/samples.ts';
import type { JobEvent } from '../../pipelines/core/events.ts';
import type { XmeshInput, XmeshParams, XmeshResult } from '../../pipelines/xmesh/index.ts';
import type { JobView } from '../worker/StudioClient.ts';
import { useStudio } from './studioStore.ts';
import { fetchClipAssets, type ClipAssetSource } from './xmeshClip.ts';

export type XmeshRunState = 'idle' | 'preparing' | 'queued' | 'running' | 'paused' | 'done' | 'failed' | 'canceled';

export interface XmeshState {
  meshName: string;
  mesh?: LoadedMesh;
  meshError?: string;
  prompt: string;
  method: XmeshParams['method'];
  steps: number;
  seed: number;
  views: number;
  jobId?: string;
  run: XmeshRunState;
  /** A pause or resume was asked for and the worker has not confirmed it yet (it acts between iterations). */
  pending?: 'pause' | 'resume';
  error?: string;
  /** Global-pass loss per finished iteration (index = iteration − 1). */
  losses: number[];
  step?: { k: number; n: number };
  preview?: { positions: Float32Array; colors: Float32Array; step: number };
  viewsImage?: { rgba: Uint8ClampedArray; width: number; height: number; step: number };
  result?: XmeshResult;
  showBefore: boolean;
}

const initial = (): XmeshState => ({
  meshName: 'sample:vase', prompt: 'a vase made of red brick', method: 'tdam', steps: 100, seed: 23, views: 4,
  run: 'idle', losses: [], showBefore: false,
});

export const useXmesh = create<XmeshState>()(() => initial());

/** Where the worker job gets CLIP from; tests may point it elsewhere. */
let clipSource: ClipAssetSource = { base: 'models/micro-clip/' };
export function setXmeshClipSource(s: ClipAssetSource): void { clipSource = s; }

/** Small, fast field for interactive runs in the browser (the CLI/bench choose their own). */
export const BROWSER_FIELD: Partial<XmeshParams> = { width: 64, depth: 2, frequencies: 64, previewEvery: 5, preset: 'interactive' };

let unsubscribe: (() => void) | undefined;

/** Fold a job snapshot into the state (idempotent: events are keyed by step). */
export function applyJob(j: JobView): void {
  const s = useXmesh.getState();
  if (s.jobId !== j.id) return;
  const losses = [...s.losses];
  let preview = s.preview, viewsImage = s.viewsImage, step = s.step;
  // The pipeline confirms a pause with a 'paused' phase and a resume with the 'steps' phase.
  let paused: boolean | undefined;
  for (const e of j.events as JobEvent[]) {
    if (e.type === 'phase') paused = e.phase === 'paused';
    if (e.type === 'metric' && e.name === 'loss' && e.step !== undefined) losses[e.step - 1] = e.value;
    else if (e.type === 'preview' && e.kind === 'mesh' && (preview === undefined || (e.step ?? 0) >= preview.step)) preview = { positions: e.positions, colors: e.colors, step: e.step ?? 0 };
    else if (e.type === 'preview' && e.kind === 'image' && (viewsImage === undefined || (e.step ?? 0) >= viewsImage.step)) viewsImage = { rgba: e.rgba, width: e.width, height: e.height, step: e.step ?? 0 };
    else if (e.type === 'step') step = { k: e.k, n: e.n };
  }
  const wasPaused = s.run === 'paused';
  const isPaused = j.status === 'running' && (paused ?? wasPaused);
  const run: XmeshRunState = j.status === 'done' ? 'done' : j.status === 'failed' ? 'failed' : j.status === 'canceled' ? 'canceled' : isPaused ? 'paused' : j.status === 'running' ? 'running' : 'queued';
  const pending = j.status !== 'running' || (s.pending === 'pause' && isPaused) || (s.pending === 'resume' && !isPaused) ? undefined : s.pending;
  const result = j.status === 'done' ? (j.result as XmeshResult) : s.result;
  if (result && j.status === 'done') preview = { positions: result.positions, colors: result.colors, step: result.losses.length };
  useXmesh.setState({ losses, preview, viewsImage, step, run, pending, result, error: j.error });
  if (run === 'done' || run === 'failed' || run === 'canceled') { unsubscribe?.(); unsubscribe = undefined; }
}

function watch(jobId: string): void {
  unsubscribe?.();
  const find = (jobs: JobView[]) => jobs.find((j) => j.id === jobId);
  unsubscribe = useStudio.subscribe((st) => { const j = find(st.jobs); if (j) applyJob(j); });
  const j = find(useStudio.getState().jobs);
  if (j) applyJob(j);
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

export interface XmeshActions {
  set(patch: Partial<Pick<XmeshState, 'prompt' | 'method' | 'steps' | 'seed' | 'views'>>): void;
  pickSample(name: string): void;
  loadFile(name: string, bytes: Uint8Array): Promise<void>;
  start(): Promise<string | undefined>;
  cancel(): void;
  /** Pause a running stylization between iterations, or resume a paused one (no-op otherwise). */
  togglePause(): void;
  toggleBefore(): void;
  /** Bytes + file name of the stylized mesh (GLB with recipe, or PLY); undefined before a result. */
  exportMesh(kind: 'glb' | 'ply'): { name: string; bytes: Uint8Array } | undefined;
}

export const xmeshActions = (): XmeshActions => ({
  set: (patch) => useXmesh.setState(patch),
  pickSample: (name) => {
    try {
      useXmesh.setState({ meshName: `sample:${name}`, mesh: sampleMesh(name), meshError: undefined, result: undefined, preview: undefined, showBefore: false });
    } catch (e) {
      useXmesh.setState({ meshError: message(e) });
    }
  },
  loadFile: async (name, bytes) => {
    try {
      const mesh = await loadMesh(bytes, name, { targetVertices: 0 });
      useXmesh.setState({ meshName: name, mesh, meshError: undefined, result: undefined, preview: undefined, showBefore: false });
    } catch (e) {
      useXmesh.setState({ meshError: message(e) });
    }
  },
  start: async () => {
    const s = useXmesh.getState();
    const client = useStudio.getState().client;
    if (!client) { useXmesh.setState({ run: 'failed', error: 'studio client not connected' }); return undefined; }
    const mesh = s.mesh ?? sampleMesh(s.meshName.replace(/^sample:/, ''));
    useXmesh.setState({ mesh, run: 'preparing', pending: undefined, error: undefined, losses: [], preview: undefined, viewsImage: undefined, step: undefined, result: undefined, showBefore: false });
    try {
      const clip = await fetchClipAssets(clipSource, s.prompt);
      const input: XmeshInput = { mesh: mesh.mesh, prompt: s.prompt, clip };
      const params: Partial<XmeshParams> = { ...BROWSER_FIELD, method: s.method, steps: s.steps, seed: s.seed, views: s.views };
      const jobId = client.enqueue({ task: 'xmesh', label: `Stylize: ${s.prompt}`, input, params });
      useXmesh.setState({ jobId, run: 'queued' });
      watch(jobId);
      return jobId;
    } catch (e) {
      useXmesh.setState({ run: 'failed', error: message(e) });
      return undefined;
    }
  },
  cancel: () => {
    const { jobId } = useXmesh.getState();
    const client = useStudio.getState().client;
    if (jobId && client) client.cancel(jobId);
  },
  togglePause: () => {
    const { jobId, run, pending } = useXmesh.getState();
    const client = useStudio.getState().client;
    if (!jobId || !client?.pause || !client.resume || pending) return;
    if (run === 'running') { useXmesh.setState({ pending: 'pause' }); client.pause(jobId); }
    else if (run === 'paused') { useXmesh.setState({ pending: 'resume' }); client.resume(jobId); }
  },
  toggleBefore: () => useXmesh.setState((s) => ({ showBefore: !s.showBefore })),
  exportMesh: (kind) => {
    const s = useXmesh.getState();
    const r = s.result;
    if (!r) return undefined;
    const recipe = { ...r.recipe, mesh: s.meshName };
    const base = s.prompt.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '').toLowerCase() || 'stylized';
    const m = { positions: r.positions, indices: r.indices, colors: r.colors };
    return kind === 'glb'
      ? { name: `${base}.glb`, bytes: exportGlb(m, { recipe, name: s.prompt }) }
      : { name: `${base}.ply`, bytes: exportPly(m, `atelier xmesh ${JSON.stringify(recipe)}`) };
  },
});

/** Back to the initial state (tests). */
export function resetXmesh(): void {
  unsubscribe?.();
  unsubscribe = undefined;
  useXmesh.setState(initial(), true);
}
