/**
 * Midpoint subdivision (each triangle → 4, shared edge midpoints), repeated until the mesh has at
 * least `target` vertices. Shape is unchanged (no smoothing): the point is more vertices, since a
 * per-vertex style field can only be as detailed as the triangulation (Text2Mesh issue #14).
 *
 *   const dense = subdivideTo(mesh, 10_000);
 */
import type { TriMesh } from './triMesh.ts';

export function subdivideOnce(m: TriMesh): TriMesh {
  const P = m.positions, I = m.indices;
  const pos = Array.from(P);
  const mid = new Map<number, number>();
  const nv = P.length / 3;
  const midpoint = (a: number, b: number): number => {
    const key = a < b ? a * nv + b : b * nv + a;
    let id = mid.get(key);
    if (id === undefined) {
      id = pos.length / 3;
      pos.push((P[a * 3] + P[b * 3]) / 2, (P[a * 3 + 1] + P[b * 3 + 1]) / 2, (P[a * 3 + 2] + P[b * 3 + 2]) / 2);
      mid.set(key, id);
    }
    return id;
  };
  const out = new Uint32Array(I.length * 4);
  for (let t = 0; t < I.length / 3; t++) {
    const a = I[t * 3], b = I[t * 3 + 1], c = I[t * 3 + 2];
    const ab = midpoint(a, b), bc = midpoint(b, c), ca = midpoint(c, a);
    // Same winding as the parent for all four children.
    out.set([a, ab, ca, ab, b, bc, ca, bc, c, ab, bc, ca], t * 12);
  }
  return { positions: Float32Array.from(pos), indices: out };
}

/** Subdivide until vertices ≥ target (no-op when already there); `maxLevels` bounds the work. */
export function subdivideTo(m: TriMesh, target: number, maxLevels = 6): TriMesh {
  let cur = m;
  for (let l = 0; l < maxLevels && cur.positions.length / 3 < target; l++) cur = subdivideOnce(cur);
  return cur;
}
