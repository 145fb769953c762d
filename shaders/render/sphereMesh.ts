/**
 * A small closed test mesh for renderer tests, parity checks and benchmarks: a UV sphere with
 * optional radial bumps (so flat normals vary strongly) and smooth pseudo-random vertex colors.
 * Winding is CCW seen from outside (what back-face culling expects).
 *
 *   const mesh = sphereMesh(12, 16);            // 12 rings × 16 segments, 178 vertices
 *   const big = sphereMesh(70, 142, 0.1);       // ≈ 10k vertices
 */
import type { RenderMesh } from './renderViews.ts';

export function sphereMesh(rings: number, segments: number, bump = 0.08, radius = 0.9): RenderMesh {
  const pos: number[] = [];
  const col: number[] = [];
  const push = (theta: number, phi: number) => {
    const r = radius * (1 + bump * Math.sin(3 * theta) * Math.cos(5 * phi));
    const x = r * Math.sin(theta) * Math.cos(phi);
    const y = r * Math.cos(theta);
    const z = r * Math.sin(theta) * Math.sin(phi);
    pos.push(x, y, z);
    col.push(0.5 + 0.4 * Math.sin(2 * x + 1), 0.5 + 0.4 * Math.cos(3 * y), 0.5 + 0.4 * Math.sin(4 * z + x));
  };
  push(0, 0); // north pole, index 0
  for (let i = 1; i < rings; i++) for (let j = 0; j < segments; j++) push((Math.PI * i) / rings, (2 * Math.PI * j) / segments);
  push(Math.PI, 0); // south pole
  const south = pos.length / 3 - 1;
  const at = (i: number, j: number) => 1 + (i - 1) * segments + (j % segments);
  const idx: number[] = [];
  // With y up and phi running from +X towards +Z, (ring i, j) → (i, j+1) turns clockwise seen from
  // outside; list corners so each face is CCW from outside.
  for (let j = 0; j < segments; j++) idx.push(0, at(1, j + 1), at(1, j));
  for (let i = 1; i < rings - 1; i++) {
    for (let j = 0; j < segments; j++) {
      idx.push(at(i, j), at(i, j + 1), at(i + 1, j));
      idx.push(at(i, j + 1), at(i + 1, j + 1), at(i + 1, j));
    }
  }
  for (let j = 0; j < segments; j++) idx.push(south, at(rings - 1, j), at(rings - 1, j + 1));
  return { positions: new Float32Array(pos), indices: new Uint32Array(idx), colors: new Float32Array(col) };
}
