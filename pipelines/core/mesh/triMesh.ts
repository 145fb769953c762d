/**
 * Indexed triangle meshes as the pipelines use them, plus the checks every loaded mesh goes
 * through (clear, coded errors the studio and CLI show as-is) and the unit-bounding-sphere
 * normalization of xmesh.md §2.1 (center = vertex mean, scale = max distance).
 *
 *   const m = weldVertices(positionsPerCorner);       // three's loaders give unindexed triangles
 *   validateMesh(m, { maxVertices: 200_000 });        // throws MeshError
 *   normalizeMesh(m);
 */

export interface TriMesh {
  positions: Float32Array;
  indices: Uint32Array;
  /** Unit vertex normals (area-weighted from the faces). */
  normals?: Float32Array;
}

export type MeshErrorCode = 'empty' | 'degenerate' | 'nan' | 'non-triangle' | 'over-limit' | 'unsupported-format' | 'parse';

export class MeshError extends Error {
  constructor(readonly code: MeshErrorCode, message: string) {
    super(message);
    this.name = 'MeshError';
  }
}

export interface MeshLimits {
  /** Most vertices accepted (after welding, before subdivision). */
  maxVertices: number;
  maxTriangles: number;
}

export const DEFAULT_LIMITS: MeshLimits = { maxVertices: 200_000, maxTriangles: 400_000 };

/** Merge corners with bit-identical positions into shared vertices. */
export function weldVertices(corners: Float32Array): TriMesh {
  const map = new Map<string, number>();
  const pos: number[] = [];
  const n = corners.length / 3;
  const indices = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const x = corners[i * 3], y = corners[i * 3 + 1], z = corners[i * 3 + 2];
    const key = `${x},${y},${z}`;
    let id = map.get(key);
    if (id === undefined) {
      id = pos.length / 3;
      pos.push(x, y, z);
      map.set(key, id);
    }
    indices[i] = id;
  }
  return { positions: Float32Array.from(pos), indices };
}

function triangleArea2(P: Float32Array, a: number, b: number, c: number): number {
  const ux = P[b * 3] - P[a * 3], uy = P[b * 3 + 1] - P[a * 3 + 1], uz = P[b * 3 + 2] - P[a * 3 + 2];
  const vx = P[c * 3] - P[a * 3], vy = P[c * 3 + 1] - P[a * 3 + 1], vz = P[c * 3 + 2] - P[a * 3 + 2];
  return Math.hypot(uy * vz - uz * vy, uz * vx - ux * vz, ux * vy - uy * vx);
}

/**
 * Throws a MeshError for: no vertices/triangles, NaN/Infinity coordinates, an index count that is
 * not a multiple of 3 or an index out of range, more vertices/triangles than the limits, or no
 * triangle with a non-zero area. Returns the mesh with zero-area triangles dropped.
 */
export function validateMesh(m: TriMesh, limits: MeshLimits = DEFAULT_LIMITS): TriMesh & { droppedTriangles: number } {
  const nv = m.positions.length / 3;
  if (nv === 0 || m.indices.length === 0) throw new MeshError('empty', `The mesh is empty (${nv} vertices, ${Math.floor(m.indices.length / 3)} triangles).`);
  if (m.indices.length % 3 !== 0 || !Number.isInteger(nv)) throw new MeshError('non-triangle', `The mesh is not made of triangles (${m.indices.length} indices is not a multiple of 3).`);
  for (let i = 0; i < m.positions.length; i++) {
    if (!Number.isFinite(m.positions[i])) throw new MeshError('nan', `Vertex ${Math.floor(i / 3)} has a non-finite coordinate (${m.positions[i]}).`);
  }
  if (nv > limits.maxVertices) throw new MeshError('over-limit', `The mesh has ${nv.toLocaleString('en')} vertices; the limit is ${limits.maxVertices.toLocaleString('en')}. Decimate it first.`);
  const nt = m.indices.length / 3;
  if (nt > limits.maxTriangles) throw new MeshError('over-limit', `The mesh has ${nt.toLocaleString('en')} triangles; the limit is ${limits.maxTriangles.toLocaleString('en')}. Decimate it first.`);
  const keep: number[] = [];
  let scale = 0;
  for (let i = 0; i < m.positions.length; i++) scale = Math.max(scale, Math.abs(m.positions[i]));
  const eps = (scale * 1e-7) ** 2;
  for (let t = 0; t < nt; t++) {
    const a = m.indices[t * 3], b = m.indices[t * 3 + 1], c = m.indices[t * 3 + 2];
    if (a >= nv || b >= nv || c >= nv) throw new MeshError('parse', `Triangle ${t} refers to vertex ${Math.max(a, b, c)}, but the mesh has ${nv} vertices.`);
    if (a === b || b === c || a === c || triangleArea2(m.positions, a, b, c) <= eps) continue;
    keep.push(a, b, c);
  }
  if (keep.length === 0) throw new MeshError('degenerate', `All ${nt} triangles have zero area: the mesh is degenerate.`);
  return { ...m, indices: keep.length === m.indices.length ? m.indices : Uint32Array.from(keep), droppedTriangles: nt - keep.length / 3 };
}

/** Area-weighted unit vertex normals (an unreferenced vertex gets +Y). */
export function computeNormals(m: TriMesh): Float32Array {
  const P = m.positions, I = m.indices, N = new Float32Array(P.length);
  for (let t = 0; t < I.length; t += 3) {
    const a = I[t] * 3, b = I[t + 1] * 3, c = I[t + 2] * 3;
    const ux = P[b] - P[a], uy = P[b + 1] - P[a + 1], uz = P[b + 2] - P[a + 2];
    const vx = P[c] - P[a], vy = P[c + 1] - P[a + 1], vz = P[c + 2] - P[a + 2];
    const nx = uy * vz - uz * vy, ny = uz * vx - ux * vz, nz = ux * vy - uy * vx;
    for (const k of [a, b, c]) { N[k] += nx; N[k + 1] += ny; N[k + 2] += nz; }
  }
  for (let i = 0; i < N.length; i += 3) {
    const l = Math.hypot(N[i], N[i + 1], N[i + 2]);
    if (l > 0) { N[i] /= l; N[i + 1] /= l; N[i + 2] /= l; } else N[i + 1] = 1;
  }
  return N;
}

/** In place: center = vertex mean, scale = farthest vertex → distance 1. */
export function normalizeMesh<T extends TriMesh>(m: T): T {
  const P = m.positions, n = P.length / 3;
  const c = [0, 0, 0];
  for (let i = 0; i < P.length; i++) c[i % 3] += P[i] / n;
  let s = 0;
  for (let i = 0; i < n; i++) s = Math.max(s, Math.hypot(P[i * 3] - c[0], P[i * 3 + 1] - c[1], P[i * 3 + 2] - c[2]));
  if (!(s > 0)) throw new MeshError('degenerate', 'All vertices are at the same point: the mesh is degenerate.');
  for (let i = 0; i < P.length; i++) P[i] = (P[i] - c[i % 3]) / s;
  return m;
}

/** Drop vertices no triangle uses (loaders can leave them) and renumber. */
export function compactMesh(m: TriMesh): TriMesh {
  const nv = m.positions.length / 3;
  const remap = new Int32Array(nv).fill(-1);
  let k = 0;
  for (const i of m.indices) if (remap[i] < 0) remap[i] = k++;
  if (k === nv) return m;
  const positions = new Float32Array(k * 3);
  for (let i = 0; i < nv; i++) if (remap[i] >= 0) positions.set(m.positions.subarray(i * 3, i * 3 + 3), remap[i] * 3);
  return { positions, indices: Uint32Array.from(m.indices, (i) => remap[i]) };
}
