import { describe, expect, it } from 'vitest';
import { MATERIALS, SHAPES } from '../../data/microworld/attributes.ts';
import { AUX_ATTRIBUTES, auxHeads, auxLabel, auxOneHot } from './auxLabels.ts';
import type { SampleAttrs } from './samples.ts';

const single: SampleAttrs = { kind: 'scene', objects: 1, color: 'red', shape: 'star', pattern: 'dotted' };
const multi: SampleAttrs = { kind: 'scene', objects: 2 };
const mesh: SampleAttrs = { kind: 'mesh', objects: 1, mesh: 'vase', material: 'gold', color: 'red' };

describe('auxiliary attribute labels', () => {
  it('labels an attribute only where it names the whole image', () => {
    expect(auxLabel(single, 'shape')).toBe(SHAPES.indexOf('star'));
    expect(auxLabel(single, 'material')).toBe(-1);
    expect(AUX_ATTRIBUTES.map((a) => auxLabel(multi, a))).toEqual([-1, -1, -1, -1]);
    expect(auxLabel(mesh, 'material')).toBe(MATERIALS.indexOf('gold'));
    // A mesh's color belongs to its material ("red brick"), not to a scene-style color class.
    expect(auxLabel(mesh, 'color')).toBe(-1);
  });

  it('builds one-hot rows with zero rows for unlabeled images and one head per attribute', () => {
    const oh = auxOneHot([single, multi, mesh], 'shape');
    expect(oh.length).toBe(3 * SHAPES.length);
    expect(Array.from(oh.slice(0, SHAPES.length)).reduce((a, b) => a + b)).toBe(1);
    expect(Array.from(oh.slice(SHAPES.length)).every((x) => x === 0)).toBe(true);
    expect(auxHeads(0.5).heads.map((h) => h.name)).toEqual(AUX_ATTRIBUTES);
  });
});
