/**
 * Index-addressable samples: sample i of (kind, split, seed) is always the same, whatever else is
 * drawn, so trainers can shuffle indices, resume mid-epoch, and a contact sheet shows exactly the
 * samples a model saw.
 *
 *   const s = sceneSample('train', 1, 42);            // scene graph, image, masks, captions, questions
 *   const x = toCHW(s.image);                         // Float32Array [3, H, W] in [0, 1]
 *   const m = meshSample('test', 1, 0, 64);           // held-out material × mesh
 */
import { captionScene, type Caption } from './captions.ts';
import { sampleClip, type Clip, type ClipOptions } from './clips.ts';
import type { RgbImage } from './image.ts';
import { sampleMeshScene, type MeshScene } from './meshScene.ts';
import { Prng, type Seed } from './prng.ts';
import { questionsFor, type Question } from './questions.ts';
import { renderScene, type RenderedScene } from './renderScene.ts';
import { sampleScene, type Scene, type SceneOptions } from './scene.ts';
import { sampleSentence, type Sentence } from './sentences.ts';
import type { Split } from './splits.ts';

export type SampleKind = 'scenes' | 'meshes' | 'clips' | 'sentences';

/** The stream of one sample. Kinds and splits never share streams. */
export function sampleStream(kind: SampleKind, split: Split, seed: Seed, index: number): Prng {
  return new Prng(`${kind}:${split}:${seed}:${index}`);
}

export interface SceneSample extends RenderedScene {
  scene: Scene;
  captions: Caption[];
  questions: Question[];
}

export function sceneSample(split: Split, seed: Seed, index: number, opts: Omit<SceneOptions, 'split'> = {}): SceneSample {
  const rng = sampleStream('scenes', split, seed, index);
  const scene = sampleScene(rng, { ...opts, split });
  return { scene, ...renderScene(scene), captions: captionScene(scene), questions: questionsFor(scene, rng) };
}

export function meshSample(split: Split, seed: Seed, index: number, size = 64): MeshScene {
  return sampleMeshScene(sampleStream('meshes', split, seed, index), { split, size });
}

export function clipSample(split: Split, seed: Seed, index: number, opts: ClipOptions = {}): Clip {
  return sampleClip(sampleStream('clips', split, seed, index), opts);
}

export function sentenceSample(split: Split, seed: Seed, index: number, visual?: boolean): Sentence {
  return sampleSentence(sampleStream('sentences', split, seed, index), { split, ...(visual === undefined ? {} : { visual }) });
}

/** Interleaved 8-bit RGB → planar float [3, H, W] in [0, 1], optionally into `out` at `offset`. */
export function toCHW(img: RgbImage, out?: Float32Array, offset = 0): Float32Array {
  const n = img.width * img.height;
  const dst = out ?? new Float32Array(3 * n);
  if (dst.length < offset + 3 * n) throw new RangeError(`toCHW: output has ${dst.length} floats, needs ${offset + 3 * n}`);
  for (let p = 0; p < n; p++) {
    dst[offset + p] = img.data[p * 3] / 255;
    dst[offset + n + p] = img.data[p * 3 + 1] / 255;
    dst[offset + 2 * n + p] = img.data[p * 3 + 2] / 255;
  }
  return dst;
}
