import { describe, expect, it } from 'vitest';
import { COLOR_NAMES, MATERIALS, PATTERNS, SHAPES } from '../../data/microworld/attributes.ts';
import { AUX_ATTRIBUTES, BACKGROUND_NAMES, PRIOR_CONDITION, auxHeads, auxLabel, auxOneHot, auxPriors, auxTensors, priorKey } from './auxLabels.ts';
import type { SampleAttrs } from './samples.ts';

const single: SampleAttrs = { kind: 'scene', objects: 1, color: 'red', shape: 'star', pattern: 'dotted' };
const multi: SampleAttrs = { kind: 'scene', objects: 2 };
const mesh: SampleAttrs = { kind: 'mesh', objects: 1, mesh: 'vase', material: 'gold', color: 'red' };

describe('auxiliary attribute labels', () => {
  it('labels an attribute only where it names the whole image', () => {
    expect(auxLabel(single, 'shape')).toBe(SHAPES.indexOf('star'));
    expect(auxLabel(single, 'material')).toBe(-1);
    expect(AUX_ATTRIBUTES.map((a) => auxLabel(multi, a))).toEqual([-1, -1, -1, -1, -1]);
    // The background labels every scene, however many objects it has; meshes have none.
    expect(auxLabel({ ...multi, background: 'night' }, 'background')).toBe(BACKGROUND_NAMES.indexOf('night'));
    expect(auxLabel({ ...single, background: 'blue background' }, 'background')).toBe(BACKGROUND_NAMES.indexOf('blue background'));
    expect(BACKGROUND_NAMES.indexOf('blue background')).toBeGreaterThanOrEqual(0);
    expect(auxLabel({ ...mesh, background: 'night' }, 'background')).toBe(-1);
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

  it('priors: log p(class | the attributes it is held out with), counted on labeled images, floored where never seen', () => {
    const train: SampleAttrs[] = [
      { kind: 'scene', objects: 1, color: 'red', shape: 'star', pattern: 'solid' },
      { kind: 'scene', objects: 1, color: 'red', shape: 'star', pattern: 'dotted' },
      { kind: 'scene', objects: 1, color: 'red', shape: 'heart', pattern: 'solid' },
      { kind: 'scene', objects: 1, color: 'blue', shape: 'heart', pattern: 'solid' },
      multi, mesh,
    ];
    const p = auxPriors(train, 1e-4);
    // Shape is held out with color (purple star) and with pattern (dotted hexagon): one joint condition.
    expect(priorKey(train[0], PRIOR_CONDITION.shape!)).toBe('red|solid');
    expect(priorKey(multi, PRIOR_CONDITION.shape!)).toBeUndefined();
    const red = p.shape!.get('red|solid')!;
    expect(red[SHAPES.indexOf('star')]).toBeCloseTo(Math.log(1 / 2), 5);
    expect(red[SHAPES.indexOf('heart')]).toBeCloseTo(Math.log(1 / 2), 5);
    expect(red[SHAPES.indexOf('moon')]).toBeCloseTo(Math.log(1e-4), 5);
    expect(p.shape!.get('red|dotted')![SHAPES.indexOf('star')]).toBeCloseTo(0, 5);
    expect(p.shape!.get('red|dotted')![SHAPES.indexOf('heart')]).toBeCloseTo(Math.log(1e-4), 5);
    expect(p.pattern!.get('star')![PATTERNS.indexOf('dotted')]).toBeCloseTo(Math.log(1 / 2), 5);
    expect(p.color!.get('heart')![COLOR_NAMES.indexOf('blue')]).toBeCloseTo(Math.log(1 / 2), 5);
    expect(p.material!.get('vase')![MATERIALS.indexOf('gold')]).toBeCloseTo(0, 5);
    expect(p.shape!.has('undefined')).toBe(false);
    const t = auxTensors([train[0], multi, { kind: 'scene', objects: 1, color: 'green', shape: 'moon', pattern: 'solid' }], p);
    const K = SHAPES.length, rows = t.prior_shape.data as Float32Array;
    expect(t.prior_shape.dims).toEqual([3, K]);
    expect(Array.from(rows.subarray(0, K))).toEqual(Array.from(red));
    // No color (multi-object) or a color never counted: a zero row, i.e. no adjustment.
    expect(Array.from(rows.subarray(K)).every((x) => x === 0)).toBe(true);
    expect(auxTensors([train[0]]).prior_shape).toBeUndefined();
    expect(auxHeads(1, { only: ['shape'], priors: true })).toEqual({ weight: 1, heads: [{ name: 'shape', classes: SHAPES.length }], priors: true });
  });
});
