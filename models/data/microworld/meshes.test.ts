import { describe, expect, it } from 'vitest';
import { MATERIALS, MESHES } from './attributes.ts';
import { displaceByMaterial, paintMaterial } from './materials.ts';
import { renderMeshScene, sampleMeshScene } from './meshScene.ts';
import { makeMesh, signedVolume } from './meshes.ts';
import { Prng } from './prng.ts';

describe('procedural meshes', () => {
  it.each(MESHES)('%s is a valid indexed mesh in the unit bounding sphere, wound outward', (name) => {
    const m = makeMesh(name);
    const n = m.positions.length / 3;
    expect(m.indices.length % 3).toBe(0);
    expect(Math.max(...m.indices)).toBeLessThan(n);
    let maxR = 0;
    const c = [0, 0, 0];
    for (let i = 0; i < n; i++) {
      maxR = Math.max(maxR, Math.hypot(m.positions[i * 3], m.positions[i * 3 + 1], m.positions[i * 3 + 2]));
      for (let k = 0; k < 3; k++) c[k] += m.positions[i * 3 + k] / n;
    }
    expect(maxR).toBeCloseTo(1, 5);
    for (const v of c) expect(Math.abs(v)).toBeLessThan(1e-5);
    expect(signedVolume(m)).toBeGreaterThan(0.05);
  });

  it('convex meshes have every face normal pointing away from the center', () => {
    for (const name of ['sphere', 'cube', 'cylinder', 'cone', 'pyramid', 'capsule'] as const) {
      const { positions: P, indices: I } = makeMesh(name);
      for (let t = 0; t < I.length; t += 3) {
        const [a, b, c] = [I[t] * 3, I[t + 1] * 3, I[t + 2] * 3];
        const u = [P[b] - P[a], P[b + 1] - P[a + 1], P[b + 2] - P[a + 2]];
        const v = [P[c] - P[a], P[c + 1] - P[a + 1], P[c + 2] - P[a + 2]];
        const nrm = [u[1] * v[2] - u[2] * v[1], u[2] * v[0] - u[0] * v[2], u[0] * v[1] - u[1] * v[0]];
        const ctr = [P[a] + P[b] + P[c], P[a + 1] + P[b + 1] + P[c + 1], P[a + 2] + P[b + 2] + P[c + 2]];
        expect(nrm[0] * ctr[0] + nrm[1] * ctr[1] + nrm[2] * ctr[2]).toBeGreaterThanOrEqual(-1e-9);
      }
    }
  });
});

describe('materials and mesh renders', () => {
  it('every material paints valid, deterministic, seed-dependent colors', () => {
    const mesh = makeMesh('sphere');
    for (const material of MATERIALS) {
      const a = paintMaterial(mesh, { material, color: 'blue', seed: 1 });
      const b = paintMaterial(mesh, { material, color: 'blue', seed: 1 });
      expect(a).toEqual(b);
      expect(a.length).toBe(mesh.positions.length);
      expect(a.every((v) => v >= 0 && v <= 1)).toBe(true);
      // Everything but flat color has visible variation across the surface.
      const reds = Array.from(a.filter((_v, i) => i % 3 === 0));
      if (material !== 'color') expect(Math.max(...reds) - Math.min(...reds)).toBeGreaterThan(0.1);
    }
  });

  it('optional displacement moves vertices for relief materials only, and stays in the unit sphere', () => {
    const mesh = makeMesh('sphere');
    const flat = displaceByMaterial(mesh, { material: 'color', color: 'red', seed: 1 });
    expect(flat.positions).toEqual(mesh.positions);
    expect(flat.positions).not.toBe(mesh.positions);
    const brick = displaceByMaterial(mesh, { material: 'brick', color: 'red', seed: 1 }, 0.05);
    let moved = 0;
    let maxR = 0;
    for (let i = 0; i < mesh.positions.length; i += 3) {
      const r = Math.hypot(brick.positions[i], brick.positions[i + 1], brick.positions[i + 2]);
      maxR = Math.max(maxR, r);
      if (Math.abs(r - Math.hypot(mesh.positions[i], mesh.positions[i + 1], mesh.positions[i + 2])) > 0.01) moved++;
    }
    // Mortar joints are a minority of the surface and sink by about the amount.
    expect(moved).toBeGreaterThan(50);
    expect(moved).toBeLessThan(mesh.positions.length / 3 / 2);
    expect(maxR).toBeCloseTo(1, 5);
    expect(brick.indices).toBe(mesh.indices);
  });

  it('colored materials take their color', () => {
    const mesh = makeMesh('cube');
    const red = paintMaterial(mesh, { material: 'color', color: 'red', seed: 0 });
    const blue = paintMaterial(mesh, { material: 'color', color: 'blue', seed: 0 });
    expect(red[0]).toBeGreaterThan(red[2]);
    expect(blue[2]).toBeGreaterThan(blue[0]);
  });

  it('renders are deterministic, centered on a white background and captioned', () => {
    const a = sampleMeshScene(new Prng('mesh:1'), { size: 32 });
    const b = sampleMeshScene(new Prng('mesh:1'), { size: 32 });
    expect(Buffer.from(a.image.data).equals(Buffer.from(b.image.data))).toBe(true);
    expect(a.image.data.slice(0, 3)).toEqual(new Uint8Array([255, 255, 255]));
    const covered = a.mask.reduce((s, v) => s + v, 0);
    expect(covered).toBeGreaterThan(32 * 32 * 0.1);
    expect(a.mask[16 * 32 + 16]).toBe(1);
    expect(a.captions[0]).toContain(a.spec.mesh);
    const brick = renderMeshScene({ mesh: 'vase', material: 'brick', color: 'red', materialSeed: 1, elevation: 0.3, azimuth: 1 }, 32);
    expect(brick.captions).toContain('a vase made of red brick');
  });

  it('fade blends the paint toward gray and keeps the captions', () => {
    const spec = { mesh: 'sphere', material: 'color', color: 'red', materialSeed: 1, elevation: 0, azimuth: 0 } as const;
    const redness = (img: { data: Uint8Array }) => img.data[(16 * 32 + 16) * 3] - img.data[(16 * 32 + 16) * 3 + 1];
    const [full, half, gray] = [0, 0.5, 1].map((fade) => renderMeshScene({ ...spec, fade }, 32));
    expect(redness(full.image)).toBeGreaterThan(redness(half.image));
    expect(redness(half.image)).toBeGreaterThan(10);
    // Fully faded: uniform gray albedo, so every channel of a lit pixel is equal.
    expect(Math.abs(redness(gray.image))).toBeLessThanOrEqual(1);
    expect(half.captions).toEqual(full.captions);
    expect(half.mask).toEqual(full.mask);
  });
});
