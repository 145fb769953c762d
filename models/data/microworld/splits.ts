/**
 * Held-out attribute combinations. The train and val splits never produce these pairs; the test
 * split puts at least one in every sample, so an evaluation measures composition ("purple star"
 * from "purple" and "star" seen apart), not memorization. Every single value still appears in
 * train: each held-out pair removes one combination, never an attribute.
 */
import type { ColorName, MaterialName, MeshName, PatternName, ShapeName } from './attributes.ts';

export type Split = 'train' | 'val' | 'test';
export const SPLITS: readonly Split[] = ['train', 'val', 'test'];

export const HELD_OUT_COLOR_SHAPE: ReadonlyArray<readonly [ColorName, ShapeName]> = [
  ['purple', 'star'],
  ['red', 'diamond'],
  ['orange', 'ring'],
  ['yellow', 'heart'],
  ['green', 'triangle'],
  ['blue', 'cross'],
  ['pink', 'square'],
  ['brown', 'circle'],
  ['black', 'moon'],
  ['white', 'hexagon'],
  ['gray', 'triangle'],
];

export const HELD_OUT_PATTERN_SHAPE: ReadonlyArray<readonly [PatternName, ShapeName]> = [
  ['striped', 'heart'],
  ['dotted', 'hexagon'],
  ['checkered', 'star'],
];

export const HELD_OUT_MATERIAL_MESH: ReadonlyArray<readonly [MaterialName, MeshName]> = [
  ['brick', 'vase'],
  ['gold', 'torus'],
  ['marble', 'teapot'],
  ['wood', 'sphere'],
  ['zebra', 'cube'],
  ['lava', 'cone'],
  ['grass', 'cylinder'],
  ['stripes', 'capsule'],
  ['dots', 'pyramid'],
  ['checker', 'bowl'],
];

/** Attributes of one object (2D) or one mesh render (3D); missing fields never match. */
export interface Combination {
  color?: ColorName;
  shape?: ShapeName;
  pattern?: PatternName;
  material?: MaterialName;
  mesh?: MeshName;
}

/** Which held-out pairs this combination contains, as "a×b" labels (empty when none). */
export function heldOutPairs(c: Combination): string[] {
  const hits: string[] = [];
  for (const [col, sh] of HELD_OUT_COLOR_SHAPE) if (c.color === col && c.shape === sh) hits.push(`${col}×${sh}`);
  for (const [pat, sh] of HELD_OUT_PATTERN_SHAPE) if (c.pattern === pat && c.shape === sh) hits.push(`${pat}×${sh}`);
  for (const [mat, me] of HELD_OUT_MATERIAL_MESH) if (c.material === mat && c.mesh === me) hits.push(`${mat}×${me}`);
  return hits;
}

/** Is this combination held out of training? */
export function isHeldOut(c: Combination): boolean {
  return heldOutPairs(c).length > 0;
}
