import { describe, expect, it } from 'vitest';
import { augment, augmentBackward, planAugment, tapsAt, type AugmentSpec } from './augment.ts';
import { cornerPoints, perspectiveCoeffs } from './homography.ts';
import { sampleAugment, sampleCrop, samplePerspectiveCorners } from './sampleAugment.ts';

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}
const dot = (a: Float32Array, b: Float32Array): number => a.reduce((s, v, i) => s + v * b[i], 0);

describe('perspectiveCoeffs (torchvision semantics)', () => {
  it('maps each displaced corner back to its image corner', () => {
    const start = cornerPoints(20, 20);
    const end: [number, number][] = [[3, 2], [17, 4], [18, 19], [1, 15]];
    const k = perspectiveCoeffs(start, end);
    end.forEach(([x, y], i) => {
      const den = k[6] * x + k[7] * y + 1;
      expect((k[0] * x + k[1] * y + k[2]) / den).toBeCloseTo(start[i][0], 9);
      expect((k[3] * x + k[4] * y + k[5]) / den).toBeCloseTo(start[i][1], 9);
    });
  });
});

describe('augment (crop + resize + perspective as one bilinear resampling)', () => {
  const rand = lcg(3);
  const size = 10;
  const img = new Float32Array(2 * 3 * size * size).map(() => rand());

  it('is the identity without crop or warp, and with undisplaced corners', () => {
    expect(augment(img, 2, size, size, { fill: 1 })).toEqual(img);
    const same = augment(img, 2, size, size, { perspective: { corners: cornerPoints(size, size) as [number, number][] }, fill: 1 });
    same.forEach((v, i) => expect(v).toBeCloseTo(img[i], 9));
  });

  it('resizes a crop like torch bilinear with align_corners=False (edge-clamped)', () => {
    // One row [a, b] cropped from a 4×4 image and upsampled to 4 samples: a, .75a+.25b, .25a+.75b, b.
    const src = new Float32Array(3 * 16);
    src[1 * 4 + 1] = 2; // a at (x=1, y=1)
    src[1 * 4 + 2] = 6; // b at (x=2, y=1)
    src[2 * 4 + 1] = 2;
    src[2 * 4 + 2] = 6;
    const out = augment(src, 1, 4, 4, { crop: { x0: 1, y0: 1, w: 2, h: 2 }, fill: 0 });
    expect(Array.from(out.slice(0, 4))).toEqual([2, 3, 5, 6]);
    expect(Array.from(out.slice(12, 16))).toEqual([2, 3, 5, 6]);
  });

  it('fills outside the warped frame with the fill value, with full coverage inside', () => {
    const corners: [number, number][] = [[3, 3], [6, 3], [6, 6], [3, 6]];
    const out = augment(img, 2, size, size, { perspective: { corners }, fill: 0.25 });
    expect(out[0]).toBe(0.25); // pixel (0,0) samples far outside the frame
    const plan = planAugment(size, size, { perspective: { corners }, fill: 0.25 });
    const t = tapsAt(plan, 4, 4, { idx: [0, 0, 0, 0], w: [0, 0, 0, 0], fillWeight: 0 });
    expect(t.fillWeight).toBeCloseTo(0, 12);
    expect(t.w.reduce((s, w) => s + w, 0)).toBeCloseTo(1, 12);
  });

  it('the adjoint is the transpose: <A x, y> = <x, Aᵀ y> (crop + perspective, non-square crop)', () => {
    const spec: AugmentSpec = { crop: { x0: 2, y0: 1, w: 6, h: 8 }, perspective: { corners: [[1, 2], [6, 0], [7, 6], [0, 7]] }, fill: 1 };
    const out = 8;
    const y = new Float32Array(2 * 3 * out * out).map(() => rand() * 2 - 1);
    // The linear part: subtract the response to a black image (the fill's affine offset).
    const Ax = augment(img, 2, size, out, spec);
    const A0 = augment(new Float32Array(img.length), 2, size, out, spec);
    const lin = Ax.map((v, i) => v - A0[i]);
    const ATy = augmentBackward(y, 2, size, out, spec);
    expect(dot(lin, y)).toBeCloseTo(dot(img, ATy), 4);
    expect(Math.abs(dot(img, ATy))).toBeGreaterThan(0.1);
  });

  it('adjoint matches finite differences of a scalar loss', () => {
    const spec: AugmentSpec = { crop: { x0: 1, y0: 0, w: 7, h: 9 }, perspective: { corners: [[2, 1], [8, 2], [9, 9], [1, 8]] }, fill: 1 };
    const out = 7;
    const g = new Float32Array(2 * 3 * out * out).map(() => rand() * 2 - 1);
    const grad = augmentBackward(g, 2, size, out, spec);
    const x = img.slice();
    const eps = 1e-2; // linear: any step is exact up to rounding
    for (const i of [0, 13, 57, 101, 150, 222, 299, 333, 401, 599]) {
      const v0 = x[i];
      x[i] = v0 + eps;
      const up = dot(augment(x, 2, size, out, spec), g);
      x[i] = v0 - eps;
      const dn = dot(augment(x, 2, size, out, spec), g);
      x[i] = v0;
      expect(grad[i]).toBeCloseTo((up - dn) / (2 * eps), 3);
    }
    expect(grad.some((v) => Math.abs(v) > 0.1)).toBe(true);
  });

  it('rejects crops outside the image', () => {
    expect(() => augment(img, 2, size, size, { crop: { x0: 5, y0: 0, w: 6, h: 4 }, fill: 1 })).toThrow(/does not fit/);
  });
});

describe('sampleAugment (RandomResizedCrop + RandomPerspective(0.5, p=0.8))', () => {
  it('crops the requested area fraction with aspect in [3/4, 4/3], inside the image', () => {
    const rng = lcg(5);
    for (let k = 0; k < 200; k++) {
      const c = sampleCrop(rng, 224, 0.4);
      expect(Math.abs(c.w * c.h - 0.4 * 224 * 224)).toBeLessThan(224 * 1.5);
      expect(c.w / c.h).toBeGreaterThan(0.74);
      expect(c.w / c.h).toBeLessThan(1.35);
      expect(c.x0 + c.w).toBeLessThanOrEqual(224);
      expect(c.y0 + c.h).toBeLessThanOrEqual(224);
    }
  });

  it('moves each corner inward by at most half of the half-size, and warps 80% of draws', () => {
    const rng = lcg(6);
    let warped = 0;
    for (let k = 0; k < 500; k++) {
      const [tl, tr, br, bl] = samplePerspectiveCorners(rng, 224, 0.5);
      for (const v of [...tl, tr[1], bl[0]]) expect(v >= 0 && v <= 56).toBe(true);
      for (const v of [tr[0], ...br, bl[1]]) expect(v >= 223 - 56 && v <= 223).toBe(true);
      if (sampleAugment(rng, 64, 'local', 0.4).perspective) warped++;
    }
    expect(warped / 500).toBeGreaterThan(0.74);
    expect(warped / 500).toBeLessThan(0.86);
  });

  it('global draws keep the full frame; geometry draws crop 10% of the area', () => {
    const rng = lcg(8);
    for (let k = 0; k < 50; k++) {
      const g = sampleAugment(rng, 64, 'global');
      if (g.crop) expect(g.crop.w * g.crop.h).toBeGreaterThan(60 * 60); // torch may round one side to 63
      const geo = sampleAugment(rng, 64, 'geometry', 0.4);
      expect(Math.abs(geo.crop!.w * geo.crop!.h - 0.1 * 64 * 64)).toBeLessThan(64);
      expect(geo.fill).toBe(1);
    }
  });
});
