/**
 * Caption workspace state: the image, caption-or-question, the running 'caption' job with its
 * streamed answer (`partial-text` carries the whole answer so far), and the finished request's
 * per-layer strip, exit layer and FLOPs/time saved (pipelines/dyvte CaptionResult).
 *
 *   captionActions.setImage(microworldImage(3));
 *   captionActions.ask('what color is the star?');   // or captionActions.run() for a caption
 */
import { create } from 'zustand';
import { useStudio } from './studioStore.ts';
import { followJob } from './followJob.ts';
import type { StudioImage } from './captionImage.ts';
import { type CaptionModelFiles, CaptionModelMissing, type FetchBytes, fetchAsset, loadCaptionModel } from './captionModel.ts';
import { type PickedFile, type PickedRealModel, pinPickedFiles } from './captionRealModel.ts';

export interface LayerStep {
  layer: number;
  tokens: number;
  kvLength: number;
  pExit?: number;
  exit: boolean;
}

/** What the workspace reads of pipelines/dyvte's CaptionResult. */
export interface CaptionOutcome {
  text: string;
  question: string | null;
  exitLayer: number | null;
  layers: LayerStep[];
  flops: number;
  flopsNoExit: number;
  flopsSaved: number;
  prefillMs: number;
  ms: number;
  tokens: number;
}

export type ExitChoice = 'dyvte' | 'none';
/** 'micro': the bundled micro-VLM; 'real': the user's SmolVLM per-layer export (captionRealModel.ts). */
export type ModelChoice = 'micro' | 'real';
export type ModelStatus = 'unknown' | 'loading' | 'ready' | 'missing';

export interface CaptionState {
  image?: StudioImage;
  imageError?: string;
  mode: 'caption' | 'ask';
  question: string;
  exit: ExitChoice;
  model: { status: ModelStatus; message?: string };
  modelChoice: ModelChoice;
  /** The picked real-VLM files once pinned, or why they were refused. */
  real?: PickedRealModel;
  realStatus: { state: 'none' | 'pinning' | 'ready' | 'error'; message?: string };
  jobId?: string;
  running: boolean;
  phase?: string;
  /** Answer streamed so far. */
  text: string;
  result?: CaptionOutcome;
  error?: string;
}

const initial = (): CaptionState => ({ mode: 'caption', question: '', exit: 'dyvte', model: { status: 'unknown' }, modelChoice: 'micro', realStatus: { state: 'none' }, running: false, text: '' });
export const useCaption = create<CaptionState>()(initial);

/** Mirrors pipelines/dyvte/params.ts MAX_QUESTION_CHARS (the pipeline re-checks). */
export const MAX_QUESTION_CHARS = 500;

export function questionProblem(mode: CaptionState['mode'], q: string): string | undefined {
  if (mode !== 'ask') return undefined;
  if (q.trim() === '') return 'Type a question, or switch to Caption';
  if (q.length > MAX_QUESTION_CHARS) return `The question is ${q.length.toLocaleString('en-US')} characters; at most ${MAX_QUESTION_CHARS}`;
  return undefined;
}

function isOutcome(r: unknown): r is CaptionOutcome {
  const x = r as CaptionOutcome | undefined;
  return !!x && typeof x.text === 'string' && Array.isArray(x.layers) && typeof x.flops === 'number';
}

let stopFollowing: (() => void) | undefined;
let files: Promise<CaptionModelFiles> | undefined;
let fetchBytes: FetchBytes = fetchAsset;

async function modelFiles(): Promise<CaptionModelFiles> {
  files ??= loadCaptionModel(fetchBytes);
  useCaption.setState({ model: { status: 'loading' } });
  try {
    const f = await files;
    useCaption.setState({ model: { status: 'ready' } });
    return f;
  } catch (e) {
    files = undefined; // a later try (after training) may find it
    useCaption.setState({ model: { status: 'missing', message: (e as Error).message } });
    throw e;
  }
}

export const captionActions = {
  /** Tests and hosts: where model files come from (default: fetch from the app's assets). */
  setModelSource(get: FetchBytes): void {
    fetchBytes = get;
    files = undefined;
  },
  setImage(image: StudioImage): void {
    useCaption.setState({ image, imageError: undefined, result: undefined, text: '', error: undefined });
  },
  setImageError(message: string): void {
    useCaption.setState({ imageError: message });
  },
  set(patch: Partial<Pick<CaptionState, 'mode' | 'question' | 'exit' | 'modelChoice'>>): void {
    useCaption.setState(patch);
  },

  /** The user's SmolVLM export files: hashed and pinned against the manifest; a missing file is named. */
  async pickRealFiles(files: readonly PickedFile[]): Promise<void> {
    useCaption.setState({ realStatus: { state: 'pinning', message: `checking ${files.length} files…` }, real: undefined, modelChoice: 'real' });
    try {
      const real = await pinPickedFiles(files);
      useCaption.setState({ real, realStatus: { state: 'ready' } });
    } catch (e) {
      useCaption.setState({ realStatus: { state: 'error', message: (e as Error).message } });
    }
  },

  /** Caption the image, or answer the question in 'ask' mode. Resolves with the job id once enqueued. */
  async run(): Promise<string | undefined> {
    const s = useCaption.getState();
    const client = useStudio.getState().client;
    if (!client) { useCaption.setState({ error: 'The studio worker is not connected' }); return undefined; }
    if (!s.image) { useCaption.setState({ error: 'Drop an image or pick a sample first' }); return undefined; }
    const problem = questionProblem(s.mode, s.question);
    if (problem) { useCaption.setState({ error: problem }); return undefined; }
    if (s.modelChoice === 'real' && !s.real) { useCaption.setState({ error: 'Pick the files of your SmolVLM per-layer export first' }); return undefined; }
    useCaption.setState({ error: undefined, text: '', result: undefined, running: true, phase: 'loading model' });
    let model: CaptionModelFiles | undefined;
    if (s.modelChoice === 'micro') {
      try {
        model = await modelFiles();
      } catch (e) {
        useCaption.setState({ running: false, phase: undefined, error: e instanceof CaptionModelMissing ? e.message : `Could not load the micro-VLM: ${(e as Error).message}` });
        return undefined;
      }
    }
    const real = s.modelChoice === 'real' && s.real ? { id: s.real.id, config: s.real.config, files: s.real.files, sha256: s.real.sha256 } : undefined;
    stopFollowing?.();
    const question = s.mode === 'ask' ? s.question.trim() : undefined;
    const jobId = client.enqueue({
      task: 'caption', label: question ? `Ask “${question.slice(0, 28)}”` : `Caption ${s.image.name}`,
      input: real ? { image: s.image.png, question, real } : { image: s.image.png, question, model }, params: { exit: s.exit },
    });
    useCaption.setState({ jobId, phase: 'queued' });
    stopFollowing = followJob(client, jobId, {
      event: (e) => {
        if (useCaption.getState().jobId !== jobId) return;
        if (e.type === 'partial-text') useCaption.setState({ text: e.text });
        else if (e.type === 'phase') useCaption.setState({ phase: e.label ?? e.phase });
      },
      end: (job) => {
        if (useCaption.getState().jobId !== jobId) return;
        if (job.status === 'done' && isOutcome(job.result)) useCaption.setState({ running: false, phase: undefined, result: job.result, text: job.result.text });
        else useCaption.setState({ running: false, phase: undefined, error: job.status === 'canceled' ? undefined : job.status === 'done' ? 'caption returned no answer' : (job.error ?? 'caption failed') });
      },
    });
    return jobId;
  },

  cancel(): void {
    const { jobId, running } = useCaption.getState();
    if (jobId && running) useStudio.getState().client?.cancel(jobId);
  },

  reset(): void {
    stopFollowing?.();
    stopFollowing = undefined;
    files = undefined;
    fetchBytes = fetchAsset;
    useCaption.setState(initial(), true);
  },
};

/**
 * Time this request saved, estimated: the FLOPs it skipped at the rate its own prefill ran
 * (prefill is all LM work; the request's total also holds model loading and the image tower).
 */
export function timeSavedMs(r: CaptionOutcome): number {
  return r.flops > 0 ? (r.prefillMs * (r.flopsNoExit - r.flops)) / r.flops : 0;
}
