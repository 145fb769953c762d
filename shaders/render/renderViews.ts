/**
 * Batched, differentiable multi-view renderer, CPU reference (xmesh.md §3, §9.3). The mesh
 * stylizer renders one mesh from several cameras per iteration, pushes the images through
 * augmentations and CLIP, and needs dL/d(vertex colors) and dL/d(world positions) back.
 * Built on the single-view reference in shaders/raster/ (camera → visibility buffer → SH shading).
 *
 * Gradient conventions (decided here, documented for the pipeline):
 * - visibility is piecewise constant: no silhouette, occlusion or barycentric-motion gradients
 *   (as the original, whose DIB-R soft mask is unused); positions learn only through the flat
 *   face normals of the SH shading term;
 * - the normal path is exact: view rotation → cross product → normalize → SH light;
 * - clamps pass gradient on their closed range [0, 1] (torch.clamp);
 * - the gray geometry-only pass is this same call with every color 0.5 (grayColors()), so its
 *   color gradient is meaningful but the pipeline drops it (xmesh.md §5.1 step 5).
 *
 *   const batch = renderViews(mesh, sampleViews(rng, 5), 64);
 *   const g = renderViewsBackward(mesh, batch, dImages);   // g.dColors, g.dPositions (world)
 */
import { orbitCamera, toViewSpace, type Camera } from '../raster/camera.ts';
import { rasterize, type VisibilityBuffer } from '../raster/rasterize.ts';
import { faceNormals, shade } from '../raster/shade.ts';
import { faceNormalsBackward, shadeBackward, toViewSpaceBackward } from '../raster/shadeBackward.ts';
import type { ViewSpec } from './sampleViews.ts';

export type { ViewSpec } from './sampleViews.ts';
export { sampleViews, evaluationViews } from './sampleViews.ts';
export { augment, augmentBackward, type AugmentSpec } from '../augment/augment.ts';
export { sampleAugment } from '../augment/sampleAugment.ts';

export interface RenderMesh {
  /** V×3 world positions. */
  positions: Float32Array;
  /** F×3 corner indices, CCW seen from outside. */
  indices: Uint32Array;
  /** V×3 RGB in [0, 1] (clamped after interpolation). */
  colors: Float32Array;
}

/** What one view's adjoint needs: its camera, view-space positions, visibility buffer and flat normals. */
export interface ViewPass {
  camera: Camera;
  viewPositions: Float32Array;
  vis: VisibilityBuffer;
  normals: Float32Array;
}

export interface RenderBatch {
  /** [views, 3, size, size], NCHW, RGB in [0, 1], row 0 at the top. */
  images: Float32Array;
  views: number;
  size: number;
  background: [number, number, number];
  /** Per-view state kept for renderViewsBackward. */
  passes: ViewPass[];
}

export function cameraOf(v: ViewSpec): Camera {
  return orbitCamera({ azimuth: v.azimuth, elevation: v.elevation, radius: v.radius, fov: v.fov });
}

/** All-0.5 vertex colors for the geometry-only pass. */
export function grayColors(vertexCount: number): Float32Array {
  return new Float32Array(vertexCount * 3).fill(0.5);
}

export function renderViews(
  mesh: RenderMesh,
  views: ViewSpec[],
  size: number,
  opts: {
    background?: [number, number, number];
    /** Reuse these visibility buffers (one per view) instead of rasterizing: the piecewise-constant
     *  visibility the adjoint assumes, for finite-difference checks and CPU/GPU shading parity. */
    visibility?: VisibilityBuffer[];
  } = {},
): RenderBatch {
  const background = opts.background ?? [1, 1, 1];
  const plane = size * size;
  const images = new Float32Array(views.length * 3 * plane);
  const passes: ViewPass[] = [];
  views.forEach((spec, v) => {
    const camera = cameraOf(spec);
    const viewPositions = toViewSpace(camera, mesh.positions);
    const vis = opts.visibility?.[v] ?? rasterize({ viewPositions, indices: mesh.indices, width: size, height: size, fov: camera.fov });
    const normals = faceNormals(viewPositions, mesh.indices);
    const { rgb } = shade({ vis, indices: mesh.indices, colors: mesh.colors, normals, background });
    // Interleaved HWC (the single-view reference) → planar CHW (what CLIP's input expects).
    const base = v * 3 * plane;
    for (let p = 0; p < plane; p++) {
      images[base + p] = rgb[p * 3];
      images[base + plane + p] = rgb[p * 3 + 1];
      images[base + 2 * plane + p] = rgb[p * 3 + 2];
    }
    passes.push({ camera, viewPositions, vis, normals });
  });
  return { images, views: views.length, size, background, passes };
}

/** Adjoint: dL/dimages (same layout as batch.images) → dL/dcolors (V×3) and dL/dpositions (V×3, world). */
export function renderViewsBackward(
  mesh: RenderMesh,
  batch: RenderBatch,
  dImages: Float32Array,
): { dColors: Float32Array; dPositions: Float32Array } {
  const plane = batch.size * batch.size;
  if (dImages.length !== batch.views * 3 * plane) {
    throw new Error(`renderViewsBackward: dImages has ${dImages.length} values, expected ${batch.views}×3×${batch.size}×${batch.size}`);
  }
  const dColors = new Float32Array(mesh.colors.length);
  const dPositions = new Float32Array(mesh.positions.length);
  const gradRgb = new Float32Array(plane * 3);
  batch.passes.forEach((pass, v) => {
    const base = v * 3 * plane;
    for (let p = 0; p < plane; p++) {
      gradRgb[p * 3] = dImages[base + p];
      gradRgb[p * 3 + 1] = dImages[base + plane + p];
      gradRgb[p * 3 + 2] = dImages[base + 2 * plane + p];
    }
    const g = shadeBackward({ vis: pass.vis, indices: mesh.indices, colors: mesh.colors, normals: pass.normals, gradRgb });
    for (let i = 0; i < dColors.length; i++) dColors[i] += g.gradColors[i];
    const gView = faceNormalsBackward(pass.viewPositions, mesh.indices, g.gradNormals);
    const gWorld = toViewSpaceBackward(pass.camera, gView);
    for (let i = 0; i < dPositions.length; i++) dPositions[i] += gWorld[i];
  });
  return { dColors, dPositions };
}
