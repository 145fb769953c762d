import { describe, expect, it } from 'vitest';
import { SHAPES } from '../../data/microworld/attributes.ts';
import { AttributeDataset } from './attributeDataset.ts';
import type { ClipSample } from './samples.ts';

const img = (v: number) => ({ width: 2, height: 2, data: new Uint8Array(12).fill(v) });
const samples: ClipSample[] = [
  { image: img(10), captions: ['a'], attrs: { kind: 'scene', objects: 2 } },
  { image: img(200), captions: ['b'], attrs: { kind: 'scene', objects: 1, color: 'red', shape: 'moon', pattern: 'solid' } },
  { image: img(90), captions: ['c'], attrs: { kind: 'mesh', objects: 1, mesh: 'cube', material: 'gold' } },
];

describe('AttributeDataset', () => {
  it('keeps only labeled images and batches their pixels with one-hot heads', () => {
    const ds = new AttributeDataset(samples);
    expect(ds.size).toBe(2);
    const b = ds.collate([0, 1, 0]);
    expect(b.pixel_values.dims).toEqual([3, 3, 2, 2]);
    const px = b.pixel_values.data as Float32Array;
    expect(px[0]).toBe(px[24]); // items 0 and 2 are the same image
    expect(px[0]).not.toBe(px[12]);
    const shape = b.attr_shape.data as Float32Array;
    expect(b.attr_shape.dims).toEqual([3, SHAPES.length]);
    expect(shape[SHAPES.indexOf('moon')]).toBe(1);
    expect(Array.from(shape.slice(SHAPES.length, 2 * SHAPES.length)).every((x) => x === 0)).toBe(true); // the mesh has no shape
    expect(Array.from(b.attr_material.data as Float32Array).reduce((a, x) => a + x, 0)).toBe(1);
  });

  it('rejects a set with no labels at all', () => {
    expect(() => new AttributeDataset([samples[0]])).toThrow(/no sample has an attribute label/);
  });
});
