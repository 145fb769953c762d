import { describe, expect, it } from 'vitest';
import { orbitCamera, toViewSpace } from './camera.ts';
import { projectToPixels, rasterize } from './rasterize.ts';
import { renderMesh } from './renderMesh.ts';
import { faceNormals, shade, shLight } from './shade.ts';

/** With fov = 90° at z = −1, view x/y in [−1, 1] map linearly onto the image. */
const FOV = Math.PI / 2;
const px = (x: number, W: number) => (x / W) * 2 - 1; // pixel coordinate → view coordinate at z = −1
const py = (y: number, H: number) => 1 - (y / H) * 2;

function tri(points: Array<[number, number]>, z: number, W: number, H: number): Float32Array {
  return new Float32Array(points.flatMap(([x, y]) => [px(x, W) * -z, py(y, H) * -z, z]));
}

describe('rasterize (CPU reference)', () => {
  it('a known triangle covers exactly the pixels whose centers are inside', () => {
    const W = 8;
    const H = 8;
    // Right triangle on the top-left corner, legs 8.2 px (no pixel center lies on an edge). Listed
    // counter-clockwise in view space (y up), so its normal faces the camera.
    const P = tri([[0, 0], [0, 8.2], [8.2, 0]], -1, W, H);
    const vis = rasterize({ viewPositions: P, indices: new Uint32Array([0, 1, 2]), width: W, height: H, fov: FOV });
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) {
        const inside = x + 0.5 + (y + 0.5) <= 8.2;
        expect(vis.triangle[y * W + x]).toBe(inside ? 0 : -1);
      }
    }
    expect(Array.from(vis.triangle).filter((t) => t === 0).length).toBe(36);
  });

  it('barycentrics sum to 1, are non-negative and reproduce the pixel center', () => {
    const W = 16;
    const H = 12;
    const pts: Array<[number, number]> = [[1.3, 2.1], [3.2, 11.4], [14.7, 5.5]];
    const P = tri(pts, -2, W, H);
    const vis = rasterize({ viewPositions: P, indices: new Uint32Array([0, 1, 2]), width: W, height: H, fov: FOV });
    const S = projectToPixels(P, W, H, FOV);
    let covered = 0;
    for (let p = 0; p < W * H; p++) {
      if (vis.triangle[p] < 0) continue;
      covered++;
      const b1 = vis.bary[p * 2];
      const b2 = vis.bary[p * 2 + 1];
      const b0 = 1 - b1 - b2;
      expect(b0).toBeGreaterThanOrEqual(-1e-6);
      expect(b1).toBeGreaterThanOrEqual(-1e-6);
      expect(b2).toBeGreaterThanOrEqual(-1e-6);
      expect(b0 + b1 + b2).toBeCloseTo(1, 6);
      expect(b0 * S[0] + b1 * S[2] + b2 * S[4]).toBeCloseTo((p % W) + 0.5, 4);
      expect(b0 * S[1] + b1 * S[3] + b2 * S[5]).toBeCloseTo(Math.floor(p / W) + 0.5, 4);
      expect(vis.depth[p]).toBeCloseTo(-2, 5);
    }
    expect(covered).toBeGreaterThan(30);
  });

  it('the depth test keeps the nearest triangle whatever the draw order', () => {
    const W = 8;
    const H = 8;
    const full: Array<[number, number]> = [[-8, -8], [-8, 24], [24, -8]];
    const near = tri(full, -1, W, H);
    const far = tri(full, -3, W, H);
    const P = new Float32Array([...far, ...near]);
    for (const order of [[0, 1, 2, 3, 4, 5], [3, 4, 5, 0, 1, 2]]) {
      const vis = rasterize({ viewPositions: P, indices: new Uint32Array(order), width: W, height: H, fov: FOV });
      const nearId = order[0] === 3 ? 0 : 1;
      for (let p = 0; p < W * H; p++) {
        expect(vis.triangle[p]).toBe(nearId);
        expect(vis.depth[p]).toBeCloseTo(-1, 5);
      }
    }
  });

  it('back faces are culled, unless culling is off', () => {
    const W = 8;
    const P = tri([[0, 0], [8, 0], [0, 8]], -1, W, W); // opposite winding: faces away
    const idx = new Uint32Array([0, 1, 2]);
    expect(rasterize({ viewPositions: P, indices: idx, width: W, height: W, fov: FOV }).triangle.every((t) => t === -1)).toBe(true);
    expect(rasterize({ viewPositions: P, indices: idx, width: W, height: W, fov: FOV, cullBackFaces: false }).triangle.some((t) => t === 0)).toBe(true);
  });
});

describe('rasterize vs a brute-force reference', () => {
  it('agrees on random overlapping triangles (triangle id and barycentrics per pixel)', () => {
    let seed = 12345;
    const rand = (): number => {
      seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
      return seed / 4294967296;
    };
    const W = 24;
    const H = 20;
    const nTri = 12;
    const P = new Float32Array(nTri * 9);
    for (let i = 0; i < nTri * 3; i++) {
      const z = -1.5 - 2 * rand();
      P[i * 3] = (rand() * 2.4 - 1.2) * -z * Math.tan(FOV / 2) * (W / H);
      P[i * 3 + 1] = (rand() * 2.4 - 1.2) * -z * Math.tan(FOV / 2);
      P[i * 3 + 2] = z;
    }
    const idx = Uint32Array.from({ length: nTri * 3 }, (_v, i) => i);
    const vis = rasterize({ viewPositions: P, indices: idx, width: W, height: H, fov: FOV, cullBackFaces: false });
    const S = projectToPixels(P, W, H, FOV);
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) {
        // Reference: solve [S1−S0, S2−S0] [b1 b2]ᵀ = p − S0 by Cramer's rule; nearest = largest z.
        let best = -1;
        let bestZ = -Infinity;
        let bb: [number, number] = [0, 0];
        for (let t = 0; t < nTri; t++) {
          const [x0, y0, x1, y1, x2, y2] = [S[t * 6], S[t * 6 + 1], S[t * 6 + 2], S[t * 6 + 3], S[t * 6 + 4], S[t * 6 + 5]];
          const det = (x1 - x0) * (y2 - y0) - (x2 - x0) * (y1 - y0);
          const rx = x + 0.5 - x0;
          const ry = y + 0.5 - y0;
          const b1 = (rx * (y2 - y0) - (x2 - x0) * ry) / det;
          const b2 = ((x1 - x0) * ry - rx * (y1 - y0)) / det;
          if (b1 < 0 || b2 < 0 || b1 + b2 > 1) continue;
          const z = (1 - b1 - b2) * P[t * 9 + 2] + b1 * P[t * 9 + 5] + b2 * P[t * 9 + 8];
          if (z > bestZ) {
            bestZ = z;
            best = t;
            bb = [b1, b2];
          }
        }
        const p = y * W + x;
        expect(vis.triangle[p]).toBe(best);
        if (best >= 0) {
          expect(vis.bary[p * 2]).toBeCloseTo(bb[0], 4);
          expect(vis.bary[p * 2 + 1]).toBeCloseTo(bb[1], 4);
        }
      }
    }
    expect(new Set(vis.triangle).size).toBeGreaterThan(5);
  });

  it('projects with the spec formula ndc = x / (tan(fov/2) · −z)', () => {
    const S = projectToPixels(new Float32Array([0.5, -0.25, -2]), 100, 100, Math.PI / 3);
    const t = Math.tan(Math.PI / 6);
    expect(S[0]).toBeCloseTo(((0.5 / (t * 2) + 1) / 2) * 100, 4);
    expect(S[1]).toBeCloseTo(((1 - -0.25 / (t * 2)) / 2) * 100, 4);
  });
});

describe('shade (SH lighting, xmesh.md §3.3)', () => {
  it('matches the published constants', () => {
    expect(shLight(0, 0, 1)).toBeCloseTo(0.771, 3);
    const s = 1 / Math.sqrt(3);
    expect(shLight(s, s, s)).toBeCloseTo(1.128, 3);
  });

  it('interpolates vertex colors, multiplies by the light, clamps, and fills the background', () => {
    const W = 8;
    const P = tri([[0, 0], [0, 8], [8, 0]], -1, W, W);
    const idx = new Uint32Array([0, 1, 2]);
    const vis = rasterize({ viewPositions: P, indices: idx, width: W, height: W, fov: FOV });
    const colors = new Float32Array([1, 0, 0, 0, 1, 0, 0, 0, 1]);
    const normals = faceNormals(P, idx);
    expect(normals[2]).toBeCloseTo(1, 6);
    const { rgb, mask } = shade({ vis, indices: idx, colors, normals, background: [0.2, 0.4, 0.6] });
    const p = 1 * W + 1;
    const b1 = vis.bary[p * 2];
    const b2 = vis.bary[p * 2 + 1];
    expect(rgb[p * 3]).toBeCloseTo((1 - b1 - b2) * 0.771, 3);
    expect(rgb[p * 3 + 1]).toBeCloseTo(b1 * 0.771, 3);
    expect(rgb[p * 3 + 2]).toBeCloseTo(b2 * 0.771, 3);
    expect(mask[p]).toBe(1);
    const q = 7 * W + 7;
    expect(mask[q]).toBe(0);
    expect(Array.from(rgb.slice(q * 3, q * 3 + 3)).map((v) => +v.toFixed(4))).toEqual([0.2, 0.4, 0.6]);
  });
});

describe('camera and full render', () => {
  it('orbit camera follows xmesh.md §3.1 (a = e = 0 on +X, looking at the origin)', () => {
    const cam = orbitCamera({ elevation: 0, azimuth: 0 });
    expect(cam.position[0]).toBeCloseTo(2);
    const v = toViewSpace(cam, new Float32Array([0, 0, 0, 0, 1, 0]));
    expect(Array.from(v).map((x) => +x.toFixed(6))).toEqual([0, 0, -2, 0, 1, -2]);
  });

  it('renders are deterministic', () => {
    // A small octahedron with vertex colors.
    const positions = new Float32Array([1, 0, 0, -1, 0, 0, 0, 1, 0, 0, -1, 0, 0, 0, 1, 0, 0, -1]);
    const indices = new Uint32Array([0, 2, 4, 2, 1, 4, 1, 3, 4, 3, 0, 4, 2, 0, 5, 1, 2, 5, 3, 1, 5, 0, 3, 5]);
    const colors = new Float32Array(18).map((_v, i) => (i % 4) / 3);
    const cam = orbitCamera({ elevation: 0.4, azimuth: 0.7 });
    const a = renderMesh({ positions, indices, colors }, cam, 24);
    const b = renderMesh({ positions, indices, colors }, cam, 24);
    expect(Buffer.from(a.rgb.buffer).equals(Buffer.from(b.rgb.buffer))).toBe(true);
    const covered = a.mask.reduce((s, v) => s + v, 0);
    expect(covered).toBeGreaterThan(50);
    expect(covered).toBeLessThan(24 * 24);
  });
});
