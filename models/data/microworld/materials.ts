/**
 * Mesh-agnostic procedural materials: color as a function of 3D position (and normal) in the
 * mesh's unit-sphere frame, so any mesh — ours or a user's — can be painted, and every view of it
 * agrees. Painted as per-vertex colors, which is what the mesh stylizer outputs too.
 *
 *   const colors = paintMaterial(mesh, { material: 'brick', color: 'red', seed: 3 });
 */
import { COLORS, COLORED_MATERIALS, type ColorName, type MaterialName } from './attributes.ts';
import { normalizeToUnitSphere, type Mesh } from './meshes.ts';
import { fbm3, hash3, noise3 } from './noise.ts';
import { secondaryColor } from './patterns.ts';

export interface MaterialSpec {
  material: MaterialName;
  /** Required by colored materials (see COLORED_MATERIALS), ignored by the others. */
  color?: ColorName;
  /** Varies noise, stripe direction and scale within the material's look. */
  seed: number;
}

type Vec3 = [number, number, number];
type Shader = (p: Vec3, n: Vec3, base: Vec3, alt: Vec3, seed: number) => Vec3;

const mix3 = (a: Vec3, b: Vec3, t: number): Vec3 => [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t];
const smoothstep = (e0: number, e1: number, x: number): number => {
  const t = Math.min(1, Math.max(0, (x - e0) / (e1 - e0)));
  return t * t * (3 - 2 * t);
};

/** Unit direction picked by the seed (stripe axes, vein directions). */
function seededAxis(seed: number): Vec3 {
  const u = hash3(seed, 1, 2, 77);
  const v = hash3(seed, 3, 4, 77);
  const y = 0.2 + 0.8 * u; // lean toward horizontal bands, which read best on upright meshes
  const a = 2 * Math.PI * v;
  const r = Math.sqrt(1 - y * y);
  return [r * Math.cos(a), y, r * Math.sin(a)];
}

const dot = (a: Vec3, b: Vec3): number => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];

/** Brick in the plane most facing the normal (triplanar), so walls run around any shape. */
function brickPattern(p: Vec3, n: Vec3): { mortar: boolean; id: number } {
  const ax = Math.abs(n[0]), ay = Math.abs(n[1]), az = Math.abs(n[2]);
  const [u, v] = ay >= ax && ay >= az ? [p[0], p[2]] : ax >= az ? [p[2], p[1]] : [p[0], p[1]];
  const rows = 7;
  const row = Math.floor((v + 1) * rows * 0.5);
  const fy = (v + 1) * rows * 0.5 - row;
  const x = (u + 1) * 3 + (row % 2) * 0.5;
  const col = Math.floor(x);
  const fx = x - col;
  return { mortar: fy < 0.14 || fx < 0.07, id: col * 31 + row };
}

const SHADERS: Record<MaterialName, Shader> = {
  color: (p, _n, base, _alt, seed) => mix3(base, [0, 0, 0], 0.08 * noise3(p[0] * 3, p[1] * 3, p[2] * 3, seed)),
  stripes: (p, _n, base, alt, seed) => {
    const t = dot(p, seededAxis(seed)) * 4.5;
    return t - Math.floor(t) < 0.5 ? base : alt;
  },
  dots: (p, _n, base, alt, _seed) => {
    // Dots of the named color on its light/dark counterpart, on a 3D lattice.
    const f = 3.2;
    const q = [p[0] * f, p[1] * f, p[2] * f];
    const d = Math.hypot(q[0] - Math.round(q[0]), q[1] - Math.round(q[1]), q[2] - Math.round(q[2]));
    return d < 0.33 ? base : alt;
  },
  checker: (p, _n, base, alt) => {
    const f = 2.5;
    const s = Math.floor(p[0] * f + 8) + Math.floor(p[1] * f + 8) + Math.floor(p[2] * f + 8);
    return (s & 1) === 0 ? base : alt;
  },
  brick: (p, n, base, _alt, seed) => {
    const b = brickPattern(p, n);
    if (b.mortar) return [0.8, 0.78, 0.74];
    const tone = 0.8 + 0.35 * hash3(b.id, 5, 6, seed) + 0.1 * noise3(p[0] * 12, p[1] * 12, p[2] * 12, seed);
    return [base[0] * tone, base[1] * tone, base[2] * tone];
  },
  wood: (p, _n, _base, _alt, seed) => {
    const r = Math.hypot(p[0], p[2]) * 7 + 1.5 * fbm3(p[0] * 2, p[1] * 2, p[2] * 2, seed, 3);
    const ring = 0.5 + 0.5 * Math.sin(r * Math.PI * 2);
    const grain = noise3(p[0] * 20, p[1] * 3, p[2] * 20, seed + 1);
    return mix3([0.42, 0.24, 0.1], [0.72, 0.5, 0.28], 0.75 * ring + 0.25 * grain);
  },
  marble: (p, _n, base, _alt, seed) => {
    const ax = seededAxis(seed);
    const turb = fbm3(p[0] * 3, p[1] * 3, p[2] * 3, seed, 4);
    const v = Math.abs(Math.sin((dot(p, ax) * 3 + turb * 5) * Math.PI));
    const vein = 1 - smoothstep(0.0, 0.3, v);
    const light = mix3(base, [1, 1, 1], 0.35);
    return mix3(light, [light[0] * 0.25, light[1] * 0.25, light[2] * 0.25], vein);
  },
  gold: (p, n, _base, _alt, seed) => {
    // Metallic look without a specular model: brightness follows an environment-like gradient.
    const env = 0.5 + 0.5 * n[1] + 0.25 * noise3(p[0] * 4, p[1] * 4, p[2] * 4, seed);
    return mix3([0.55, 0.38, 0.06], [1.0, 0.86, 0.4], Math.min(1, env));
  },
  zebra: (p, _n, _base, _alt, seed) => {
    const warp = 1.2 * fbm3(p[0] * 2, p[1] * 2, p[2] * 2, seed, 3);
    const t = Math.sin((p[1] * 5 + p[0] * 1.5 + warp * 2.5) * Math.PI);
    return t > 0 ? [0.95, 0.95, 0.93] : [0.05, 0.05, 0.05];
  },
  lava: (p, _n, _base, _alt, seed) => {
    const c = fbm3(p[0] * 3, p[1] * 3, p[2] * 3, seed, 4);
    const crack = 1 - smoothstep(0.0, 0.06, Math.abs(c - 0.5));
    const rock: Vec3 = [0.12 + 0.1 * c, 0.05, 0.04];
    return mix3(rock, [1.0, 0.55 + 0.4 * crack, 0.05], crack);
  },
  grass: (p, _n, _base, _alt, seed) => {
    const blade = noise3(p[0] * 30, p[1] * 6, p[2] * 30, seed);
    const patch = fbm3(p[0] * 3, p[1] * 3, p[2] * 3, seed + 9, 3);
    return mix3([0.1, 0.35, 0.06], [0.4, 0.75, 0.2], 0.6 * blade + 0.4 * patch);
  },
  metal: (p, n, _base, _alt, seed) => {
    const brushed = noise3(p[0] * 40, p[1] * 2, p[2] * 40, seed);
    const env = 0.5 + 0.4 * n[1];
    const g = 0.45 + 0.35 * env + 0.12 * brushed;
    return [g * 0.95, g * 0.97, g];
  },
  stone: (p, _n, _base, _alt, seed) => {
    const f = fbm3(p[0] * 5, p[1] * 5, p[2] * 5, seed, 5);
    const speck = hash3(Math.floor(p[0] * 60), Math.floor(p[1] * 60), Math.floor(p[2] * 60), seed) < 0.08 ? -0.15 : 0;
    const g = 0.35 + 0.35 * f + speck;
    return [g, g * 0.97, g * 0.92];
  },
};

/** Default color of each colored material when none is given. */
export const DEFAULT_MATERIAL_COLOR: Partial<Record<MaterialName, ColorName>> = {
  color: 'red', stripes: 'red', dots: 'blue', checker: 'black', brick: 'red', marble: 'white',
};

export function materialUsesColor(m: MaterialName): boolean {
  return COLORED_MATERIALS.includes(m);
}

/** Per-vertex colors (RGB in [0, 1]) for a mesh; vertex normals are area-weighted from faces. */
export function paintMaterial(mesh: Mesh, spec: MaterialSpec): Float32Array {
  const { positions: P } = mesh;
  const normals = vertexNormals(mesh);
  const colorName = spec.color ?? DEFAULT_MATERIAL_COLOR[spec.material] ?? 'gray';
  const c = COLORS[colorName];
  const base: Vec3 = [c[0] / 255, c[1] / 255, c[2] / 255];
  const s = secondaryColor(c);
  const alt: Vec3 = [s[0] / 255, s[1] / 255, s[2] / 255];
  const shader = SHADERS[spec.material];
  const out = new Float32Array(P.length);
  for (let i = 0; i < P.length; i += 3) {
    const rgb = shader([P[i], P[i + 1], P[i + 2]], [normals[i], normals[i + 1], normals[i + 2]], base, alt, spec.seed | 0);
    out[i] = Math.min(1, Math.max(0, rgb[0]));
    out[i + 1] = Math.min(1, Math.max(0, rgb[1]));
    out[i + 2] = Math.min(1, Math.max(0, rgb[2]));
  }
  return out;
}

/**
 * Relief of each material in [−1, 1] (0 = flat): mortar joints sink, stone and grass roughen,
 * lava cracks sink, wood grooves follow the rings. Materials that are only paint return 0.
 */
const HEIGHTS: Partial<Record<MaterialName, (p: Vec3, n: Vec3, seed: number) => number>> = {
  brick: (p, n) => (brickPattern(p, n).mortar ? -1 : 0),
  stone: (p, _n, seed) => 2 * fbm3(p[0] * 5, p[1] * 5, p[2] * 5, seed, 5) - 1,
  lava: (p, _n, seed) => -(1 - smoothstep(0.0, 0.06, Math.abs(fbm3(p[0] * 3, p[1] * 3, p[2] * 3, seed, 4) - 0.5))),
  grass: (p, _n, seed) => noise3(p[0] * 30, p[1] * 6, p[2] * 30, seed),
  wood: (p, _n, seed) => -0.5 + 0.5 * Math.sin((Math.hypot(p[0], p[2]) * 7 + 1.5 * fbm3(p[0] * 2, p[1] * 2, p[2] * 2, seed, 3)) * Math.PI * 2),
};

/**
 * Optional geometry for a material (the painted look stays in paintMaterial): a copy of the mesh
 * with vertices moved along their normals by `amount` × the material's relief, renormalized to the
 * unit bounding sphere. Flat materials return an unchanged copy.
 */
export function displaceByMaterial(mesh: Mesh, spec: MaterialSpec, amount = 0.02): Mesh {
  const positions = mesh.positions.slice();
  const height = HEIGHTS[spec.material];
  if (height) {
    const N = vertexNormals(mesh);
    for (let i = 0; i < positions.length; i += 3) {
      const p: Vec3 = [mesh.positions[i], mesh.positions[i + 1], mesh.positions[i + 2]];
      const n: Vec3 = [N[i], N[i + 1], N[i + 2]];
      const h = amount * height(p, n, spec.seed | 0);
      positions[i] += n[0] * h;
      positions[i + 1] += n[1] * h;
      positions[i + 2] += n[2] * h;
    }
  }
  return normalizeToUnitSphere({ positions, indices: mesh.indices });
}

export function vertexNormals(mesh: Mesh): Float32Array {
  const { positions: P, indices: I } = mesh;
  const N = new Float32Array(P.length);
  for (let t = 0; t < I.length; t += 3) {
    const a = I[t] * 3, b = I[t + 1] * 3, c = I[t + 2] * 3;
    const ux = P[b] - P[a], uy = P[b + 1] - P[a + 1], uz = P[b + 2] - P[a + 2];
    const vx = P[c] - P[a], vy = P[c + 1] - P[a + 1], vz = P[c + 2] - P[a + 2];
    const nx = uy * vz - uz * vy, ny = uz * vx - ux * vz, nz = ux * vy - uy * vx;
    for (const k of [a, b, c]) {
      N[k] += nx;
      N[k + 1] += ny;
      N[k + 2] += nz;
    }
  }
  for (let i = 0; i < N.length; i += 3) {
    const l = Math.hypot(N[i], N[i + 1], N[i + 2]) || 1;
    N[i] /= l;
    N[i + 1] /= l;
    N[i + 2] /= l;
  }
  return N;
}
