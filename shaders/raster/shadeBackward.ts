/**
 * Adjoint of deferred shading (shade.ts), CPU reference for the mesh stylizer's gradient path
 * (xmesh.md §9.3): given dL/dpixel, accumulate dL/d(vertex color) and dL/d(flat face normal), then
 * carry face-normal gradients to view-space and world-space vertex positions.
 *
 * Conventions, matching the forward and PyTorch/kaolin:
 * - visibility (which triangle, which barycentrics) is piecewise constant: no silhouette or
 *   barycentric-motion gradients (kaolin's optional screen-space term is left out: it is zero for
 *   the untextured geometry pass, and X-Mesh's geometry learns through shading);
 * - clamp passes the gradient where min <= x <= max (inclusive, as torch.clamp does).
 *
 *   const g = shadeBackward({ vis, indices, colors, normals, gradRgb });
 *   const gView = faceNormalsBackward(viewPositions, indices, g.gradNormals);
 *   const gWorld = toViewSpaceBackward(cam, gView);
 */
import type { Camera } from './camera.ts';
import type { VisibilityBuffer } from './rasterize.ts';
import { SH_C1, shLight } from './shade.ts';

export interface ShadeBackwardInput {
  vis: VisibilityBuffer;
  indices: Uint32Array;
  colors: Float32Array;
  normals: Float32Array;
  /** dL/d(rgb), interleaved like shade()'s output. Background pixels get no gradient. */
  gradRgb: Float32Array;
}

export interface ShadeGradients {
  /** dL/d(vertex color), xyz triples like `colors`. */
  gradColors: Float32Array;
  /** dL/d(unit flat face normal), xyz triples like `normals`. */
  gradNormals: Float32Array;
}

const inRange = (v: number): boolean => v >= 0 && v <= 1;

export function shadeBackward(input: ShadeBackwardInput): ShadeGradients {
  const { vis, indices, colors: C, normals: N, gradRgb: G } = input;
  const gradColors = new Float32Array(C.length);
  const gradNormals = new Float32Array(N.length);
  const n = vis.width * vis.height;
  for (let p = 0; p < n; p++) {
    const t = vis.triangle[p];
    if (t < 0) continue;
    const b1 = vis.bary[p * 2];
    const b2 = vis.bary[p * 2 + 1];
    const b0 = 1 - b1 - b2;
    const i0 = indices[t * 3] * 3;
    const i1 = indices[t * 3 + 1] * 3;
    const i2 = indices[t * 3 + 2] * 3;
    const s = shLight(N[t * 3], N[t * 3 + 1], N[t * 3 + 2]);
    let gs = 0;
    for (let c = 0; c < 3; c++) {
      const raw = b0 * C[i0 + c] + b1 * C[i1 + c] + b2 * C[i2 + c];
      const col = raw < 0 ? 0 : raw > 1 ? 1 : raw;
      const g = G[p * 3 + c];
      if (g === 0 || !inRange(col * s)) continue;
      gs += g * col;
      if (!inRange(raw)) continue;
      const gc = g * s;
      gradColors[i0 + c] += gc * b0;
      gradColors[i1 + c] += gc * b1;
      gradColors[i2 + c] += gc * b2;
    }
    // s = C0 + C1 (nx + ny + nz): the same gradient reaches each normal component.
    const gn = gs * SH_C1;
    gradNormals[t * 3] += gn;
    gradNormals[t * 3 + 1] += gn;
    gradNormals[t * 3 + 2] += gn;
  }
  return { gradColors, gradNormals };
}

/**
 * dL/d(view positions) from dL/d(unit face normals), through n = m / |m|, m = (B − A) × (C − A).
 * Degenerate faces (|m| = 0) pass no gradient.
 */
export function faceNormalsBackward(viewPositions: Float32Array, indices: Uint32Array, gradNormals: Float32Array): Float32Array {
  const P = viewPositions;
  const out = new Float32Array(P.length);
  const nTri = indices.length / 3;
  for (let t = 0; t < nTri; t++) {
    const gx = gradNormals[t * 3], gy = gradNormals[t * 3 + 1], gz = gradNormals[t * 3 + 2];
    if (gx === 0 && gy === 0 && gz === 0) continue;
    const a = indices[t * 3] * 3;
    const b = indices[t * 3 + 1] * 3;
    const c = indices[t * 3 + 2] * 3;
    const ux = P[b] - P[a], uy = P[b + 1] - P[a + 1], uz = P[b + 2] - P[a + 2];
    const vx = P[c] - P[a], vy = P[c + 1] - P[a + 1], vz = P[c + 2] - P[a + 2];
    const mx = uy * vz - uz * vy, my = uz * vx - ux * vz, mz = ux * vy - uy * vx;
    const len = Math.hypot(mx, my, mz);
    if (len === 0) continue;
    const nx = mx / len, ny = my / len, nz = mz / len;
    // Through normalize: dm = (g − n (n·g)) / |m|.
    const ng = nx * gx + ny * gy + nz * gz;
    const dmx = (gx - nx * ng) / len, dmy = (gy - ny * ng) / len, dmz = (gz - nz * ng) / len;
    // Through m = u × v: du = v × dm, dv = dm × u.
    const dux = vy * dmz - vz * dmy, duy = vz * dmx - vx * dmz, duz = vx * dmy - vy * dmx;
    const dvx = dmy * uz - dmz * uy, dvy = dmz * ux - dmx * uz, dvz = dmx * uy - dmy * ux;
    out[a] -= dux + dvx;
    out[a + 1] -= duy + dvy;
    out[a + 2] -= duz + dvz;
    out[b] += dux;
    out[b + 1] += duy;
    out[b + 2] += duz;
    out[c] += dvx;
    out[c + 1] += dvy;
    out[c + 2] += dvz;
  }
  return out;
}

/** dL/d(world positions) from dL/d(view positions): view = R (world − eye), so grad_world = Rᵀ grad_view. */
export function toViewSpaceBackward(cam: Camera, gradView: Float32Array): Float32Array {
  const R = cam.rotation;
  const out = new Float32Array(gradView.length);
  for (let i = 0; i < gradView.length; i += 3) {
    const x = gradView[i], y = gradView[i + 1], z = gradView[i + 2];
    out[i] = R[0] * x + R[3] * y + R[6] * z;
    out[i + 1] = R[1] * x + R[4] * y + R[7] * z;
    out[i + 2] = R[2] * x + R[5] * y + R[8] * z;
  }
  return out;
}
