import { describe, expect, it } from 'vitest';
import { orbitCamera, toViewSpace } from './camera.ts';
import { rasterize, type VisibilityBuffer } from './rasterize.ts';
import { faceNormals, shade } from './shade.ts';
import { faceNormalsBackward, shadeBackward, toViewSpaceBackward } from './shadeBackward.ts';

// An octahedron: convex, every face lit differently, small enough for exhaustive finite differences.
const WORLD = new Float32Array([0.9, 0, 0, -0.9, 0, 0, 0, 0.9, 0, 0, -0.9, 0, 0, 0, 0.9, 0, 0, -0.9]);
const IDX = new Uint32Array([0, 2, 4, 2, 1, 4, 1, 3, 4, 3, 0, 4, 2, 0, 5, 1, 2, 5, 3, 1, 5, 0, 3, 5]);
const SIZE = 20;
const cam = orbitCamera({ elevation: 0.35, azimuth: 0.6 });

function loss(world: Float32Array, colors: Float32Array, g: Float32Array, vis?: VisibilityBuffer): { L: number; vis: VisibilityBuffer } {
  const view = toViewSpace(cam, world);
  const v = vis ?? rasterize({ viewPositions: view, indices: IDX, width: SIZE, height: SIZE, fov: cam.fov });
  const { rgb } = shade({ vis: v, indices: IDX, colors, normals: faceNormals(view, IDX) });
  let L = 0;
  for (let i = 0; i < rgb.length; i++) L += g[i] * rgb[i];
  return { L, vis: v };
}

/** Tiny LCG: shaders/ may not import models/ (where the shared PRNG lives). */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

describe('shadeBackward (adjoint of deferred shading)', () => {
  const rand = lcg(7);
  const g = new Float32Array(SIZE * SIZE * 3).map(() => rand() * 2 - 1);

  it('color gradients match finite differences', () => {
    const colors = new Float32Array(18).map(() => 0.15 + 0.7 * rand());
    const { vis } = loss(WORLD, colors, g);
    const view = toViewSpace(cam, WORLD);
    const { gradColors } = shadeBackward({ vis, indices: IDX, colors, normals: faceNormals(view, IDX), gradRgb: g });
    const eps = 1e-3;
    for (let i = 0; i < colors.length; i++) {
      const up = colors.slice();
      const dn = colors.slice();
      up[i] += eps;
      dn[i] -= eps;
      const fd = (loss(WORLD, up, g, vis).L - loss(WORLD, dn, g, vis).L) / (2 * eps);
      expect(gradColors[i]).toBeCloseTo(fd, 2);
    }
    expect(gradColors.some((v) => Math.abs(v) > 0.01)).toBe(true);
  });

  it('position gradients through the face normals match finite differences (flat colors per face)', () => {
    // Constant colors: barycentric motion has no effect, so shading is the only path (as in the geometry pass).
    const colors = new Float32Array(18).fill(0.5);
    const { vis } = loss(WORLD, colors, g);
    const view = toViewSpace(cam, WORLD);
    const { gradNormals } = shadeBackward({ vis, indices: IDX, colors, normals: faceNormals(view, IDX), gradRgb: g });
    const gradWorld = toViewSpaceBackward(cam, faceNormalsBackward(view, IDX, gradNormals));
    const eps = 1e-3;
    for (let i = 0; i < WORLD.length; i++) {
      const up = WORLD.slice();
      const dn = WORLD.slice();
      up[i] += eps;
      dn[i] -= eps;
      // Same visibility buffer: visibility is piecewise constant by convention.
      const fd = (loss(up, colors, g, vis).L - loss(dn, colors, g, vis).L) / (2 * eps);
      expect(gradWorld[i]).toBeCloseTo(fd, 2);
    }
    expect(gradWorld.some((v) => Math.abs(v) > 0.01)).toBe(true);
  });

  it('clamped pixels and the background pass no gradient', () => {
    const bright = new Float32Array(18).fill(5); // clamped to 1 before shading
    const { vis } = loss(WORLD, bright, g);
    const view = toViewSpace(cam, WORLD);
    const { gradColors } = shadeBackward({ vis, indices: IDX, colors: bright, normals: faceNormals(view, IDX), gradRgb: g });
    expect(gradColors.every((v) => v === 0)).toBe(true);
    const empty = { ...vis, triangle: new Int32Array(vis.triangle.length).fill(-1) };
    const none = shadeBackward({ vis: empty, indices: IDX, colors: bright, normals: faceNormals(view, IDX), gradRgb: g });
    expect(none.gradNormals.every((v) => v === 0)).toBe(true);
  });
});
