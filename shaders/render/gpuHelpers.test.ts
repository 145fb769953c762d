import { describe, expect, it } from 'vitest';
import { cornerAdjacency } from '../raster/shadeGpu.ts';
import { packCameras } from '../raster/rasterizeGpu.ts';
import { maxTapLoad } from '../augment/augmentGpu.ts';
import { augmentBackward, planAugment } from '../augment/augment.ts';
import { cameraOf } from './renderViews.ts';

// CPU-side pieces of the WebGPU path (the kernels themselves are checked in e2e/raster-parity.spec.ts).
describe('GPU renderer host helpers', () => {
  it('cornerAdjacency lists every face corner under its vertex (CSR)', () => {
    const idx = new Uint32Array([0, 1, 2, 2, 1, 3, 3, 4, 2]);
    const csr = cornerAdjacency(idx, 5);
    const offsets = Array.from(csr.slice(0, 6));
    expect(offsets).toEqual([0, 1, 3, 6, 8, 9]);
    const entries = csr.slice(6);
    for (let v = 0; v < 5; v++) {
      const corners = Array.from(entries.slice(offsets[v], offsets[v + 1])).sort((a, b) => a - b);
      expect(corners).toEqual(Array.from(idx.keys()).filter((c) => idx[c] === v));
    }
  });

  it('packCameras writes rotation rows, eye and tan(fov/2) per view (WGSL Cam layout)', () => {
    const cam = cameraOf({ azimuth: 0.4, elevation: 0.2, radius: 2.5, fov: Math.PI / 4 });
    const p = packCameras([cam, cam]);
    expect(p.length).toBe(32);
    expect(Array.from(p.slice(16, 19))).toEqual(Array.from(new Float32Array(cam.rotation.slice(0, 3))));
    expect(p[3]).toBe(0);
    expect(p[12]).toBeCloseTo(cam.position[0], 6);
    expect(p[15]).toBeCloseTo(Math.tan(Math.PI / 8), 6);
  });

  it('maxTapLoad is the largest column sum of the augment matrix (adjoint of all ones)', () => {
    const spec = { crop: { x0: 2, y0: 2, w: 5, h: 6 }, perspective: { corners: [[1, 1], [10, 0], [11, 11], [0, 10]] as [number, number][] }, fill: 1 };
    const ones = new Float32Array(3 * 12 * 12).fill(1);
    const cols = augmentBackward(ones, 1, 10, 12, spec);
    const load = maxTapLoad(planAugment(10, 12, spec));
    expect(load).toBeCloseTo(Math.max(...cols), 4);
    expect(load).toBeGreaterThan(2); // a 5-px crop upsampled to 12 px piles several taps on a source pixel
  });
});
