/**
 * Images the Caption workspace and the CLIP probe work on: a user's file (decoded by the browser,
 * reduced to at most MAX_SIDE so a phone photo does not travel to the worker at full size), a
 * procedurally generated Microworld scene (with its true captions, handy as probe texts), or an
 * Image Edit result. Each carries RGB for display/probing and PNG bytes for pipelines that decode.
 */
import { sceneSample } from '../../models/data/microworld/dataset.ts';
import type { Rgb8 } from '../../models/vision/normalize.ts';
import { halve } from '../../models/vision/preprocess.ts';
import { encodePng } from '../../pipelines/core/png.ts';

export type ImageSource = 'file' | 'sample' | 'image-edit';

export interface StudioImage {
  name: string;
  source: ImageSource;
  width: number;
  height: number;
  rgb: Uint8Array;
  png: Uint8Array;
  /** True descriptions when known (Microworld samples). */
  captions?: string[];
}

/** Longest side kept for a dropped image; every model here reads ≤ 224 px. */
export const MAX_SIDE = 1024;

export function fromRgb(img: Rgb8, name: string, source: ImageSource, captions?: string[]): StudioImage {
  let cur = img;
  while (Math.max(cur.width, cur.height) > MAX_SIDE && Math.min(cur.width, cur.height) >= 2) cur = halve(cur);
  return { name, source, width: cur.width, height: cur.height, rgb: cur.data, png: encodePng({ width: cur.width, height: cur.height, channels: 3, data: cur.data }), captions };
}

/** Held-out Microworld scene `index` (test split, seed 1): image plus its captions. */
export function microworldImage(index: number): StudioImage {
  const s = sceneSample('test', 1, index);
  const captions = [...new Set(s.captions.map((c) => c.text))];
  return fromRgb(s.image, `Microworld scene #${index}`, 'sample', captions);
}
