/**
 * Image Edit (generate mode) state: the recipe being edited, the running 'text2image' job with its
 * live preview, the results strip, and which prompt token is hovered (its cross-attention map is
 * shown over the selected result).
 *
 *   imageEditActions.set({ prompt: 'a red star on grass', steps: 8 });
 *   imageEditActions.generate();       // enqueues text2image, streams previews, appends a result
 */
import { create } from 'zustand';
import type { JobEvent } from '../../pipelines/core/events.ts';
import { useStudio } from './studioStore.ts';
import { followJob } from './followJob.ts';
import { attentionOf, type ImageAttention } from './imageEditAttention.ts';

export interface ImageEditRecipe {
  prompt: string;
  negativePrompt: string;
  seed: number;
  steps: number;
  guidance: number;
}

export interface ImageResult {
  id: string;
  jobId: string;
  width: number;
  height: number;
  /** Interleaved RGB. */
  rgb: Uint8Array;
  /** PNG with the recipe chunk (download, send to Caption). */
  png?: Uint8Array;
  recipe: ImageEditRecipe & Record<string, unknown>;
  attention?: ImageAttention;
  seconds?: number;
}

export interface Preview { width: number; height: number; rgba: Uint8ClampedArray; step?: number }

export interface ImageEditState extends ImageEditRecipe {
  seedMode: 'fixed' | 'random';
  jobId?: string;
  running: boolean;
  phase?: string;
  step?: { k: number; n: number };
  preview?: Preview;
  error?: string;
  /** Pipeline warnings of the current job (e.g. a UNet without attention maps). */
  warnings: string[];
  results: ImageResult[];
  selectedId?: string;
  /** Token position (in the model's context) under the pointer, if any. */
  hoverToken?: number;
}

export const STEP_RANGE = { min: 1, max: 100 } as const;
export const GUIDANCE_RANGE = { min: 1, max: 20 } as const;
export const MAX_SEED = 2 ** 31 - 1;

const initial = (): ImageEditState => ({
  prompt: 'a red star on grass', negativePrompt: '', seed: 7, steps: 20, guidance: 5, seedMode: 'fixed',
  running: false, results: [], warnings: [],
});

export const useImageEdit = create<ImageEditState>()(initial);

/** Clear messages for values a user can type; undefined when the recipe can run. */
export function recipeProblem(r: ImageEditRecipe): string | undefined {
  if (r.prompt.trim() === '') return 'Type a prompt';
  if (!Number.isInteger(r.steps) || r.steps < STEP_RANGE.min || r.steps > STEP_RANGE.max) return `Steps must be a whole number from ${STEP_RANGE.min} to ${STEP_RANGE.max}`;
  if (!Number.isFinite(r.guidance) || r.guidance < GUIDANCE_RANGE.min || r.guidance > GUIDANCE_RANGE.max) return `Guidance must be between ${GUIDANCE_RANGE.min} and ${GUIDANCE_RANGE.max}`;
  if (!Number.isInteger(r.seed) || r.seed < 0 || r.seed > MAX_SEED) return `Seed must be a whole number from 0 to ${MAX_SEED}`;
  return undefined;
}

let stopFollowing: (() => void) | undefined;
let resultSeq = 0;

function onEvent(e: JobEvent): void {
  if (e.type === 'preview' && e.kind === 'image') useImageEdit.setState({ preview: { width: e.width, height: e.height, rgba: e.rgba, step: e.step } });
  else if (e.type === 'step') useImageEdit.setState({ step: { k: e.k, n: e.n } });
  else if (e.type === 'phase') useImageEdit.setState({ phase: e.label ?? e.phase });
  else if (e.type === 'warning') useImageEdit.setState((s) => ({ warnings: [...s.warnings, e.message] }));
}

interface Text2ImageResultShape { width: number; height: number; rgb: Uint8Array; png?: Uint8Array; recipe?: Record<string, unknown>; seconds?: number }

function isT2iResult(r: unknown): r is Text2ImageResultShape {
  const x = r as Text2ImageResultShape | undefined;
  return !!x && typeof x.width === 'number' && typeof x.height === 'number' && x.rgb instanceof Uint8Array && x.rgb.length === x.width * x.height * 3;
}

export const imageEditActions = {
  set(patch: Partial<ImageEditRecipe & { seedMode: 'fixed' | 'random' }>): void {
    useImageEdit.setState(patch);
  },

  /** Enqueue 'text2image' with the current recipe; returns the job id (undefined when the recipe is invalid). */
  generate(): string | undefined {
    const s = useImageEdit.getState();
    const client = useStudio.getState().client;
    if (!client) { useImageEdit.setState({ error: 'The studio worker is not connected' }); return undefined; }
    const seed = s.seedMode === 'random' ? Math.floor(Math.random() * MAX_SEED) : s.seed;
    const recipe: ImageEditRecipe = { prompt: s.prompt.trim(), negativePrompt: s.negativePrompt.trim(), seed, steps: s.steps, guidance: s.guidance };
    const problem = recipeProblem(recipe);
    if (problem) { useImageEdit.setState({ error: problem }); return undefined; }
    stopFollowing?.();
    const jobId = client.enqueue({
      task: 'text2image', label: `Generate “${truncate(recipe.prompt, 32)}”`,
      input: { prompt: recipe.prompt, negativePrompt: recipe.negativePrompt || undefined },
      params: { seed, steps: recipe.steps, guidance: recipe.guidance, attention: true },
    });
    useImageEdit.setState({ seed, jobId, running: true, error: undefined, preview: undefined, step: { k: 0, n: recipe.steps }, phase: 'queued', hoverToken: undefined, warnings: [] });
    stopFollowing = followJob(client, jobId, {
      event: (e) => { if (useImageEdit.getState().jobId === jobId) onEvent(e); },
      end: (job) => {
        if (useImageEdit.getState().jobId !== jobId) return;
        if (job.status === 'done' && isT2iResult(job.result)) {
          const r = job.result;
          const result: ImageResult = {
            id: `img-${++resultSeq}`, jobId, width: r.width, height: r.height, rgb: r.rgb, png: r.png,
            recipe: { ...(r.recipe ?? {}), ...recipe }, attention: attentionOf(job.result), seconds: r.seconds,
          };
          useImageEdit.setState((st) => ({ running: false, phase: undefined, results: [result, ...st.results], selectedId: result.id }));
        } else {
          const error = job.status === 'done' ? 'text2image returned no image' : job.status === 'canceled' ? undefined : (job.error ?? 'generation failed');
          useImageEdit.setState({ running: false, phase: job.status === 'canceled' ? 'canceled' : undefined, error });
        }
      },
    });
    return jobId;
  },

  cancel(): void {
    const { jobId, running } = useImageEdit.getState();
    if (jobId && running) useStudio.getState().client?.cancel(jobId);
  },

  select(id: string): void {
    useImageEdit.setState({ selectedId: id, preview: undefined });
  },

  /** Put a result's recipe back into the form (to tweak and regenerate). */
  reuse(id: string): void {
    const r = useImageEdit.getState().results.find((x) => x.id === id);
    if (!r) return;
    const { prompt, negativePrompt, seed, steps, guidance } = r.recipe;
    useImageEdit.setState({ prompt, negativePrompt, seed, steps, guidance, seedMode: 'fixed' });
  },

  hoverToken(position: number | undefined): void {
    useImageEdit.setState({ hoverToken: position });
  },

  reset(): void {
    stopFollowing?.();
    stopFollowing = undefined;
    useImageEdit.setState(initial(), true);
  },
};

export function selectedResult(s: ImageEditState): ImageResult | undefined {
  return s.results.find((r) => r.id === s.selectedId);
}

function truncate(t: string, n: number): string {
  return t.length <= n ? t : `${t.slice(0, n - 1)}…`;
}
