/** Adjoint checks of the TS-side pieces: renormalization (vs finite differences) and augmentations (dot-product test). */
import { describe, expect, it } from 'vitest';
import { Prng } from '../../models/data/microworld/prng.ts';
import { augment, augmentBackward, homography, sampleAugment } from './augment.ts';
import { displaceAndNormalize, displaceAndNormalizeBackward, fieldInput } from './geometry.ts';

const rand = (r: Prng, n: number, s = 1) => Float32Array.from({ length: n }, () => r.normal(0, s));

describe('displaceAndNormalize', () => {
  it('lands in the unit sphere centered at the mean', () => {
    const r = new Prng(1);
    const out = displaceAndNormalize(rand(r, 30), rand(r, 30, 0.1)).positions;
    let maxR = 0;
    const c = [0, 0, 0];
    for (let i = 0; i < 10; i++) {
      maxR = Math.max(maxR, Math.hypot(out[i * 3], out[i * 3 + 1], out[i * 3 + 2]));
      for (let k = 0; k < 3; k++) c[k] += out[i * 3 + k] / 10;
    }
    expect(maxR).toBeCloseTo(1, 5);
    for (const v of c) expect(Math.abs(v)).toBeLessThan(1e-6);
  });

  it('backward is the exact Jacobian transpose (mean and max-radius terms included)', () => {
    const r = new Prng(2);
    const base = rand(r, 24), off = rand(r, 24, 0.05), w = rand(r, 24);
    const L = (o: Float32Array) => displaceAndNormalize(base, o).positions.reduce((a, v, i) => a + v * w[i], 0);
    const g = displaceAndNormalizeBackward(displaceAndNormalize(base, off), w);
    const h = 1e-3;
    for (let i = 0; i < 24; i++) {
      const p = Float32Array.from(off), m = Float32Array.from(off);
      p[i] += h; m[i] -= h;
      expect(g[i]).toBeCloseTo((L(p) - L(m)) / (2 * h), 2);
    }
  });

  it('rejects a collapsed mesh', () => {
    expect(() => displaceAndNormalize(new Float32Array(9), new Float32Array(9))).toThrow(/coincide/);
  });
});

describe('fieldInput', () => {
  it('mirrors z and standardizes per channel', () => {
    const x = fieldInput(Float32Array.of(1, 2, -3, 3, 4, 1, 5, 0, 2), { symmetry: true, standardize: true });
    for (let c = 0; c < 3; c++) {
      const col = [x[c], x[3 + c], x[6 + c]];
      const m = col.reduce((a, b) => a + b) / 3;
      const sd = Math.sqrt(col.reduce((a, b) => a + (b - m) ** 2, 0) / 2);
      expect(m).toBeCloseTo(0, 6);
      expect(sd).toBeCloseTo(1, 6);
    }
    // z = (−3 → 3, 1, 2) after mirroring: the first vertex has the largest z.
    expect(x[2]).toBeGreaterThan(x[5]);
  });
});

describe('augmentations', () => {
  it('homography maps the four source corners to the destination corners', () => {
    const src: [number, number][] = [[0, 0], [9, 0], [9, 9], [0, 9]];
    const dst: [number, number][] = [[1, 2], [8, 1], [7, 9], [0, 8]];
    const H = homography(src, dst);
    for (let i = 0; i < 4; i++) {
      const [x, y] = src[i], d = H[6] * x + H[7] * y + H[8];
      expect((H[0] * x + H[1] * y + H[2]) / d).toBeCloseTo(dst[i][0], 6);
      expect((H[3] * x + H[4] * y + H[5]) / d).toBeCloseTo(dst[i][1], 6);
    }
  });

  it.each(['global', 'local', 'geometry'] as const)('%s: backward is the transpose of forward (<Ax, y> = <x, Aᵀy>)', (kind) => {
    const r = new Prng(`aug-${kind}`);
    const S = 16, O = 12, V = 2;
    for (let trial = 0; trial < 4; trial++) {
      const spec = sampleAugment(r, S, kind, 0.4);
      const x = rand(r, V * 3 * S * S), y = rand(r, V * 3 * O * O);
      // Zero fill so the operator is linear (fill is an affine constant with no gradient).
      const ax = augment(x, V, S, O, spec, 0);
      const aty = augmentBackward(y, V, S, O, spec);
      const lhs = ax.reduce((a, v, i) => a + v * y[i], 0);
      const rhs = x.reduce((a, v, i) => a + v * aty[i], 0);
      expect(lhs).toBeCloseTo(rhs, 3);
    }
  });

  it('the global pass without perspective is the identity; fill pixels are white', () => {
    const S = 8;
    const img = Float32Array.from({ length: 3 * S * S }, (_, i) => (i % 7) / 7);
    expect([...augment(img, 1, S, S, { kind: 'global', crop: { x: 0, y: 0, w: S, h: S }, perspective: null })]).toEqual([...img].map((v) => Math.fround(v)));
    const r = new Prng(9);
    let spec = sampleAugment(r, S, 'global');
    while (!spec.perspective) spec = sampleAugment(r, S, 'global');
    const out = augment(new Float32Array(3 * S * S), 1, S, S, spec);
    expect(out.some((v) => v === 1)).toBe(true);
  });
});
