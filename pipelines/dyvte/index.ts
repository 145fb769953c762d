/**
 * Caption / visual question answering with DyVTE visual-token exit on the micro-VLM.
 *
 *   run(rt, { image: pngBytes, question: 'what color is the star?', model }, { ...captionDefaults, exit: 'dyvte' }, ctx)
 *
 * Steps: decode + check the image → micro-CLIP image tower (patch tokens) → layer-by-layer
 * prefill with the exit policy (gates after each layer; on exit the visual tokens leave the
 * hidden states and every later layer's KV cache) → greedy or sampled decoding, streaming
 * `partial-text` events → result with the per-layer strip, exit layer, LM FLOPs and the FLOPs
 * the same request would cost without exit.
 */
import { type PipelineRun, type RunContext, throwIfAborted, CanceledError } from '../core/events.ts';
import type { Runtime } from '../../models/runtime/Runtime.ts';
import { type RealVlmFiles, runRealCaption } from './realRun.ts';
import { decodeImage } from '../../models/vision/decode.ts';
import { preprocessImage } from '../../models/vision/preprocess.ts';
import { gateThreshold, vlmGraphsFromFiles } from '../../models/zoo/vlm/bundle.ts';
import { generate, noExitFlops } from '../../models/zoo/vlm/generate.ts';
import { CAPTION_PROMPT, decodeAnswer, encodePrompt, vlmTokenizer } from '../../models/zoo/vlm/text.ts';
import { type ExitPolicy, type LayerTrace, VlmModel } from '../../models/zoo/vlm/VlmModel.ts';
import { type CaptionInput, CaptionInputError, type CaptionParams, checkParams, checkQuestion } from './params.ts';

export { captionDefaults } from './params.ts';
export type { CaptionInput, CaptionParams } from './params.ts';

export const CAPTION_VERSION = '1';

/** The real-VLM branch (realRun.ts): same checks on the question and parameters, same result shape. */
async function runReal(rt: Runtime, real: RealVlmFiles, input: CaptionInput, params: CaptionParams, ctx: RunContext, t0: number): Promise<CaptionResult> {
  if (!(input.image instanceof Uint8Array)) throw new CaptionInputError('no-image', 'caption: no image was given');
  checkQuestion(input.question);
  checkParams(params, real.config.layers);
  const question = input.question?.trim() ?? null;
  const r = await runRealCaption(rt, real, input.image, question, params, ctx).catch((e: unknown) => { throw (e as Error)?.name === 'AbortError' ? new CanceledError() : e; });
  ctx.emit({ type: 'metric', name: 'exit_layer', value: r.exitLayer ?? -1 });
  ctx.emit({ type: 'metric', name: 'flops_saved', value: 1 - r.flops / r.flopsNoExit });
  return {
    text: r.text, question, exitLayer: r.exitLayer, layers: r.layers, flops: r.flops, flopsNoExit: r.flopsNoExit, flopsSaved: 1 - r.flops / r.flopsNoExit,
    prefillMs: r.prefillMs, ms: performance.now() - t0, tokens: r.tokens,
    recipe: { pipeline: 'caption', version: CAPTION_VERSION, model: real.id, files: real.sha256 ?? null, exit: params.exit, temperature: params.temperature, topK: params.topK, seed: params.seed, backend: rt.backend },
  };
}

export interface CaptionResult {
  text: string;
  question: string | null;
  exitLayer: number | null;
  layers: LayerTrace[];
  /** LM FLOPs of this request and of the same request without exit. */
  flops: number;
  flopsNoExit: number;
  /** 1 − flops / flopsNoExit. */
  flopsSaved: number;
  prefillMs: number;
  ms: number;
  tokens: number;
  recipe: Record<string, unknown>;
}

function policyOf(p: CaptionParams, hasGates: boolean, threshold: number): ExitPolicy {
  if (p.exit === 'none') return { kind: 'none' };
  if (typeof p.exit === 'number') return { kind: 'fixed', layer: p.exit };
  if (!hasGates) throw new CaptionInputError('bad-param', 'this model has no trained DyVTE gates (run `npm run train -- dyvte-gates`); use exit "none" or a fixed layer');
  return { kind: 'gate', threshold };
}

export const run: PipelineRun<CaptionInput, CaptionParams, CaptionResult> = async (rt, input, params, ctx) => {
  const t0 = performance.now();
  if (input?.real) return runReal(rt, input.real, input, params, ctx, t0);
  if (!input?.model?.json) throw new CaptionInputError('no-model', 'caption: no micro-VLM model was given');
  if (!(input.image instanceof Uint8Array)) throw new CaptionInputError('no-image', 'caption: no image was given');
  checkQuestion(input.question);
  const json = input.model.json, cfg = json.config;
  checkParams(params, cfg.layers);
  const tok = vlmTokenizer();
  const question = input.question?.trim() ?? null;
  const prompt = encodePrompt(question ?? CAPTION_PROMPT, tok);
  if (prompt.droppedWords > 0) throw new CaptionInputError('question-too-long', `the question has ${prompt.ids.length - 2 + prompt.droppedWords} words; the model reads at most ${prompt.ids.length - 2}`);
  if (prompt.unknownWords.length) ctx.emit({ type: 'warning', message: `words the model does not know (read as <unk>): ${[...new Set(prompt.unknownWords)].slice(0, 8).join(', ')}` });

  // decodeImage throws ImageDecodeError with a user-facing message (not an image, too large, corrupt).
  const img = decodeImage(input.image, { maxPixels: params.maxPixels });
  ctx.emit({ type: 'phase', phase: 'compile', label: `loading micro-VLM on ${rt.backend}` });
  const visionBytes = input.model.files[json.files.vision.name];
  if (!visionBytes) throw new CaptionInputError('no-model', `caption: ${json.files.vision.name} was not provided`);
  const vision = await rt.createSession(visionBytes);
  let vlm: VlmModel | null = null;
  try {
    vlm = await VlmModel.create(rt, cfg, vlmGraphsFromFiles(json, input.model.files));
    const policy = policyOf(params, vlm.hasGates, gateThreshold(json));
    throwIfAborted(ctx.signal);
    ctx.emit({ type: 'phase', phase: 'encode', label: 'image tower' });
    const size = typeof vision.inputs[0]?.shape?.[3] === 'number' ? (vision.inputs[0].shape[3] as number) : 64;
    const px = preprocessImage(img, size);
    const out = await vision.run({ pixel_values: rt.tensor('float32', px, [1, 3, size, size]) }, ['last_hidden_state']);
    const visual = (await rt.read(out.last_hidden_state)) as Float32Array;
    throwIfAborted(ctx.signal);
    ctx.emit({ type: 'phase', phase: 'steps', label: 'prefill + decode' });
    const g = await generate(vlm, visual, prompt.ids, {
      policy, eotId: tok.vocab.eotId, maxTokens: params.maxTokens, signal: ctx.signal,
      sampling: { temperature: params.temperature, topK: params.topK, seed: params.seed },
      onToken: (_, all) => ctx.emit({ type: 'partial-text', text: decodeAnswer(all, tok) }),
    }).catch((e: unknown) => { throw (e as Error)?.name === 'AbortError' ? new CanceledError() : e; });
    const flopsNoExit = noExitFlops(cfg, prompt.ids.length, g.ids.length);
    ctx.emit({ type: 'metric', name: 'exit_layer', value: g.exitLayer ?? -1 });
    ctx.emit({ type: 'metric', name: 'flops_saved', value: 1 - g.flops / flopsNoExit });
    return {
      text: decodeAnswer(g.ids, tok), question, exitLayer: g.exitLayer, layers: g.trace,
      flops: g.flops, flopsNoExit, flopsSaved: 1 - g.flops / flopsNoExit,
      prefillMs: g.prefillMs, ms: performance.now() - t0, tokens: g.ids.length,
      recipe: {
        pipeline: 'caption', version: CAPTION_VERSION, model: json.id, weights: json.files.weights.sha256,
        gates: json.files.gates?.sha256 ?? null, exit: params.exit, gateThreshold: policy.kind === 'gate' ? policy.threshold : null, temperature: params.temperature, topK: params.topK,
        seed: params.seed, backend: rt.backend,
      },
    };
  } finally {
    await vlm?.dispose();
    await vision.dispose();
  }
};
