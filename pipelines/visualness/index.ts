/**
 * 'visualness': how visual is a text, and which words carry it (TIP-CLIP, visualness_dyvte.md §A).
 *
 *   run(rt, { text: 'A red kite over green hills. The meeting moved to Monday.' }, visualnessDefaults, ctx)
 *   // → { sentences: [{ text, score, visual, words: [{ text, relevance }] }], document, leastVisualWords, … }
 *
 * One session (the committed scorer graph: score + gradient-weighted attention relevance in one
 * run, see models/train/visualness/visualnessGraph.ts) comes from the job host's model provider.
 */
import type { PipelineRun } from '../core/events.ts';
import { throwIfAborted } from '../core/events.ts';
import { VISUALNESS_MICRO, type VisualnessBundle } from '../../models/manifests/visualness.ts';
import { analyzeText, type VisualnessResult } from './analyze.ts';
import { VisualnessScorer, microScoringTokenizer } from './scorer.ts';

export const VISUALNESS_VERSION = '1';

export interface VisualnessInput {
  text: string;
  /** Overrides the model's validation-tuned threshold (the workspace slider). */
  threshold?: number;
}

export interface VisualnessParams {
  bundle: VisualnessBundle;
  maxSentences: number;
}

export const visualnessDefaults: VisualnessParams = { bundle: VISUALNESS_MICRO, maxSentences: 200 };

export interface VisualnessJobResult extends VisualnessResult {
  model: string;
  backend: string;
  ms: number;
}

export const run: PipelineRun<VisualnessInput, VisualnessParams, VisualnessJobResult> = async (rt, input, params, ctx) => {
  const b = params.bundle ?? VISUALNESS_MICRO;
  if (!ctx.models) throw new Error('visualness needs a model provider (ctx.models)');
  if (b.tokenizer.kind !== 'microworld-words') throw new Error(`visualness: ${b.id} uses a BPE tokenizer; its word mapping is not wired into this pipeline yet`);
  const threshold = typeof input?.threshold === 'number' && Number.isFinite(input.threshold) ? input.threshold : b.threshold;
  const t0 = performance.now();
  const session = await ctx.models.session(b.scorer.id);
  throwIfAborted(ctx.signal);
  const scorer = new VisualnessScorer(rt, session, microScoringTokenizer(b.tokenizer.contextLength));
  const r = await analyzeText(scorer, input?.text ?? '', { threshold, maxSentences: params.maxSentences, signal: ctx.signal });
  return { ...r, model: b.id, backend: rt.backend, ms: performance.now() - t0 };
};
