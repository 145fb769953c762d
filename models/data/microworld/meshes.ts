/**
 * Procedural meshes as indexed triangle meshes, CCW winding seen from outside (so back-face
 * culling keeps the outer surface), normalized to the unit bounding sphere the way the mesh
 * stylizer normalizes inputs (xmesh.md §2.1: center = vertex mean, scale = max distance).
 * Surfaces are densely tessellated because materials are painted as per-vertex colors.
 *
 *   const mesh = makeMesh('vase');   // cached; treat as read-only
 */
import type { MeshName } from './attributes.ts';

export interface Mesh {
  positions: Float32Array;
  indices: Uint32Array;
}

class Builder {
  readonly p: number[] = [];
  readonly i: number[] = [];

  vertex(x: number, y: number, z: number): number {
    this.p.push(x, y, z);
    return this.p.length / 3 - 1;
  }

  tri(a: number, b: number, c: number): void {
    this.i.push(a, b, c);
  }

  /** Quad a-b-c-d in CCW order. */
  quad(a: number, b: number, c: number, d: number): void {
    this.tri(a, b, c);
    this.tri(a, c, d);
  }

  /**
   * Surface of revolution about +Y from a profile [(r, y)] listed bottom to top; the outside is
   * to the right of the profile direction. Ends with r = 0 close to a point (poles); ends with
   * r > 0 get a flat cap when `caps`.
   */
  lathe(profile: ReadonlyArray<readonly [number, number]>, segments: number, caps = true, xform = identity): void {
    const rows: number[][] = [];
    for (const [r, y] of profile) {
      const row: number[] = [];
      const n = r === 0 ? 1 : segments;
      for (let s = 0; s < n; s++) {
        const a = (2 * Math.PI * s) / segments;
        row.push(this.vertex(...xform(r * Math.cos(a), y, r * Math.sin(a))));
      }
      rows.push(row);
    }
    for (let k = 0; k + 1 < rows.length; k++) {
      const lo = rows[k];
      const hi = rows[k + 1];
      for (let s = 0; s < segments; s++) {
        const s1 = (s + 1) % segments;
        if (lo.length === 1) this.tri(lo[0], hi[s], hi[s1]);
        else if (hi.length === 1) this.tri(lo[s], hi[0], lo[s1]);
        else this.quad(lo[s], hi[s], hi[s1], lo[s1]);
      }
    }
    if (!caps) return;
    const first = profile[0];
    const last = profile[profile.length - 1];
    if (first[0] > 0) this.fan(rows[0], this.vertex(...xform(0, first[1], 0)), false);
    if (last[0] > 0) this.fan(rows[rows.length - 1], this.vertex(...xform(0, last[1], 0)), true);
  }

  /** Triangle fan closing a ring; `up` = the cap faces +Y in the lathe frame. */
  fan(ring: number[], center: number, up: boolean): void {
    for (let s = 0; s < ring.length; s++) {
      const s1 = (s + 1) % ring.length;
      if (up) this.tri(center, ring[s1], ring[s]);
      else this.tri(center, ring[s], ring[s1]);
    }
  }

  /** Subdivided planar quad: origin o, edge vectors u, v (u × v = outward normal). */
  grid(o: readonly number[], u: readonly number[], v: readonly number[], n: number): void {
    const base: number[] = [];
    for (let j = 0; j <= n; j++) {
      for (let k = 0; k <= n; k++) {
        base.push(this.vertex(o[0] + (u[0] * k + v[0] * j) / n, o[1] + (u[1] * k + v[1] * j) / n, o[2] + (u[2] * k + v[2] * j) / n));
      }
    }
    for (let j = 0; j < n; j++) {
      for (let k = 0; k < n; k++) {
        const a = base[j * (n + 1) + k];
        this.quad(a, a + 1, a + n + 2, a + n + 1);
      }
    }
  }

  build(): Mesh {
    return normalizeToUnitSphere({ positions: new Float32Array(this.p), indices: new Uint32Array(this.i) });
  }
}

type Xform = (x: number, y: number, z: number) => [number, number, number];
const identity: Xform = (x, y, z) => [x, y, z];

/** Center at the vertex mean, scale so the farthest vertex is at distance 1 (in place). */
export function normalizeToUnitSphere(mesh: Mesh): Mesh {
  const P = mesh.positions;
  const n = P.length / 3;
  let cx = 0, cy = 0, cz = 0;
  for (let i = 0; i < n; i++) {
    cx += P[i * 3];
    cy += P[i * 3 + 1];
    cz += P[i * 3 + 2];
  }
  cx /= n;
  cy /= n;
  cz /= n;
  let s = 0;
  for (let i = 0; i < n; i++) s = Math.max(s, Math.hypot(P[i * 3] - cx, P[i * 3 + 1] - cy, P[i * 3 + 2] - cz));
  s = s || 1;
  for (let i = 0; i < n; i++) {
    P[i * 3] = (P[i * 3] - cx) / s;
    P[i * 3 + 1] = (P[i * 3 + 1] - cy) / s;
    P[i * 3 + 2] = (P[i * 3 + 2] - cz) / s;
  }
  return mesh;
}

function arc(n: number, f: (t: number) => readonly [number, number]): Array<readonly [number, number]> {
  const out: Array<readonly [number, number]> = [];
  for (let k = 0; k <= n; k++) out.push(f(k / n));
  return out;
}

/** Profile segment from (r0, y0) to (r1, y1), excluding its last point. */
function line(r0: number, y0: number, r1: number, y1: number, n: number): Array<readonly [number, number]> {
  return arc(n, (t) => [r0 + (r1 - r0) * t, y0 + (y1 - y0) * t]).slice(0, -1);
}

const SEG = 48;

const MAKERS: Record<MeshName, (b: Builder) => void> = {
  sphere: (b) => b.lathe(arc(32, (t) => [Math.sin(Math.PI * t), -Math.cos(Math.PI * t)]), SEG),
  cube: (b) => {
    const n = 16;
    b.grid([-1, -1, 1], [2, 0, 0], [0, 2, 0], n); // +z
    b.grid([1, -1, -1], [-2, 0, 0], [0, 2, 0], n); // −z
    b.grid([1, -1, 1], [0, 0, -2], [0, 2, 0], n); // +x
    b.grid([-1, -1, -1], [0, 0, 2], [0, 2, 0], n); // −x
    b.grid([-1, 1, 1], [2, 0, 0], [0, 0, -2], n); // +y
    b.grid([-1, -1, -1], [2, 0, 0], [0, 0, 2], n); // −y
  },
  torus: (b) => {
    // Minor circle profile traversed so the outside stays on the right (CCW seen from outside).
    const R = 1;
    const r = 0.4;
    b.lathe(arc(32, (t) => [R + r * Math.cos(Math.PI - 2 * Math.PI * t), r * Math.sin(Math.PI - 2 * Math.PI * t)]).reverse(), SEG, false);
  },
  cylinder: (b) => b.lathe([...line(0.7, -1, 0.7, 1, 16), [0.7, 1]], SEG),
  cone: (b) => b.lathe([...line(0.9, -0.8, 0, 1, 20), [0, 1]], SEG),
  vase: (b) =>
    b.lathe(arc(28, (t) => {
      const y = -1 + 2 * t;
      // Foot, belly, neck, flared lip.
      const r = 0.42 + 0.38 * Math.sin(Math.PI * (t * 1.15 + 0.05)) ** 2 * (1 - t) + 0.22 * Math.max(0, t - 0.75) * 4 * t;
      return [Math.max(0.18, r), y];
    }), SEG),
  capsule: (b) =>
    b.lathe([
      ...arc(12, (t) => [0.5 * Math.sin((Math.PI / 2) * t), -0.6 - 0.5 * Math.cos((Math.PI / 2) * t)]).slice(0, -1),
      ...line(0.5, -0.6, 0.5, 0.6, 10),
      ...arc(12, (t) => [0.5 * Math.cos((Math.PI / 2) * t), 0.6 + 0.5 * Math.sin((Math.PI / 2) * t)]),
    ], SEG),
  teapot: (b) => {
    // Body, lid knob, spout and handle as separate closed parts (rendering needs no welding).
    b.lathe(arc(24, (t) => [0.02 + 0.75 * Math.sin(Math.PI * (0.08 + 0.84 * t)), -0.55 + 1.0 * t]), SEG);
    b.lathe(arc(10, (t) => [0.18 * Math.sin(Math.PI * t) + 0.001, 0.42 + 0.2 * t]), 24);
    const spout: Xform = (x, y, z) => {
      // Tapered tube along +Y bent toward +X, starting inside the body.
      const a = 0.9;
      const yy = y + 0.5;
      return [0.55 + yy * Math.sin(a) + x * Math.cos(a), -0.15 + yy * Math.cos(a) - x * Math.sin(a), z];
    };
    b.lathe(arc(8, (t) => [0.14 - 0.07 * t, -0.5 + 0.65 * t]), 16, true, spout);
    const handle: Xform = (x, y, z) => [x, y, z];
    const ring: number[][] = [];
    const nA = 20;
    const nB = 12;
    for (let i = 0; i <= nA; i++) {
      const a = -Math.PI / 2 + (Math.PI * i) / nA;
      const cx = -0.62 - 0.35 * Math.cos(a);
      const cy = 0.02 + 0.3 * Math.sin(a);
      const row: number[] = [];
      for (let j = 0; j < nB; j++) {
        const c = (2 * Math.PI * j) / nB;
        const rr = 0.07;
        row.push(b.vertex(...handle(cx - rr * Math.cos(c) * Math.cos(a), cy + rr * Math.cos(c) * Math.sin(a), rr * Math.sin(c))));
      }
      ring.push(row);
    }
    for (let i = 0; i < nA; i++) {
      for (let j = 0; j < nB; j++) {
        const j1 = (j + 1) % nB;
        b.quad(ring[i][j], ring[i][j1], ring[i + 1][j1], ring[i + 1][j]);
      }
    }
  },
  pyramid: (b) => {
    const n = 16;
    const apex = [0, 1, 0];
    const base = [[-1, -0.6, 1], [1, -0.6, 1], [1, -0.6, -1], [-1, -0.6, -1]];
    b.grid([-1, -0.6, -1], [2, 0, 0], [0, 0, 2], n);
    for (let s = 0; s < 4; s++) {
      // Each side: rows of points between the base edge and the apex, triangulated CCW from outside.
      const p0 = base[s];
      const p1 = base[(s + 1) % 4];
      const rows: number[][] = [];
      for (let j = 0; j <= n; j++) {
        const t = j / n;
        const row: number[] = [];
        for (let k = 0; k <= n - j; k++) {
          const u = n - j === 0 ? 0 : k / (n - j);
          const ex = p0[0] + (p1[0] - p0[0]) * u;
          const ey = p0[1] + (p1[1] - p0[1]) * u;
          const ez = p0[2] + (p1[2] - p0[2]) * u;
          row.push(b.vertex(ex + (apex[0] - ex) * t, ey + (apex[1] - ey) * t, ez + (apex[2] - ez) * t));
        }
        rows.push(row);
      }
      for (let j = 0; j < n; j++) {
        for (let k = 0; k < n - j; k++) {
          b.tri(rows[j][k], rows[j][k + 1], rows[j + 1][k]);
          if (k + 1 < n - j) b.tri(rows[j][k + 1], rows[j + 1][k + 1], rows[j + 1][k]);
        }
      }
    }
  },
  bowl: (b) => {
    // Outer wall up to the rim, then the inner wall back down: one closed shell with thickness.
    const outer = arc(16, (t) => [0.05 + 0.95 * Math.sin((Math.PI / 2) * t), -0.6 + 0.75 * (1 - Math.cos((Math.PI / 2) * t))]);
    const inner = arc(16, (t) => [0.05 + 0.85 * Math.sin((Math.PI / 2) * t), -0.5 + 0.65 * (1 - Math.cos((Math.PI / 2) * t))]).reverse();
    b.lathe([[0, -0.6], ...outer, ...inner, [0, -0.5]], SEG, false);
  },
};

const cache = new Map<MeshName, Mesh>();

/** The named mesh (built once, then shared: do not mutate). */
export function makeMesh(name: MeshName): Mesh {
  let m = cache.get(name);
  if (!m) {
    const b = new Builder();
    MAKERS[name](b);
    m = b.build();
    cache.set(name, m);
  }
  return m;
}

/** Signed volume (positive when faces wind CCW seen from outside) — used to check orientation. */
export function signedVolume(mesh: Mesh): number {
  const P = mesh.positions;
  const I = mesh.indices;
  let v = 0;
  for (let t = 0; t < I.length; t += 3) {
    const a = I[t] * 3, b = I[t + 1] * 3, c = I[t + 2] * 3;
    v += P[a] * (P[b + 1] * P[c + 2] - P[b + 2] * P[c + 1]) - P[a + 1] * (P[b] * P[c + 2] - P[b + 2] * P[c]) + P[a + 2] * (P[b] * P[c + 1] - P[b + 1] * P[c]);
  }
  return v / 6;
}
