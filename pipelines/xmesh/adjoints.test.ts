/** The renormalization's adjoint (vs finite differences) and the network-input preprocessing. (Renderer and augmentation adjoints are tested in shaders/.) */
import { describe, expect, it } from 'vitest';
import { Prng } from '../../models/data/microworld/prng.ts';
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
