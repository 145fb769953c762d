/**
 * micro-CLIP evaluation on held-out attribute combinations (the test split: every sample
 * contains a color×shape, pattern×shape or material×mesh pair never seen in training).
 *  - zero-shot accuracy per attribute: single-object scenes (color, shape, pattern) and mesh
 *    renders (material); the image is compared with one prompt per class (prompts.ts).
 *  - retrieval among 100 candidates (50 scenes with 1–3 objects + 50 meshes, canonical captions):
 *    image→text and text→image top-1/top-5. Identical caption texts count as the same answer
 *    (two "a cube made of gold" renders are both right for that caption).
 */
import { normalizeBatch } from '../../vision/normalize.ts';
import { type ClipModel, cosineMatrix, normalizeRows } from '../../zoo/clip/ClipModel.ts';
import { type Attribute, classPrompts } from './prompts.ts';
import { type ClipSample, type SampleSetSpec, loadOrGenerate } from './samples.ts';

export interface EvalSets {
  zeroShotScenes: ClipSample[];
  zeroShotMeshes: ClipSample[];
  retrieval: ClipSample[];
}

export interface EvalSizes { scenes: number; meshes: number; retrieval: number }
export const FULL_EVAL: EvalSizes = { scenes: 300, meshes: 200, retrieval: 100 };

export async function loadEvalSets(size: number, n: EvalSizes = FULL_EVAL, log?: (m: string) => void): Promise<EvalSets> {
  const base: Omit<SampleSetSpec, 'scenes' | 'meshes'> = { split: 'test', seed: 'clip-eval-v1', size };
  const zs = await loadOrGenerate({ ...base, seed: `${base.seed}:zs`, scenes: n.scenes, singles: n.scenes, meshes: n.meshes }, log);
  const half = Math.floor(n.retrieval / 2);
  const rt = await loadOrGenerate({ ...base, seed: `${base.seed}:rt`, scenes: n.retrieval - half, meshes: half }, log);
  return { zeroShotScenes: zs.slice(0, n.scenes), zeroShotMeshes: zs.slice(n.scenes), retrieval: rt };
}

export interface AttributeResult { accuracy: number; n: number; perClass: Record<string, { correct: number; n: number }> }

export interface ClipEvalResult {
  color: number; shape: number; pattern: number; material: number;
  i2t_top1: number; i2t_top5: number; t2i_top1: number; t2i_top5: number;
  details: { attributes: Record<Attribute, AttributeResult>; retrievalCandidates: number; seconds: number };
}

const pixelsOf = (samples: readonly ClipSample[]) => normalizeBatch(samples.map((s) => s.image)).data;

async function zeroShot(clip: ClipModel, samples: readonly ClipSample[], attr: Attribute, imgEmb: Float32Array): Promise<AttributeResult> {
  const D = clip.dim;
  const perClass: AttributeResult['perClass'] = {};
  let correct = 0;
  const cache = new Map<string, Float32Array>();
  for (let i = 0; i < samples.length; i++) {
    const s = samples[i];
    const truth = s.attrs[attr];
    if (truth === undefined) throw new Error(`zero-shot ${attr}: sample ${i} has no ${attr}`);
    const { classes, prompts } = classPrompts(attr, s.attrs.color);
    const key = prompts.join('|');
    let txt = cache.get(key);
    if (!txt) cache.set(key, (txt = normalizeRows(await clip.encodeTexts(prompts), D)));
    const sims = cosineMatrix(imgEmb.subarray(i * D, (i + 1) * D), txt, D);
    let best = 0;
    for (let k = 1; k < sims.length; k++) if (sims[k] > sims[best]) best = k;
    const ok = classes[best] === truth;
    correct += ok ? 1 : 0;
    const pc = (perClass[truth] ??= { correct: 0, n: 0 });
    pc.n++;
    pc.correct += ok ? 1 : 0;
  }
  return { accuracy: correct / samples.length, n: samples.length, perClass };
}

/** Rank of hits: does any of the top-k columns of row i satisfy same(i, j)? */
function topK(sim: Float32Array, n: number, m: number, same: (i: number, j: number) => boolean, k: number): number {
  let hits = 0;
  for (let i = 0; i < n; i++) {
    const row = Array.from(sim.subarray(i * m, (i + 1) * m), (v, j) => [v, j] as const).sort((a, b) => b[0] - a[0]);
    if (row.slice(0, k).some(([, j]) => same(i, j))) hits++;
  }
  return hits / n;
}

export async function evaluateClip(clip: ClipModel, sets: EvalSets): Promise<ClipEvalResult> {
  const t0 = Date.now();
  const D = clip.dim;
  const sceneEmb = normalizeRows(await clip.encodeImages(pixelsOf(sets.zeroShotScenes), sets.zeroShotScenes.length), D);
  const meshEmb = normalizeRows(await clip.encodeImages(pixelsOf(sets.zeroShotMeshes), sets.zeroShotMeshes.length), D);
  const attributes = {
    color: await zeroShot(clip, sets.zeroShotScenes, 'color', sceneEmb),
    shape: await zeroShot(clip, sets.zeroShotScenes, 'shape', sceneEmb),
    pattern: await zeroShot(clip, sets.zeroShotScenes, 'pattern', sceneEmb),
    material: await zeroShot(clip, sets.zeroShotMeshes, 'material', meshEmb),
  };
  const r = sets.retrieval, n = r.length;
  const captions = r.map((s) => s.captions[0]);
  const img = normalizeRows(await clip.encodeImages(pixelsOf(r), n), D);
  const txt = normalizeRows(await clip.encodeTexts(captions), D);
  const i2t = cosineMatrix(img, txt, D), t2i = cosineMatrix(txt, img, D);
  const same = (i: number, j: number) => captions[i] === captions[j];
  return {
    color: attributes.color.accuracy, shape: attributes.shape.accuracy, pattern: attributes.pattern.accuracy, material: attributes.material.accuracy,
    i2t_top1: topK(i2t, n, n, same, 1), i2t_top5: topK(i2t, n, n, same, 5),
    t2i_top1: topK(t2i, n, n, same, 1), t2i_top5: topK(t2i, n, n, same, 5),
    details: { attributes, retrievalCandidates: n, seconds: (Date.now() - t0) / 1000 },
  };
}

export const TARGETS = { color: 0.95, shape: 0.9, pattern: 0.85, material: 0.85, i2t_top5: 0.8, t2i_top5: 0.8 } as const;

export function meetsTargets(r: ClipEvalResult): { ok: boolean; misses: string[] } {
  const misses = Object.entries(TARGETS).filter(([k, v]) => r[k as keyof typeof TARGETS] < v).map(([k, v]) => `${k} ${r[k as keyof typeof TARGETS].toFixed(3)} < ${v}`);
  return { ok: misses.length === 0, misses };
}
