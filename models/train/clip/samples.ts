/**
 * micro-CLIP's image–text pairs from Microworld: 2D scenes (captionScene phrasings, plus the
 * zero-shot templates for single-object scenes) and mesh renders (captionMesh phrasings plus the
 * material template). Generation is seeded; `loadOrGenerate` caches the rendered set on disk
 * because rendering (~10–20 ms per image on this CPU) would otherwise dominate training.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { homedir } from 'node:os';
import type { ColorName, MaterialName, MeshName, PatternName, ShapeName } from '../../data/microworld/attributes.ts';
import { captionScene } from '../../data/microworld/captions.ts';
import { renderMeshScene, sampleMeshSpec } from '../../data/microworld/meshScene.ts';
import { Prng } from '../../data/microworld/prng.ts';
import { renderScene } from '../../data/microworld/renderScene.ts';
import { sampleScene } from '../../data/microworld/scene.ts';
import type { Split } from '../../data/microworld/splits.ts';
import type { Rgb8 } from '../../vision/normalize.ts';
import { meshGroup, sceneGroup } from './counterfactuals.ts';
import { colorPrompt, materialPrompt, patternPrompt, shapePrompt } from './prompts.ts';
import { backgroundName } from '../../data/microworld/backgrounds.ts';

export interface SampleAttrs {
  kind: 'scene' | 'mesh';
  /** Single-object scenes and meshes only (where the attribute names the whole image). */
  color?: ColorName;
  shape?: ShapeName;
  pattern?: PatternName;
  material?: MaterialName;
  mesh?: MeshName;
  /** Scenes only (any number of objects): data/microworld/backgrounds.ts `backgroundName`. */
  background?: string;
  objects: number;
  /** Minimal-pair group (counterfactuals.ts): members differ in one attribute. */
  group?: number;
}

export interface ClipSample {
  image: Rgb8;
  /** All true captions; [0] is the canonical one (retrieval uses it). */
  captions: string[];
  attrs: SampleAttrs;
}

export interface SampleSetSpec {
  split: Split;
  seed: string;
  scenes: number;
  meshes: number;
  size: number;
  /** Scene object count range (default 1–3). */
  minObjects?: number;
  maxObjects?: number;
  /** The first `singles` scenes have exactly one object (zero-shot templates apply to those). */
  singles?: number;
  /** Add the zero-shot templates to the captions (training sets). */
  templates?: boolean;
  /** Minimal-pair groups (counterfactuals.ts), 3 images each: scenes (shape/pattern swapped) and meshes (material swapped). */
  cfScenes?: number;
  cfMeshes?: number;
  /**
   * Extra mesh renders whose paint is blended toward gray by a uniform draw in [0, fadeMax]
   * (meshScene.ts `fade`), captioned as the unfaded material. Why: X-Mesh starts every stylization
   * from a gray mesh, and a guide trained only on fully saturated paint had no slope there — from
   * gray toward red, "a sphere painted red" first scored LOWER (0.278 → 0.255 at 20% of the way).
   */
  fadedMeshes?: number;
  fadeMax?: number;
}

export function sceneSample(rng: Prng, s: SampleSetSpec, single = false): ClipSample {
  const objects = single ? { minObjects: 1, maxObjects: 1 } : { minObjects: s.minObjects ?? 1, maxObjects: s.maxObjects ?? 3 };
  const scene = sampleScene(rng, { split: s.split, width: s.size, ...objects });
  const { image } = renderScene(scene);
  const captions = captionScene(scene).map((c) => c.text);
  const attrs: SampleAttrs = { kind: 'scene', objects: scene.objects.length, background: backgroundName(scene.background) };
  if (scene.objects.length === 1) {
    const o = scene.objects[0];
    Object.assign(attrs, { color: o.color, shape: o.shape, pattern: o.pattern });
    if (s.templates) captions.push(colorPrompt(o.color), shapePrompt(o.shape), patternPrompt(o.pattern));
  }
  return { image, captions, attrs };
}

export function meshSample(rng: Prng, s: SampleSetSpec, fade = 0): ClipSample {
  const spec = { ...sampleMeshSpec(rng, s.split), ...(fade > 0 ? { fade } : {}) };
  const r = renderMeshScene(spec, s.size);
  const captions = [...r.captions];
  if (s.templates) captions.push(materialPrompt(spec.material, spec.color));
  return { image: r.image, captions, attrs: { kind: 'mesh', material: spec.material, mesh: spec.mesh, color: spec.color, objects: 1 } };
}

/** Scenes then meshes, each from its own forked stream (so changing one count keeps the other set). */
export function generateSamples(s: SampleSetSpec, onProgress?: (done: number, total: number) => void): ClipSample[] {
  const root = new Prng(`${s.seed}:${s.split}`);
  const sr = root.fork('scenes'), mr = root.fork('meshes');
  const out: ClipSample[] = [];
  const total = s.scenes + s.meshes + 3 * ((s.cfScenes ?? 0) + (s.cfMeshes ?? 0)) + (s.fadedMeshes ?? 0);
  for (let i = 0; i < s.scenes; i++) { out.push(sceneSample(sr, s, i < (s.singles ?? 0))); if (i % 200 === 0) onProgress?.(out.length, total); }
  for (let i = 0; i < s.meshes; i++) { out.push(meshSample(mr, s)); if (i % 200 === 0) onProgress?.(out.length, total); }
  const cr = root.fork('counterfactuals');
  for (let g = 0; g < (s.cfScenes ?? 0); g++) { out.push(...sceneGroup(cr, s, g)); if (g % 200 === 0) onProgress?.(out.length, total); }
  for (let g = 0; g < (s.cfMeshes ?? 0); g++) { out.push(...meshGroup(cr, s, (s.cfScenes ?? 0) + g)); if (g % 200 === 0) onProgress?.(out.length, total); }
  const fr = root.fork('faded');
  for (let i = 0; i < (s.fadedMeshes ?? 0); i++) {
    const fade = fr.range(0, s.fadeMax ?? 0.75);
    out.push(meshSample(fr, s, fade));
    if (i % 200 === 0) onProgress?.(out.length, total);
  }
  onProgress?.(out.length, total);
  return out;
}

export const cacheRoot = () => process.env.ATELIER_CACHE_DIR || join(homedir(), '.cache', 'atelier');

/** Bump when generation changes in a way the spec does not capture. */
const FORMAT = 2; // 2: scene attrs carry the background

function cacheFile(s: SampleSetSpec): string {
  const key = [FORMAT, s.split, s.seed, s.scenes, s.singles ?? 0, s.meshes, s.size, s.minObjects ?? 1, s.maxObjects ?? 3, s.templates ? 't' : 'n', ...(s.cfScenes || s.cfMeshes ? [`cf${s.cfScenes ?? 0}_${s.cfMeshes ?? 0}`] : []), ...(s.fadedMeshes ? [`fade${s.fadedMeshes}_${s.fadeMax ?? 0.75}`] : [])].join('-').replace(/[^a-z0-9-]/gi, '_');
  return join(cacheRoot(), 'microworld', `clip-${key}.bin`);
}

/** Binary layout: u32 JSON length, JSON (captions + attrs per sample), then the RGB bytes of all images. */
export function encodeSamples(samples: readonly ClipSample[]): Uint8Array {
  const meta = JSON.stringify(samples.map((s) => ({ w: s.image.width, h: s.image.height, c: s.captions, a: s.attrs })));
  const json = new TextEncoder().encode(meta);
  const pixels = samples.reduce((n, s) => n + s.image.data.length, 0);
  const out = new Uint8Array(4 + json.length + pixels);
  new DataView(out.buffer).setUint32(0, json.length, true);
  out.set(json, 4);
  let o = 4 + json.length;
  for (const s of samples) { out.set(s.image.data, o); o += s.image.data.length; }
  return out;
}

export function decodeSamples(bytes: Uint8Array): ClipSample[] {
  const n = new DataView(bytes.buffer, bytes.byteOffset).getUint32(0, true);
  const meta = JSON.parse(new TextDecoder().decode(bytes.subarray(4, 4 + n))) as { w: number; h: number; c: string[]; a: SampleAttrs }[];
  let o = 4 + n;
  return meta.map((m) => {
    const len = m.w * m.h * 3;
    const data = bytes.slice(o, o + len);
    if (data.length !== len) throw new Error('clip sample cache: truncated file');
    o += len;
    return { image: { width: m.w, height: m.h, data }, captions: m.c, attrs: m.a };
  });
}

export async function loadOrGenerate(s: SampleSetSpec, log?: (msg: string) => void): Promise<ClipSample[]> {
  const file = cacheFile(s);
  if (existsSync(file)) {
    try {
      return decodeSamples(new Uint8Array(await readFile(file)));
    } catch (e) {
      log?.(`cache ${file} unreadable (${(e as Error).message}); regenerating`);
    }
  }
  const t0 = Date.now();
  const samples = generateSamples(s, (d, t) => log?.(`rendering ${s.split} ${d}/${t}`));
  log?.(`rendered ${samples.length} ${s.split} samples in ${((Date.now() - t0) / 1000).toFixed(1)} s → ${file}`);
  await mkdir(join(cacheRoot(), 'microworld'), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  await writeFile(tmp, encodeSamples(samples));
  await rename(tmp, file);
  return samples;
}
