import { describe, expect, it } from 'vitest';
import { renderMesh } from '../raster/renderMesh.ts';
import { augment, augmentBackward, type AugmentSpec } from '../augment/augment.ts';
import { cameraOf, grayColors, renderViews, renderViewsBackward, type RenderMesh, type ViewSpec } from './renderViews.ts';
import { sampleViews } from './sampleViews.ts';
import { sphereMesh } from './sphereMesh.ts';

/** Tiny LCG (shaders/ may not import the shared PRNG from models/). */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

const SIZE = 16;
const VIEWS: ViewSpec[] = [
  { azimuth: 0, elevation: 0, radius: 2, fov: Math.PI / 3 },
  { azimuth: 1.9, elevation: 0.5, radius: 2, fov: Math.PI / 3 },
  { azimuth: -2.4, elevation: -0.7, radius: 2.5, fov: Math.PI / 4 },
];
const MESH = sphereMesh(5, 7, 0.15);

const dot = (a: Float32Array, b: Float32Array): number => a.reduce((s, v, i) => s + v * b[i], 0);

/** Loss g·render(mesh) with the visibility of `fixed` (hard raster: visibility is piecewise constant). */
function renderLoss(mesh: RenderMesh, g: Float32Array, fixed: ReturnType<typeof renderViews>, spec?: AugmentSpec, outSize = SIZE): number {
  const b = renderViews(mesh, VIEWS, SIZE, { visibility: fixed.passes.map((p) => p.vis) });
  return dot(spec ? augment(b.images, VIEWS.length, SIZE, outSize, spec) : b.images, g);
}

function fdCheck(analytic: Float32Array, values: Float32Array, f: () => number, picks: number[], eps = 1e-3): void {
  for (const i of picks) {
    const v0 = values[i];
    values[i] = v0 + eps;
    const up = f();
    values[i] = v0 - eps;
    const dn = f();
    values[i] = v0;
    const fd = (up - dn) / (2 * eps);
    expect(Math.abs(analytic[i] - fd), `index ${i}: analytic ${analytic[i]} vs fd ${fd}`).toBeLessThan(2e-3 + 2e-3 * Math.abs(fd));
  }
}

describe('renderViews (batched CPU renderer)', () => {
  it('lays out each view as NCHW planes equal to the single-view reference', () => {
    const batch = renderViews(MESH, VIEWS, SIZE, { background: [1, 1, 1] });
    expect(batch.images.length).toBe(VIEWS.length * 3 * SIZE * SIZE);
    VIEWS.forEach((v, k) => {
      const ref = renderMesh(MESH, cameraOf(v), SIZE);
      for (let p = 0; p < SIZE * SIZE; p++) {
        for (let c = 0; c < 3; c++) expect(batch.images[(k * 3 + c) * SIZE * SIZE + p]).toBe(ref.rgb[p * 3 + c]);
      }
      const covered = ref.mask.reduce((s, m) => s + m, 0);
      expect(covered).toBeGreaterThan(40);
      expect(covered).toBeLessThan(SIZE * SIZE);
    });
  });

  it('fills uncovered pixels with the background and the gray pass is colorless', () => {
    const batch = renderViews({ ...MESH, colors: grayColors(MESH.positions.length / 3) }, VIEWS.slice(0, 1), SIZE, { background: [0, 0.25, 0.5] });
    const plane = SIZE * SIZE;
    const tri = batch.passes[0].vis.triangle;
    for (let p = 0; p < plane; p++) {
      const [r, g, b] = [batch.images[p], batch.images[plane + p], batch.images[2 * plane + p]];
      if (tri[p] < 0) expect([r, g, b]).toEqual([0, 0.25, 0.5]);
      else expect(r === g && g === b).toBe(true);
    }
  });

  it('color gradients (all views) match central finite differences', () => {
    const rand = lcg(11);
    const mesh: RenderMesh = { ...MESH, colors: MESH.colors.slice() };
    const fixed = renderViews(mesh, VIEWS, SIZE);
    const g = new Float32Array(fixed.images.length).map(() => rand() * 2 - 1);
    const { dColors } = renderViewsBackward(mesh, fixed, g);
    expect(dColors.some((v) => Math.abs(v) > 0.05)).toBe(true);
    fdCheck(dColors, mesh.colors, () => renderLoss(mesh, g, fixed), Array.from({ length: mesh.colors.length }, (_, i) => i));
  });

  it('position gradients (normals → cross → normalize → view rotation → world) match finite differences', () => {
    const rand = lcg(12);
    const mesh: RenderMesh = { ...MESH, positions: MESH.positions.slice(), colors: MESH.colors.slice() };
    const fixed = renderViews(mesh, VIEWS, SIZE);
    const g = new Float32Array(fixed.images.length).map(() => rand() * 2 - 1);
    const { dPositions } = renderViewsBackward(mesh, fixed, g);
    expect(dPositions.some((v) => Math.abs(v) > 0.05)).toBe(true);
    // Colors vary across faces here, so only the shading term depends on positions (fixed visibility
    // also fixes the barycentrics): exactly what the adjoint models.
    fdCheck(dPositions, mesh.positions, () => renderLoss(mesh, g, fixed), Array.from({ length: mesh.positions.length }, (_, i) => i), 1e-4);
  });

  it('render → augment (crop + perspective) chain gradients match finite differences', () => {
    const rand = lcg(13);
    const mesh: RenderMesh = { ...MESH, positions: MESH.positions.slice(), colors: MESH.colors.slice() };
    const out = 12;
    const spec: AugmentSpec = { crop: { x0: 3, y0: 2, w: 10, h: 11 }, perspective: { corners: [[2, 1], [10, 0], [11, 9], [1, 11]] }, fill: 1 };
    const fixed = renderViews(mesh, VIEWS, SIZE);
    const g = new Float32Array(VIEWS.length * 3 * out * out).map(() => rand() * 2 - 1);
    const dImages = augmentBackward(g, VIEWS.length, SIZE, out, spec);
    const { dColors, dPositions } = renderViewsBackward(mesh, fixed, dImages);
    expect(dColors.some((v) => Math.abs(v) > 0.02)).toBe(true);
    const loss = () => renderLoss(mesh, g, fixed, spec, out);
    fdCheck(dColors, mesh.colors, loss, Array.from({ length: 40 }, (_, i) => (i * 7) % mesh.colors.length));
    fdCheck(dPositions, mesh.positions, loss, Array.from({ length: 40 }, (_, i) => (i * 5) % mesh.positions.length), 1e-4);
  });

  it('rejects a gradient of the wrong shape', () => {
    const b = renderViews(MESH, VIEWS.slice(0, 1), SIZE);
    expect(() => renderViewsBackward(MESH, b, new Float32Array(5))).toThrow(/expected 1×3×16×16/);
  });
});

describe('sampleViews (xmesh.md §3.2)', () => {
  it('view 0 is the front view, the rest are normal around it with sd π/std and 2π/std', () => {
    let k = 0;
    const seq = [0.5, -1, 2, 0.25, 1, -0.5];
    const views = sampleViews({ normal: () => seq[k++] }, 4, { azimuth: 0.3, elevation: 0.1 }, 4);
    expect(views[0]).toEqual({ azimuth: 0.3, elevation: 0.1, radius: 2, fov: Math.PI / 3 });
    // Elevations first, then azimuths (torch draw order in the reference).
    expect(views.slice(1).map((v) => v.elevation)).toEqual([0.1 + 0.5 * Math.PI / 4, 0.1 - Math.PI / 4, 0.1 + 2 * Math.PI / 4]);
    expect(views.slice(1).map((v) => v.azimuth)).toEqual([0.3 + 0.25 * Math.PI / 2, 0.3 + Math.PI / 2, 0.3 - 0.5 * Math.PI / 2]);
  });
});
