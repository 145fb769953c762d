/**
 * CLIP probe state (Models window): which CLIP-type model (two tower manifests of task 'clip',
 * `<id>-vision` + `<id>-text`), the image, the texts, and the 'clip-probe' result.
 *
 *   const clips = clipModels(useStudio.getState().models);   // [{ id: 'micro-clip', vision, text, … }]
 *   modelProbeActions.open('micro-clip'); modelProbeActions.setImage(microworldImage(0));
 *   modelProbeActions.setTexts('a red star\na blue ring'); modelProbeActions.run();
 */
import { create } from 'zustand';
import type { ModelView } from '../worker/StudioClient.ts';
import { useStudio } from './studioStore.ts';
import { followJob } from './followJob.ts';
import type { StudioImage } from './captionImage.ts';

export interface ClipChoice {
  id: string;
  title: string;
  vision: string;
  text: string;
  /** Both towers are in the browser cache. */
  cached: boolean;
}

export interface ProbeOutcome {
  texts: string[];
  similarities: number[];
  probs: number[];
  best: number;
  imageSize: number;
  dim: number;
  tokenCounts: number[];
  ms: number;
}

export interface ModelProbeState {
  /** The CLIP the probe is open for (undefined: closed). */
  clipId?: string;
  image?: StudioImage;
  imageError?: string;
  /** One text per line. */
  texts: string;
  jobId?: string;
  running: boolean;
  result?: ProbeOutcome;
  error?: string;
}

const initial = (): ModelProbeState => ({ texts: 'a red star\na blue ring\na green heart', running: false });
export const useModelProbe = create<ModelProbeState>()(initial);

const TOWER = /^(.*)-(vision|text)$/;

/** CLIP-type models: manifests of task 'clip' paired into vision + text towers by id. */
export function clipModels(models: readonly ModelView[]): ClipChoice[] {
  const byId = new Map<string, { vision?: ModelView; text?: ModelView }>();
  for (const m of models) {
    const hit = m.task === 'clip' ? TOWER.exec(m.id) : null;
    if (!hit) continue;
    const e = byId.get(hit[1]) ?? {};
    e[hit[2] as 'vision' | 'text'] = m;
    byId.set(hit[1], e);
  }
  const out: ClipChoice[] = [];
  for (const [id, { vision, text }] of byId) {
    if (!vision || !text) continue;
    out.push({ id, title: vision.title.replace(/\s*\(vision\)\s*$/, ''), vision: vision.id, text: text.id, cached: vision.cached && text.cached });
  }
  return out;
}

export function parseTexts(t: string): string[] {
  return t.split('\n').map((l) => l.trim()).filter((l) => l.length > 0);
}

let stopFollowing: (() => void) | undefined;

function isOutcome(r: unknown): r is ProbeOutcome {
  const x = r as ProbeOutcome | undefined;
  return !!x && Array.isArray(x.similarities) && Array.isArray(x.probs) && Array.isArray(x.texts);
}

export const modelProbeActions = {
  open(clipId: string): void {
    if (useModelProbe.getState().clipId !== clipId) useModelProbe.setState({ clipId, result: undefined, error: undefined });
  },
  close(): void {
    useModelProbe.setState({ clipId: undefined });
  },
  setImage(image: StudioImage): void {
    // A sample's true captions make a good first set of texts (plus the ones typed before).
    useModelProbe.setState((s) => ({ image, imageError: undefined, result: undefined, texts: image.captions?.length ? [...new Set([...image.captions.slice(0, 2), ...parseTexts(s.texts)])].slice(0, 6).join('\n') : s.texts }));
  },
  setImageError(message: string): void {
    useModelProbe.setState({ imageError: message });
  },
  setTexts(texts: string): void {
    useModelProbe.setState({ texts });
  },

  run(): string | undefined {
    const s = useModelProbe.getState();
    const studio = useStudio.getState();
    if (!studio.client) { useModelProbe.setState({ error: 'The studio worker is not connected' }); return undefined; }
    const clip = clipModels(studio.models).find((c) => c.id === s.clipId);
    if (!clip) { useModelProbe.setState({ error: 'Pick a CLIP-type model' }); return undefined; }
    if (!s.image) { useModelProbe.setState({ error: 'Drop an image or pick a Microworld sample' }); return undefined; }
    const texts = parseTexts(s.texts);
    if (texts.length === 0) { useModelProbe.setState({ error: 'Type at least one text (one per line)' }); return undefined; }
    stopFollowing?.();
    const jobId = studio.client.enqueue({
      task: 'clip-probe', label: `Probe ${clip.id} (${texts.length} texts)`,
      input: { vision: clip.vision, text: clip.text, image: { width: s.image.width, height: s.image.height, data: s.image.rgb }, texts },
    });
    useModelProbe.setState({ jobId, running: true, error: undefined, result: undefined });
    stopFollowing = followJob(studio.client, jobId, {
      end: (job) => {
        if (useModelProbe.getState().jobId !== jobId) return;
        if (job.status === 'done' && isOutcome(job.result)) useModelProbe.setState({ running: false, result: job.result });
        else useModelProbe.setState({ running: false, error: job.status === 'canceled' ? undefined : (job.error ?? 'probe failed') });
      },
    });
    return jobId;
  },

  reset(): void {
    stopFollowing?.();
    stopFollowing = undefined;
    useModelProbe.setState(initial(), true);
  },
};
