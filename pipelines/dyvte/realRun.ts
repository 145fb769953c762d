/**
 * The caption task on a real VLM (SmolVLM per-layer export, models/zoo/vlm/real/): the user's
 * files (pinned by the host), the model's tokenizer.json, SigLIP preprocessing (one 512² tile:
 * shorter side → 512 and a centre crop, then (x/255 − 0.5)/0.5 — the Idefics3 processor pads
 * instead of cropping, so borders of non-square images differ), layer-by-layer prefill with the
 * exit policy, greedy/sampled decoding streamed as `partial-text`, and the same result shape as
 * the micro path (per-layer strip, FLOPs with and without exit).
 */
import { decodeImage } from '../../models/vision/decode.ts';
import { normalizeInto } from '../../models/vision/normalize.ts';
import { resizeAndCrop } from '../../models/vision/preprocess.ts';
import { Prng } from '../../models/data/microworld/prng.ts';
import { type LlamaVlmConfig, llamaHeadFlops, llamaLayerFlops } from '../../models/zoo/vlm/real/config.ts';
import { REAL_VLM_FILES } from '../../models/zoo/vlm/real/contract.ts';
import { LayerwiseVlm } from '../../models/zoo/vlm/real/LayerwiseVlm.ts';
import { SMOLVLM_CAPTION_QUESTION, SmolVlmTokenizer } from '../../models/zoo/vlm/real/smolvlmPrompt.ts';
import { pickToken } from '../../models/zoo/vlm/generate.ts';
import type { ExitPolicy } from '../../models/zoo/vlm/VlmModel.ts';
import type { Runtime } from '../../models/runtime/Runtime.ts';
import { CanceledError, type RunContext } from '../core/events.ts';
import { CaptionInputError, type CaptionParams } from './params.ts';

export interface RealVlmFiles {
  /** Which model (manifest id) and its LM shape. */
  id: string;
  config: LlamaVlmConfig;
  /** File name → bytes, as pinned by the host (models/manifests/vlmSmolvlm.ts). */
  files: Record<string, Uint8Array>;
  /** sha256 per file name, for the recipe. */
  sha256?: Record<string, string>;
}

export interface RealCaptionOutput {
  text: string;
  exitLayer: number | null;
  layers: { layer: number; tokens: number; kvLength: number; pExit?: number; exit: boolean }[];
  flops: number;
  flopsNoExit: number;
  prefillMs: number;
  tokens: number;
}

/** LM FLOPs of the same request without exit: S prompt tokens, `generated` tokens out. */
export function realNoExitFlops(c: LlamaVlmConfig, S: number, generated: number): number {
  let f = c.layers * llamaLayerFlops(c, S, 0) + llamaHeadFlops(c, 1);
  for (let k = 0; k < generated - 1; k++) f += c.layers * llamaLayerFlops(c, 1, S + k) + llamaHeadFlops(c, 1);
  return f;
}

export async function runRealCaption(rt: Runtime, real: RealVlmFiles, image: Uint8Array, question: string | null, params: CaptionParams, ctx: RunContext): Promise<RealCaptionOutput> {
  const c = real.config;
  const tokBytes = real.files[REAL_VLM_FILES.tokenizer];
  if (!tokBytes) throw new CaptionInputError('no-model', `${real.id}: ${REAL_VLM_FILES.tokenizer} was not provided`);
  const tok = SmolVlmTokenizer.from(tokBytes, c.imageTokens);
  const prompt = tok.prompt(question ?? SMOLVLM_CAPTION_QUESTION);
  const img = resizeAndCrop(decodeImage(image, { maxPixels: params.maxPixels }), c.imageSize);
  const px = new Float32Array(3 * c.imageSize * c.imageSize);
  normalizeInto(img, px, 0, [0.5, 0.5, 0.5], [0.5, 0.5, 0.5]);
  ctx.emit({ type: 'phase', phase: 'compile', label: `loading ${real.id} (${c.layers} layer sessions) on ${rt.backend}` });
  const vlm = await LayerwiseVlm.create(rt, c, real.files);
  try {
    let policy: ExitPolicy = params.exit === 'none' ? { kind: 'none' } : typeof params.exit === 'number' ? { kind: 'fixed', layer: params.exit } : { kind: 'gate' };
    if (policy.kind === 'gate' && !vlm.hasGates) {
      ctx.emit({ type: 'warning', message: `${real.id} has no DyVTE gates (${REAL_VLM_FILES.gates}); running without exit` });
      policy = { kind: 'none' };
    }
    ctx.emit({ type: 'phase', phase: 'encode', label: 'vision encoder' });
    const feats = await vlm.encodeImage(px);
    ctx.emit({ type: 'phase', phase: 'steps', label: 'prefill + decode' });
    const t0 = performance.now();
    const st = await vlm.prefill(prompt.ids, feats, { imageTokenId: prompt.imageTokenId, policy, signal: ctx.signal });
    const prefillMs = performance.now() - t0;
    const ids: number[] = [], rng = new Prng(`vlm-sample:${params.seed}`);
    try {
      let logits = st.logits;
      for (let k = 0; k < params.maxTokens; k++) {
        if (ctx.signal.aborted) throw new CanceledError();
        const id = pickToken(logits, { temperature: params.temperature, topK: params.topK, seed: params.seed }, rng);
        ids.push(id);
        ctx.emit({ type: 'partial-text', text: tok.decode(ids) });
        if (id === tok.eosId || k === params.maxTokens - 1) break;
        logits = await vlm.decode(st, id);
      }
    } finally {
      vlm.release(st);
    }
    return { text: tok.decode(ids), exitLayer: st.exitLayer, layers: st.trace, flops: st.flops, flopsNoExit: realNoExitFlops(c, prompt.ids.length, ids.length), prefillMs, tokens: ids.length };
  } finally {
    await vlm.dispose();
  }
}
