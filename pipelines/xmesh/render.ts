/**
 * Batched differentiable rendering for the stylizer (xmesh.md §3, §9.3), an adapter over the CPU
 * reference rasterizer and shading in shaders/raster/ with the same shape as the planned
 * shaders/render/renderViews.ts contract (images [V,3,S,S] CHW, white background), so the loop can
 * switch to that module without changes.
 *
 *   const batch = renderViews(mesh, sampleViews(rng, 5), 64);
 *   const { dColors, dPositions } = renderViewsBackward(mesh, batch, dImages);
 *
 * Gradients: vertex colors through the barycentric interpolation and the clamps, positions through
 * the flat SH shading term only (hard visibility, no silhouette gradients, as in kaolin/X-Mesh).
 */
import { orbitCamera, toViewSpace, type Camera } from '../../shaders/raster/camera.ts';
import { rasterize, type VisibilityBuffer } from '../../shaders/raster/rasterize.ts';
import { faceNormals, shade } from '../../shaders/raster/shade.ts';
import { faceNormalsBackward, shadeBackward, toViewSpaceBackward } from '../../shaders/raster/shadeBackward.ts';
import type { Prng } from '../../models/data/microworld/prng.ts';

export interface RenderMesh {
  positions: Float32Array;
  indices: Uint32Array;
  /** Per-vertex RGB. */
  colors: Float32Array;
}

export interface View { azimuth: number; elevation: number; radius: number; fov: number }

interface ViewState { cam: Camera; viewPositions: Float32Array; vis: VisibilityBuffer; normals: Float32Array }

export interface RenderBatch {
  size: number;
  views: View[];
  /** [V,3,S,S], row 0 at the top. */
  images: Float32Array;
  /** Per view: what the backward pass reuses (camera, view-space positions, visibility, normals). */
  state: ViewState[];
}

/** Training camera (§3.1): radius 2, vertical FOV 60°. */
export const TRAIN_VIEW = { radius: 2, fov: Math.PI / 3 } as const;

/**
 * §3.2: view 0 at the center, the rest e ~ N(ce, (π/std)²), a ~ N(ca, (2π/std)²), no clamping.
 */
export function sampleViews(rng: Prng, n: number, center: { azimuth: number; elevation: number } = { azimuth: 0, elevation: 0 }, std = 4): View[] {
  const out: View[] = [{ ...center, ...TRAIN_VIEW }];
  for (let i = 1; i < n; i++) {
    const elevation = rng.normal(center.elevation, Math.PI / std);
    const azimuth = rng.normal(center.azimuth, (2 * Math.PI) / std);
    out.push({ azimuth, elevation, ...TRAIN_VIEW });
  }
  return out;
}

/** The 24 fixed evaluation views (§3.4): azimuth 0..315° step 45° × elevation −30°, 0, 30°, r 2.5, FOV 45°. */
export function evaluationViews(): View[] {
  const out: View[] = [];
  for (const e of [-30, 0, 30]) for (let a = 0; a < 360; a += 45) out.push({ azimuth: (a * Math.PI) / 180, elevation: (e * Math.PI) / 180, radius: 2.5, fov: Math.PI / 4 });
  return out;
}

export function renderViews(mesh: RenderMesh, views: View[], size: number, background: readonly [number, number, number] = [1, 1, 1]): RenderBatch {
  const S2 = size * size;
  const images = new Float32Array(views.length * 3 * S2);
  const state: ViewState[] = [];
  views.forEach((v, k) => {
    const cam = orbitCamera(v);
    const viewPositions = toViewSpace(cam, mesh.positions);
    const vis = rasterize({ viewPositions, indices: mesh.indices, width: size, height: size, fov: cam.fov });
    const normals = faceNormals(viewPositions, mesh.indices);
    const { rgb } = shade({ vis, indices: mesh.indices, colors: mesh.colors, normals, background });
    const base = k * 3 * S2;
    for (let p = 0; p < S2; p++) {
      images[base + p] = rgb[p * 3];
      images[base + S2 + p] = rgb[p * 3 + 1];
      images[base + 2 * S2 + p] = rgb[p * 3 + 2];
    }
    state.push({ cam, viewPositions, vis, normals });
  });
  return { size, views, images, state };
}

/** dL/dcolors and dL/dpositions (world space) from dL/dimages [V,3,S,S]. */
export function renderViewsBackward(mesh: RenderMesh, batch: RenderBatch, dImages: Float32Array): { dColors: Float32Array; dPositions: Float32Array } {
  const S2 = batch.size * batch.size;
  const dColors = new Float32Array(mesh.colors.length);
  const dPositions = new Float32Array(mesh.positions.length);
  const gradRgb = new Float32Array(S2 * 3);
  batch.state.forEach((st, k) => {
    const base = k * 3 * S2;
    let any = false;
    for (let p = 0; p < S2; p++) {
      for (let c = 0; c < 3; c++) {
        const g = dImages[base + c * S2 + p];
        gradRgb[p * 3 + c] = g;
        if (g !== 0) any = true;
      }
    }
    if (!any) return;
    const g = shadeBackward({ vis: st.vis, indices: mesh.indices, colors: mesh.colors, normals: st.normals, gradRgb });
    for (let i = 0; i < dColors.length; i++) dColors[i] += g.gradColors[i];
    const gWorld = toViewSpaceBackward(st.cam, faceNormalsBackward(st.viewPositions, mesh.indices, g.gradNormals));
    for (let i = 0; i < dPositions.length; i++) dPositions[i] += gWorld[i];
  });
  return { dColors, dPositions };
}
