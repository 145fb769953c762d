/**
 * 'xmesh': text-guided mesh stylization (X-Mesh with TDAM; Text2Mesh as the baseline), xmesh.md.
 *
 *   const result = await run(rt, { mesh, prompt, clip }, { ...xmeshDefaults, steps: 100 }, ctx);
 *
 * Per iteration: style field forward (ONNX) → displaced, renormalized mesh → V views rendered →
 * augmentation passes through the CLIP image tower's loss+input-gradient graph (ONNX) → adjoints
 * (augment, renderer, renormalization; TS) → style field train step (ONNX: backward + Adam +
 * StepLR). Emits phase, step, `loss` metric (the global pass's −cos, as the reference logs), a mesh
 * preview every `previewEvery` iterations, an image preview of the current views, and honours
 * ctx.signal and ctx.pause between iterations (a 'paused' phase while it waits). The text
 * embedding is computed once by the host (a constant, §4.1).
 */
import { decodeModel } from '../../models/graph/decode.ts';
import type { Model } from '../../models/graph/ir.ts';
import { vertexNormals } from '../../models/data/microworld/materials.ts';
import type { Runtime } from '../../models/runtime/Runtime.ts';
import type { PipelineRun } from '../core/events.ts';
import { throwIfAborted } from '../core/events.ts';
import { ClipGuidance, clipVisionInfo } from './clipGuidance.ts';
import { FieldTrainer, referenceSchedule } from './fieldTrainer.ts';
import { displaceAndNormalize, fieldInput } from './geometry.ts';
import { INTERACTIVE_PASSES, iterationGradients, PAPER_PASSES } from './iteration.ts';
import { buildStyleField, paramCount, type XmeshMethod } from './styleField.ts';

export const XMESH_VERSION = '0.1.0';

export interface XmeshParams {
  method: XmeshMethod;
  steps: number;
  seed: number;
  /** Views per iteration (reference 5). */
  views: number;
  /** 'interactive' = 1 global + 1 local + 1 geometry pass; 'paper' = 1 + 4 + 4 (§5.3). */
  preset: 'interactive' | 'paper';
  /** Adam lr (reference 5e-4), StepLR ×0.9 every `decayEvery` iterations. */
  lr: number;
  /** StepLR period (reference 100, over a 1200-iteration run: 12 decays, lr ends at 0.28×). */
  decayEvery: number;
  /** Fourier σ (X-Mesh MIT-30: 12). */
  sigma: number;
  /** Style field width / trunk depth / Fourier frequencies (reference 256 / 4 / 256). */
  width: number;
  depth: number;
  frequencies: number;
  symmetry: boolean;
  standardize: boolean;
  /** Emit a mesh preview every this many iterations (and at the end). */
  previewEvery: number;
  /** Front view (radians); the reference MIT-30 runs use (0, 0). */
  frontAzimuth: number;
  frontElevation: number;
}

/** For parsers of user input (CLI flags): is `v` one of the pass presets? */
export const isXmeshPreset = (v: string): v is XmeshParams['preset'] => v === 'interactive' || v === 'paper';

export const xmeshDefaults: XmeshParams = {
  method: 'tdam', steps: 200, seed: 23, views: 4, preset: 'interactive', lr: referenceSchedule.lr, decayEvery: referenceSchedule.every, sigma: 12,
  width: 256, depth: 4, frequencies: 256, symmetry: true, standardize: true, previewEvery: 10, frontAzimuth: 0, frontElevation: 0,
};

export interface XmeshMeshInput {
  /** Normalized to the unit bounding sphere (pipelines/core/mesh does this at load). */
  positions: Float32Array;
  indices: Uint32Array;
  /** Vertex normals (Text2Mesh displaces along them); computed area-weighted when absent (§10.2). */
  normals?: Float32Array;
}

export interface XmeshClipInput {
  /** The CLIP image tower (public export contract), as ONNX bytes or our IR. */
  vision: Uint8Array | Model;
  /** The prompt's RAW (unnormalized) text embedding [D] (§10.4); or give `text` + `inputIds`. */
  textEmbedding?: Float32Array;
  /** The CLIP text tower (`input_ids` [1,L] int64 → `text_embeds`), run once for the prompt. */
  text?: Uint8Array;
  /** The tokenized prompt [L] (+ its attention mask, for towers that take one). */
  inputIds?: BigInt64Array;
  attentionMask?: BigInt64Array;
  /** Model id and sha256 for the recipe. */
  id?: string;
  sha256?: string;
}

export interface XmeshInput {
  mesh: XmeshMeshInput;
  prompt: string;
  clip: XmeshClipInput;
}

export interface XmeshRecipe {
  pipeline: 'xmesh';
  version: string;
  prompt: string;
  params: XmeshParams;
  clip: { id?: string; sha256?: string; imageSize: number; dim: number };
  backend: string;
  fieldParams: number;
  /**
   * Where the style field's parameters and Adam state lived between steps at the end of the run:
   * 'gpu-buffer' on WebGPU (never downloaded), 'cpu' on the CPU/wasm backends, 'mixed' if some were not.
   */
  fieldState: string;
}

export interface XmeshResult {
  /** Displaced, renormalized positions (what was optimized: v + d, §10.1), colors in [0,1]. */
  positions: Float32Array;
  colors: Float32Array;
  indices: Uint32Array;
  offsets: Float32Array;
  /** Global-pass loss per iteration. */
  losses: number[];
  msPerIter: number;
  recipe: XmeshRecipe;
}

/** Tile the V rendered views side by side as an RGBA preview. */
function viewsStrip(images: Float32Array, views: number, size: number): { rgba: Uint8ClampedArray; width: number; height: number } {
  const width = views * size, S2 = size * size;
  const rgba = new Uint8ClampedArray(width * size * 4);
  for (let v = 0; v < views; v++) {
    for (let p = 0; p < S2; p++) {
      const x = v * size + (p % size), y = Math.floor(p / size), o = (y * width + x) * 4;
      for (let c = 0; c < 3; c++) rgba[o + c] = Math.round(images[(v * 3 + c) * S2 + p] * 255);
      rgba[o + 3] = 255;
    }
  }
  return { rgba, width, height: size };
}

/** The prompt's raw text embedding: given, or computed once with the text tower (§4.1: a constant). */
async function textEmbeddingOf(rt: Runtime, clip: XmeshClipInput): Promise<Float32Array> {
  if (clip.textEmbedding) return clip.textEmbedding;
  if (!clip.text || !clip.inputIds) throw new Error('xmesh: the CLIP input needs textEmbedding, or text (the text tower) and inputIds');
  const s = await rt.createSession(clip.text);
  try {
    const L = clip.inputIds.length;
    const feeds: Record<string, ReturnType<Runtime['tensor']>> = { input_ids: rt.tensor('int64', clip.inputIds, [1, L]) };
    if (s.inputNames.includes('attention_mask')) feeds.attention_mask = rt.tensor('int64', clip.attentionMask ?? clip.inputIds.map((v) => (v === 0n ? 0n : 1n)), [1, L]);
    const out = await s.run(feeds, ['text_embeds']);
    const e = Float32Array.from((await rt.read(out.text_embeds)) as Float32Array);
    for (const t of Object.values(out)) t.dispose?.();
    return e;
  } finally {
    await s.dispose();
  }
}

export const run: PipelineRun<XmeshInput, XmeshParams, XmeshResult> = async (rt, input, params, ctx) => {
  const p = { ...xmeshDefaults, ...params };
  const { mesh, clip } = input;
  const N = mesh.positions.length / 3;
  if (!Number.isInteger(N) || N < 3 || mesh.indices.length < 3) throw new Error('xmesh: the mesh needs at least one triangle');
  const steps = Math.max(1, Math.floor(p.steps));
  const vision = clip.vision instanceof Uint8Array ? decodeModel(clip.vision) : clip.vision;
  const info = clipVisionInfo(vision);
  ctx.emit({ type: 'phase', phase: 'encode', label: 'encoding the prompt' });
  const textEmbedding = await textEmbeddingOf(rt, clip);

  ctx.emit({ type: 'phase', phase: 'compile', label: `building ${p.method} style field and CLIP gradient graphs on ${rt.backend}` });
  const field = buildStyleField({
    method: p.method, vertices: N, textDim: info.dim, width: p.width, depth: p.depth, headDepth: 2,
    frequencies: p.frequencies, sigma: p.sigma, rank: 30, reduction: 8, seed: p.seed,
  });
  const fixed: Record<string, Float32Array> = { points: fieldInput(mesh.positions, { symmetry: p.symmetry, standardize: p.standardize }) };
  if (p.method === 'tdam') fixed.text_embed = textEmbedding;
  else fixed.normals = mesh.normals ?? vertexNormals(mesh);
  const trainer = await FieldTrainer.create(rt, field, fixed, { ...referenceSchedule, lr: p.lr, every: p.decayEvery ?? referenceSchedule.every });
  let guidance: ClipGuidance | undefined;
  try {
    guidance = await ClipGuidance.create(rt, vision, p.views, textEmbedding);
    throwIfAborted(ctx.signal);
    const passes = p.preset === 'paper' ? PAPER_PASSES : INTERACTIVE_PASSES;
    const center = { azimuth: p.frontAzimuth, elevation: p.frontElevation };
    const losses: number[] = [];
    ctx.emit({ type: 'phase', phase: 'steps' });
    const t0 = Date.now();
    // Time spent paused is left out of the rate, the ETA and msPerIter.
    let pausedMs = 0;
    let out = await trainer.forward();
    for (let k = 0; k < steps; k++) {
      throwIfAborted(ctx.signal);
      // Pause point: between iterations, so the trainer's carried state (params, Adam moments,
      // step counter) and `out` are exactly what the next iteration would have used.
      while (ctx.pause?.paused) {
        const since = Date.now();
        ctx.emit({ type: 'phase', phase: 'paused', label: `paused at iteration ${k}/${steps}` });
        await ctx.pause.wait(ctx.signal);
        pausedMs += Date.now() - since;
        ctx.emit({ type: 'phase', phase: 'steps' });
      }
      const it = await iterationGradients(guidance, { positions: mesh.positions, indices: mesh.indices, colors: out.colors, offsets: out.offsets, passes, center, seed: `${p.seed}:${k}` });
      if (k % p.previewEvery === 0) {
        ctx.emit({ type: 'preview', kind: 'mesh', positions: it.positions, colors: out.colors, step: k });
        ctx.emit({ type: 'preview', kind: 'image', ...viewsStrip(it.images, p.views, info.imageSize), step: k });
      }
      await trainer.step(it.dColors, it.dOffsets);
      losses.push(it.lossGlobal);
      ctx.emit({ type: 'metric', name: 'loss', value: it.lossGlobal, step: k + 1 });
      const elapsed = (Date.now() - t0 - pausedMs) / 1000;
      ctx.emit({ type: 'step', k: k + 1, n: steps, unit: 'it', rate: (k + 1) / elapsed, etaS: ((steps - k - 1) * elapsed) / (k + 1) });
      out = await trainer.forward();
    }
    const msPerIter = (Date.now() - t0 - pausedMs) / steps;
    const locations = new Set(Object.values(trainer.residency()));
    const fieldState = locations.size === 1 ? [...locations][0] : 'mixed';
    const final = displaceAndNormalize(mesh.positions, out.offsets);
    ctx.emit({ type: 'preview', kind: 'mesh', positions: final.positions, colors: out.colors, step: steps });
    return {
      positions: final.positions, colors: out.colors, indices: mesh.indices, offsets: out.offsets, losses, msPerIter,
      recipe: {
        pipeline: 'xmesh', version: XMESH_VERSION, prompt: input.prompt, params: p,
        clip: { id: clip.id, sha256: clip.sha256, imageSize: info.imageSize, dim: info.dim }, backend: rt.backend, fieldParams: paramCount(field), fieldState,
      },
    };
  } finally {
    await guidance?.dispose();
    await trainer.dispose();
  }
};
