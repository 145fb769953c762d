import { describe, expect, it } from 'vitest';
import { GraphBuilder } from '../builder.ts';
import { gradCheck, randU } from '../check/gradCheck.ts';
import { type ResizeOpts, resize } from './resize.ts';

async function check(dims: number[], o: ResizeOpts) {
  const b = new GraphBuilder('t');
  const x = b.input('x', 'float32', dims);
  b.output(resize(b, x, o), 'out');
  const r = await gradCheck(b.build(), { wrt: ['x'], feeds: { x: randU(dims, 61) }, samples: 12 });
  expect(r.maxRelErr, JSON.stringify(r.worst)).toBeLessThan(1e-3);
  expect(r.fp32Islands).toEqual([]);
}

describe('Resize VJP vs finite differences', () => {
  it('nearest ×2 (default half_pixel, round_prefer_floor)', () => check([1, 2, 3, 4], { scales: [1, 1, 2, 2] }));
  it('nearest asymmetric floor ×2 (PyTorch nearest)', () => check([1, 2, 3, 3], { scales: [1, 1, 2, 2], coordinateTransformationMode: 'asymmetric', nearestMode: 'floor' }));
  it('nearest downscale by sizes', () => check([1, 1, 5, 6], { sizes: [1, 1, 3, 4] }));
  it('linear ×2 half_pixel', () => check([2, 2, 3, 3], { scales: [1, 1, 2, 2], mode: 'linear' }));
  it('linear align_corners to odd sizes', () => check([1, 2, 3, 4], { sizes: [1, 2, 5, 7], mode: 'linear', coordinateTransformationMode: 'align_corners' }));
  it('linear pytorch_half_pixel, scale 1.5 on the last axis only', () => check([1, 2, 4, 4], { scales: [1, 1, 1, 1.5], mode: 'linear', coordinateTransformationMode: 'pytorch_half_pixel' }));
});
