/**
 * Deferred shading, CPU reference (xmesh.md §3.3); the adjoint is shadeBackward.ts, a WGSL twin
 * comes with the mesh stylizer's GPU path. Per pixel:
 *   color = clamp(b0 c0 + b1 c1 + b2 c2, 0, 1)            (per-corner vertex colors)
 *   shade = 0.28209479 + 0.48860251 (nx + ny + nz)      (SH L = [1,1,1,1,0,...] on the FLAT view normal)
 *   pixel = clamp(color * shade, 0, 1); background where the visibility buffer is empty.
 */
import type { VisibilityBuffer } from './rasterize.ts';

export const SH_C0 = 0.28209479;
export const SH_C1 = 0.48860251;

/** Unit flat normals of every triangle in view space, xyz triples (CCW = outward). */
export function faceNormals(viewPositions: Float32Array, indices: Uint32Array): Float32Array {
  const nTri = indices.length / 3;
  const out = new Float32Array(nTri * 3);
  const P = viewPositions;
  for (let t = 0; t < nTri; t++) {
    const a = indices[t * 3] * 3;
    const b = indices[t * 3 + 1] * 3;
    const c = indices[t * 3 + 2] * 3;
    const ux = P[b] - P[a], uy = P[b + 1] - P[a + 1], uz = P[b + 2] - P[a + 2];
    const vx = P[c] - P[a], vy = P[c + 1] - P[a + 1], vz = P[c + 2] - P[a + 2];
    const nx = uy * vz - uz * vy;
    const ny = uz * vx - ux * vz;
    const nz = ux * vy - uy * vx;
    const l = Math.hypot(nx, ny, nz) || 1;
    out[t * 3] = nx / l;
    out[t * 3 + 1] = ny / l;
    out[t * 3 + 2] = nz / l;
  }
  return out;
}

/** The SH lighting scalar for a unit view-space normal. */
export function shLight(nx: number, ny: number, nz: number): number {
  return SH_C0 + SH_C1 * (nx + ny + nz);
}

export interface ShadeInput {
  vis: VisibilityBuffer;
  indices: Uint32Array;
  /** Per-vertex RGB in [0, 1] (values outside are clamped after interpolation, as in X-Mesh). */
  colors: Float32Array;
  /** Flat view-space normals from faceNormals(). */
  normals: Float32Array;
  background?: readonly [number, number, number];
}

export interface Shaded {
  /** Float RGB, interleaved, row 0 at the top. */
  rgb: Float32Array;
  /** 1 where a triangle covers the pixel, 0 elsewhere (DIB-R's hard mask). */
  mask: Float32Array;
}

const clamp01 = (v: number): number => (v < 0 ? 0 : v > 1 ? 1 : v);

export function shade(input: ShadeInput): Shaded {
  const { vis, indices, colors: C, normals: N } = input;
  const bg = input.background ?? [1, 1, 1];
  const n = vis.width * vis.height;
  const rgb = new Float32Array(n * 3);
  const mask = new Float32Array(n);
  for (let p = 0; p < n; p++) {
    const t = vis.triangle[p];
    if (t < 0) {
      rgb[p * 3] = bg[0];
      rgb[p * 3 + 1] = bg[1];
      rgb[p * 3 + 2] = bg[2];
      continue;
    }
    mask[p] = 1;
    const b1 = vis.bary[p * 2];
    const b2 = vis.bary[p * 2 + 1];
    const b0 = 1 - b1 - b2;
    const i0 = indices[t * 3] * 3;
    const i1 = indices[t * 3 + 1] * 3;
    const i2 = indices[t * 3 + 2] * 3;
    const s = shLight(N[t * 3], N[t * 3 + 1], N[t * 3 + 2]);
    for (let c = 0; c < 3; c++) {
      const col = clamp01(b0 * C[i0 + c] + b1 * C[i1 + c] + b2 * C[i2 + c]);
      rgb[p * 3 + c] = clamp01(col * s);
    }
  }
  return { rgb, mask };
}
