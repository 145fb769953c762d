/**
 * One call from mesh + vertex colors + camera to an image: camera → visibility buffer → shading.
 * The pipeline the mesh stylizer and Microworld's material renders share (CPU reference path).
 *
 *   const { rgb, mask } = renderMesh({ positions, indices, colors }, orbitCamera({ elevation: 0.3, azimuth: 0.5 }), 64);
 */
import { toViewSpace, type Camera } from './camera.ts';
import { rasterize, type VisibilityBuffer } from './rasterize.ts';
import { faceNormals, shade, type Shaded } from './shade.ts';

export interface ColoredMesh {
  positions: Float32Array;
  indices: Uint32Array;
  /** Per-vertex RGB in [0, 1]. */
  colors: Float32Array;
}

export interface MeshRender extends Shaded {
  vis: VisibilityBuffer;
}

export function renderMesh(mesh: ColoredMesh, cam: Camera, size: number, background: readonly [number, number, number] = [1, 1, 1]): MeshRender {
  const view = toViewSpace(cam, mesh.positions);
  const vis = rasterize({ viewPositions: view, indices: mesh.indices, width: size, height: size, fov: cam.fov });
  const normals = faceNormals(view, mesh.indices);
  return { ...shade({ vis, indices: mesh.indices, colors: mesh.colors, normals, background }), vis };
}
