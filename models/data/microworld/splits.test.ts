import { describe, expect, it } from 'vitest';
import { COLOR_NAMES, MATERIALS, MESHES, SHAPES } from './attributes.ts';
import { sampleMeshSpec } from './meshScene.ts';
import { Prng } from './prng.ts';
import { sampleScene } from './scene.ts';
import { HELD_OUT_COLOR_SHAPE, HELD_OUT_MATERIAL_MESH, heldOutPairs, isHeldOut } from './splits.ts';

describe('held-out combinations', () => {
  it('isHeldOut names the pairs', () => {
    expect(isHeldOut({ color: 'purple', shape: 'star' })).toBe(true);
    expect(isHeldOut({ color: 'purple', shape: 'circle' })).toBe(false);
    expect(isHeldOut({ color: 'purple' })).toBe(false);
    expect(heldOutPairs({ material: 'brick', mesh: 'vase' })).toEqual(['brick×vase']);
  });

  it('train and val never produce a held-out pair; every single value still appears in train', () => {
    const colors = new Set<string>();
    const shapes = new Set<string>();
    for (const split of ['train', 'val'] as const) {
      const rng = new Prng(`split-test:${split}`);
      for (let i = 0; i < 1500; i++) {
        for (const o of sampleScene(rng, { split }).objects) {
          expect(isHeldOut(o)).toBe(false);
          colors.add(o.color);
          shapes.add(o.shape);
        }
      }
    }
    expect(colors.size).toBe(COLOR_NAMES.length);
    expect(shapes.size).toBe(SHAPES.length);
  });

  it('mesh specs: train never shows a held-out material×mesh pair, test always does', () => {
    const rng = new Prng('split-mesh');
    const meshes = new Set<string>();
    const materials = new Set<string>();
    for (let i = 0; i < 1500; i++) {
      const s = sampleMeshSpec(rng, 'train');
      expect(isHeldOut(s)).toBe(false);
      meshes.add(s.mesh);
      materials.add(s.material);
    }
    expect(meshes.size).toBe(MESHES.length);
    expect(materials.size).toBe(MATERIALS.length);
    const seen = new Set<string>();
    for (let i = 0; i < 300; i++) {
      const s = sampleMeshSpec(rng, 'test');
      expect(isHeldOut(s)).toBe(true);
      seen.add(`${s.material}×${s.mesh}`);
    }
    expect(seen.size).toBe(HELD_OUT_MATERIAL_MESH.length);
  });

  it('every test scene contains a held-out pair', () => {
    const rng = new Prng('split-test:test');
    const colorShape = new Set<string>();
    for (let i = 0; i < 400; i++) {
      const objs = sampleScene(rng, { split: 'test' }).objects;
      expect(objs.some((o) => isHeldOut(o))).toBe(true);
      for (const o of objs) if (HELD_OUT_COLOR_SHAPE.some(([c, s]) => c === o.color && s === o.shape)) colorShape.add(`${o.color}×${o.shape}`);
    }
    expect(colorShape.size).toBe(HELD_OUT_COLOR_SHAPE.length);
  });
});
