/**
 * Visibility-buffer rasterizer, CPU reference (a WGSL twin will be checked against it).
 * Per pixel it stores the nearest visible triangle's id and the barycentric weights of the pixel
 * center — everything deferred shading (shade.ts) and its adjoint need, nothing else.
 *
 * Semantics follow kaolin's DIB-R as used by Text2Mesh/X-Mesh (xmesh.md §3.3):
 * - hard coverage at pixel centers, no antialiasing, z-buffer (nearest = largest view z);
 * - back faces culled: a face is drawn only if its view-space unit normal has n_z >= 0
 *   (CCW winding, seen from outside, faces the camera);
 * - barycentrics are screen-space (affine in the image, not perspective-corrected), as DIB-R
 *   interpolates; depth is interpolated the same way;
 * - row 0 is the top of the image; no near/far clipping (vertices with z >= 0 drop their triangle).
 */

export interface VisibilityBuffer {
  width: number;
  height: number;
  /** Triangle index per pixel, −1 where nothing is drawn. */
  triangle: Int32Array;
  /** (b1, b2) per pixel; b0 = 1 − b1 − b2. Zero where nothing is drawn. */
  bary: Float32Array;
  /** View-space z of the visible surface (negative in front of the camera); −Infinity where empty. */
  depth: Float32Array;
}

export interface RasterInput {
  /** View-space positions, xyz triples (see camera.ts toViewSpace). */
  viewPositions: Float32Array;
  /** Triangle corner indices, three per triangle. */
  indices: Uint32Array;
  width: number;
  height: number;
  /** Vertical field of view in radians; aspect = width / height. */
  fov: number;
  /** Cull faces whose view normal points away (default true, as DIB-R). */
  cullBackFaces?: boolean;
}

/** Project view-space points to continuous pixel coordinates (x right, y down). */
export function projectToPixels(viewPositions: Float32Array, width: number, height: number, fov: number): Float32Array {
  const n = viewPositions.length / 3;
  const out = new Float32Array(n * 2);
  const t = Math.tan(fov / 2);
  const aspect = width / height;
  for (let i = 0; i < n; i++) {
    const x = viewPositions[i * 3];
    const y = viewPositions[i * 3 + 1];
    const w = -viewPositions[i * 3 + 2];
    const ndcX = x / (t * aspect * w);
    const ndcY = y / (t * w);
    out[i * 2] = ((ndcX + 1) / 2) * width;
    out[i * 2 + 1] = ((1 - ndcY) / 2) * height;
  }
  return out;
}

export function rasterize(input: RasterInput): VisibilityBuffer {
  const { viewPositions: P, indices, width, height, fov } = input;
  const cull = input.cullBackFaces ?? true;
  const npx = width * height;
  const triangle = new Int32Array(npx).fill(-1);
  const bary = new Float32Array(npx * 2);
  const depth = new Float32Array(npx).fill(-Infinity);
  const S = projectToPixels(P, width, height, fov);
  const nTri = indices.length / 3;
  for (let t = 0; t < nTri; t++) {
    const i0 = indices[t * 3];
    const i1 = indices[t * 3 + 1];
    const i2 = indices[t * 3 + 2];
    const z0 = P[i0 * 3 + 2];
    const z1 = P[i1 * 3 + 2];
    const z2 = P[i2 * 3 + 2];
    if (z0 >= 0 || z1 >= 0 || z2 >= 0) continue;
    if (cull) {
      // n_z of cross(v1 − v0, v2 − v0) in view space; its sign is that of the unit normal's.
      const ax = P[i1 * 3] - P[i0 * 3];
      const ay = P[i1 * 3 + 1] - P[i0 * 3 + 1];
      const bx = P[i2 * 3] - P[i0 * 3];
      const by = P[i2 * 3 + 1] - P[i0 * 3 + 1];
      if (ax * by - ay * bx < 0) continue;
    }
    const x0 = S[i0 * 2], y0 = S[i0 * 2 + 1];
    const x1 = S[i1 * 2], y1 = S[i1 * 2 + 1];
    const x2 = S[i2 * 2], y2 = S[i2 * 2 + 1];
    const area = (x1 - x0) * (y2 - y0) - (x2 - x0) * (y1 - y0);
    if (area === 0 || !Number.isFinite(area)) continue;
    const minX = Math.max(0, Math.floor(Math.min(x0, x1, x2)));
    const maxX = Math.min(width - 1, Math.ceil(Math.max(x0, x1, x2)));
    const minY = Math.max(0, Math.floor(Math.min(y0, y1, y2)));
    const maxY = Math.min(height - 1, Math.ceil(Math.max(y0, y1, y2)));
    const inv = 1 / area;
    for (let py = minY; py <= maxY; py++) {
      const cy = py + 0.5;
      for (let px = minX; px <= maxX; px++) {
        const cx = px + 0.5;
        // Barycentrics from signed sub-areas; the sign of `area` cancels, so either winding works here.
        const b1 = ((cx - x0) * (y2 - y0) - (x2 - x0) * (cy - y0)) * inv;
        const b2 = ((x1 - x0) * (cy - y0) - (cx - x0) * (y1 - y0)) * inv;
        const b0 = 1 - b1 - b2;
        if (b0 < 0 || b1 < 0 || b2 < 0) continue;
        const z = b0 * z0 + b1 * z1 + b2 * z2;
        const p = py * width + px;
        // Strictly nearer wins: on exact ties the earlier triangle keeps the pixel (deterministic).
        if (z > depth[p]) {
          depth[p] = z;
          triangle[p] = t;
          bary[p * 2] = b1;
          bary[p * 2 + 1] = b2;
        }
      }
    }
  }
  return { width, height, triangle, bary, depth };
}
