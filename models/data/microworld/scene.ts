/**
 * 2D scenes: 1-3 objects on a background, sampled from a seed, with an exact scene graph.
 *
 *   const scene = sampleScene(new Prng('train:1:0'), { split: 'train' });
 *   const { image, masks, boxes } = renderScene(scene);
 *
 * The scene graph (attributes + geometry) is the source of truth: captions, questions, masks and
 * boxes are all derived from it, so they are exact by construction.
 */
import {
  COLORS, COLOR_NAMES, PATTERNS, PLAIN_BACKGROUNDS, POSITIONS, SHAPES, SIZES, TEXTURES,
  type ColorName, type PatternName, type PositionName, type ShapeName, type SizeName, type TextureName,
} from './attributes.ts';
import type { Background } from './backgrounds.ts';
import type { Prng } from './prng.ts';
import { HELD_OUT_COLOR_SHAPE, HELD_OUT_PATTERN_SHAPE, isHeldOut, type Split } from './splits.ts';

export interface SceneObject {
  shape: ShapeName;
  color: ColorName;
  pattern: PatternName;
  size: SizeName;
  position: PositionName;
  /** Center in pixels (x right, y down). */
  cx: number;
  cy: number;
  /** Radius in pixels: the footprint lies inside this disk. */
  radius: number;
  /** Rotation of the shape in radians (counter-clockwise on screen). */
  rotation: number;
  /** Direction of stripes in the object's frame. */
  patternAngle: number;
}

export interface Scene {
  width: number;
  height: number;
  background: Background;
  /** Seed of background texture noise. */
  textureSeed: number;
  /** How many texture tiles span the image (default 1); large canvases use more. */
  textureScale?: number;
  /** Objects in draw order: later objects occlude earlier ones. */
  objects: SceneObject[];
}

export interface SceneOptions {
  split?: Split;
  width?: number;
  height?: number;
  minObjects?: number;
  maxObjects?: number;
}

/** Anchor of each position name, as a fraction of the image size. */
export const POSITION_ANCHORS: Record<PositionName, readonly [number, number]> = {
  left: [0.2, 0.5],
  right: [0.8, 0.5],
  top: [0.5, 0.2],
  bottom: [0.5, 0.8],
  center: [0.5, 0.5],
};

/** Radius of each size as a fraction of the smaller image side. */
export const SIZE_RADIUS: Record<SizeName, number> = { small: 0.115, large: 0.185 };

const PATTERN_WEIGHTS: Record<PatternName, number> = { solid: 0.4, striped: 0.2, dotted: 0.2, checkered: 0.2 };

/** Background/object color pairs with too little contrast to read the object. */
const CLASHES: Partial<Record<TextureName, readonly ColorName[]>> = {
  grass: ['green'],
  sky: ['blue', 'white'],
  night: ['black', 'blue', 'purple'],
  sand: ['yellow', 'orange', 'white'],
  wood: ['brown', 'orange'],
  'brick wall': ['red', 'brown'],
};

function weightedPattern(rng: Prng): PatternName {
  let t = rng.float();
  for (const p of PATTERNS) {
    t -= PATTERN_WEIGHTS[p];
    if (t < 0) return p;
  }
  return 'solid';
}

function sampleAttributes(rng: Prng, split: Split, forceHeldOut: boolean): Pick<SceneObject, 'shape' | 'color' | 'pattern'> {
  if (forceHeldOut) {
    // Test split: draw one held-out pair, fill the rest freely.
    const nPairs = HELD_OUT_COLOR_SHAPE.length + HELD_OUT_PATTERN_SHAPE.length;
    const k = rng.int(nPairs);
    if (k < HELD_OUT_COLOR_SHAPE.length) {
      const [color, shape] = HELD_OUT_COLOR_SHAPE[k];
      return { color, shape, pattern: weightedPattern(rng) };
    }
    const [pattern, shape] = HELD_OUT_PATTERN_SHAPE[k - HELD_OUT_COLOR_SHAPE.length];
    return { color: rng.pick(COLOR_NAMES), shape, pattern };
  }
  for (;;) {
    const a = { shape: rng.pick(SHAPES), color: rng.pick(COLOR_NAMES), pattern: weightedPattern(rng) };
    if (split === 'test' || !isHeldOut(a)) return a;
  }
}

function sampleBackground(rng: Prng, colors: readonly ColorName[]): Background {
  for (;;) {
    if (rng.chance(0.5)) {
      const color = rng.pick(PLAIN_BACKGROUNDS);
      if (!colors.includes(color) && !(color === 'white' && colors.includes('gray')) && !(color === 'black' && colors.includes('brown'))) {
        return { kind: 'plain', color };
      }
    } else {
      const texture = rng.pick(TEXTURES);
      if (!colors.some((c) => CLASHES[texture]?.includes(c))) return { kind: 'texture', texture };
    }
  }
}

export function sampleScene(rng: Prng, opts: SceneOptions = {}): Scene {
  const split = opts.split ?? 'train';
  const width = opts.width ?? 64;
  const height = opts.height ?? width;
  // One object per position name at most: counts are clamped to [1, 5].
  const minN = Math.min(POSITIONS.length, Math.max(1, opts.minObjects ?? 1));
  const maxN = Math.min(POSITIONS.length, Math.max(minN, opts.maxObjects ?? 3));
  const n = minN + rng.int(maxN - minN + 1);
  const positions = rng.shuffle([...POSITIONS]).slice(0, n);
  const side = Math.min(width, height);
  const objects: SceneObject[] = [];
  for (let i = 0; i < n; i++) {
    let attrs = sampleAttributes(rng, split, split === 'test' && i === 0);
    // Distinct (color, shape) per scene, so "the red star" always names one object.
    while (objects.some((o) => o.color === attrs.color && o.shape === attrs.shape)) attrs = sampleAttributes(rng, split, false);
    const size = rng.pick(SIZES);
    const position = positions[i];
    const [ax, ay] = POSITION_ANCHORS[position];
    objects.push({
      ...attrs,
      size,
      position,
      cx: (ax + rng.range(-0.03, 0.03)) * width,
      cy: (ay + rng.range(-0.03, 0.03)) * height,
      radius: SIZE_RADIUS[size] * side * rng.range(0.95, 1.05),
      rotation: rng.range(-0.3, 0.3),
      patternAngle: rng.range(0, Math.PI),
    });
  }
  const background = sampleBackground(rng, objects.map((o) => o.color));
  return { width, height, background, textureSeed: rng.nextU32(), objects };
}

/** Object color as floats in [0, 1]. */
export function objectRgb(o: SceneObject): [number, number, number] {
  const c = COLORS[o.color];
  return [c[0] / 255, c[1] / 255, c[2] / 255];
}
