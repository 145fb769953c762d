/** Mesh loading (every format, every coded error), subdivision, samples, and GLB/PLY export round trips. */
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { GLTFLoader } from 'three/examples/jsm/loaders/GLTFLoader.js';
import { PLYLoader } from 'three/examples/jsm/loaders/PLYLoader.js';
import { Color, SRGBColorSpace, type Mesh as ThreeMesh } from 'three';
import { exportGlb, exportPly } from './exportMesh.ts';
import { detectFormat, loadMesh } from './loadMesh.ts';
import { sampleMesh, SAMPLE_MESHES } from './samples.ts';
import { subdivideOnce } from './subdivide.ts';
import { MeshError, type MeshErrorCode } from './triMesh.ts';

const text = (s: string) => new TextEncoder().encode(s);
// A tetrahedron, far from the origin and scaled, with one quad-free OBJ face list.
const TET_OBJ = 'v 10 10 10\nv 12 10 10\nv 10 12 10\nv 10 10 12\nf 1 3 2\nf 1 2 4\nf 1 4 3\nf 2 3 4\n';

async function expectCode(p: Promise<unknown>, code: MeshErrorCode, msg: RegExp) {
  const e = await p.then(() => undefined, (err: unknown) => err);
  expect(e).toBeInstanceOf(MeshError);
  expect((e as MeshError).code).toBe(code);
  expect((e as MeshError).message).toMatch(msg);
}

function radii(p: Float32Array): number[] {
  return Array.from({ length: p.length / 3 }, (_, i) => Math.hypot(p[i * 3], p[i * 3 + 1], p[i * 3 + 2]));
}

function asciiStl(): string {
  const tris = [[[0, 0, 0], [1, 0, 0], [0, 1, 0]], [[0, 0, 0], [0, 0, 1], [1, 0, 0]], [[0, 0, 0], [0, 1, 0], [0, 0, 1]], [[1, 0, 0], [0, 0, 1], [0, 1, 0]]];
  return `solid t\n${tris.map((t) => `facet normal 0 0 0\nouter loop\n${t.map((v) => `vertex ${v.join(' ')}`).join('\n')}\nendloop\nendfacet`).join('\n')}\nendsolid t\n`;
}

describe('loadMesh', () => {
  it('OBJ: welds, normalizes to the unit bounding sphere (mean-centered) and computes unit normals', async () => {
    const { mesh, info } = await loadMesh(text(TET_OBJ), 'tet.obj');
    expect(info).toMatchObject({ format: 'obj', vertices: 4, triangles: 4, droppedTriangles: 0 });
    expect(Math.max(...radii(mesh.positions))).toBeCloseTo(1, 6);
    const c = [0, 1, 2].map((k) => mesh.positions.filter((_, i) => i % 3 === k).reduce((a, b) => a + b) / 4);
    for (const v of c) expect(Math.abs(v)).toBeLessThan(1e-6);
    for (const r of radii(mesh.normals)) expect(r).toBeCloseTo(1, 5);
  });

  it('OBJ polygons are triangulated', async () => {
    const { info } = await loadMesh(text('v 0 0 0\nv 1 0 0\nv 1 1 0\nv 0 1 0\nf 1 2 3 4\n'), 'quad.obj');
    expect(info.triangles).toBe(2);
  });

  it('STL (ascii), PLY and GLB load to the same tetrahedron', async () => {
    const stl = await loadMesh(text(asciiStl()), 't.stl');
    expect(stl.info).toMatchObject({ format: 'stl', vertices: 4, triangles: 4 });
    const ply = exportPly({ positions: stl.mesh.positions, indices: stl.mesh.indices, colors: new Float32Array(12).fill(0.5) });
    const fromPly = await loadMesh(ply, 't.ply');
    expect(fromPly.info).toMatchObject({ format: 'ply', vertices: 4, triangles: 4 });
    const glb = exportGlb({ positions: stl.mesh.positions, indices: stl.mesh.indices, colors: new Float32Array(12).fill(0.5) });
    const fromGlb = await loadMesh(glb, 't.glb');
    expect(fromGlb.info).toMatchObject({ format: 'glb', vertices: 4, triangles: 4 });
    for (let i = 0; i < 12; i++) expect(fromGlb.mesh.positions[i]).toBeCloseTo(stl.mesh.positions[i], 5);
  });

  it('sniffs the format without an extension', () => {
    expect(detectFormat(text(TET_OBJ))).toBe('obj');
    expect(detectFormat(text('ply\nformat ascii 1.0\n'))).toBe('ply');
    expect(detectFormat(text(asciiStl()))).toBe('stl');
    expect(() => detectFormat(new Uint8Array([0, 1, 2, 3]))).toThrow(MeshError);
  });

  it('empty file → empty', () => expectCode(loadMesh(text('# nothing\n'), 'e.obj'), 'empty', /empty/));
  it('vertices without faces (a point cloud) → non-triangle', () => expectCode(loadMesh(text('v 0 0 0\nv 1 0 0\nv 0 1 0\n'), 'e.obj'), 'non-triangle', /only Points/));
  it('NaN coordinates → nan', () => expectCode(loadMesh(text('v 0 0 0\nv nan 0 0\nv 0 1 0\nf 1 2 3\n'), 'n.obj'), 'nan', /non-finite/));
  it('lines only → non-triangle', () => expectCode(loadMesh(text('v 0 0 0\nv 1 0 0\nv 0 1 0\nl 1 2 3\n'), 'l.obj'), 'non-triangle', /no triangles.*Line/));
  it('zero-area triangles only → degenerate', () => expectCode(loadMesh(text('v 0 0 0\nv 1 0 0\nv 2 0 0\nf 1 2 3\n'), 'd.obj'), 'degenerate', /zero area/));
  it('over the vertex limit → over-limit', () => expectCode(loadMesh(text(TET_OBJ), 'tet.obj', { limits: { maxVertices: 3, maxTriangles: 100 } }), 'over-limit', /4 vertices; the limit is 3/));
  it('garbage GLB → parse', () => expectCode(loadMesh(text('glTF garbage'), 'x.glb'), 'parse', /glTF|GLB/));
  it('unknown extension and content → unsupported-format', () => expectCode(loadMesh(new Uint8Array([1, 2, 3]), 'x.bin'), 'unsupported-format', /OBJ, PLY, STL or GLB/));

  it('drops zero-area triangles but keeps the rest', async () => {
    const { info } = await loadMesh(text(`${TET_OBJ}v 20 20 20\nf 1 1 2\n`), 'tet.obj');
    expect(info.droppedTriangles).toBe(1);
    expect(info.triangles).toBe(4);
    expect(info.vertices).toBe(4); // the unused vertex is compacted away
  });

  it.runIf(existsSync('../shared/data/meshes/Sofa.obj'))('reads an MIT-30 OBJ in place', async () => {
    const { info } = await loadMesh(readFileSync('../shared/data/meshes/Sofa.obj'), 'Sofa.obj');
    expect(info.vertices).toBeGreaterThan(5000);
    expect(info.triangles).toBeGreaterThan(info.vertices);
  });
});

describe('subdivision and samples', () => {
  it('subdivideOnce: 4× triangles, V + E vertices, shape preserved on the edges', () => {
    const s = sampleMesh('pyramid');
    const d = subdivideOnce(s.mesh);
    expect(d.indices.length).toBe(4 * s.mesh.indices.length);
    const edges = new Set<string>();
    for (let t = 0; t < s.mesh.indices.length; t += 3) {
      for (let k = 0; k < 3; k++) {
        const a = s.mesh.indices[t + k], b = s.mesh.indices[t + ((k + 1) % 3)];
        edges.add(a < b ? `${a}-${b}` : `${b}-${a}`);
      }
    }
    expect(d.positions.length / 3).toBe(s.mesh.positions.length / 3 + edges.size);
  });

  it('targetVertices subdivides until reached', () => {
    const base = sampleMesh('cube');
    const dense = sampleMesh('cube', { targetVertices: base.info.vertices * 3 });
    expect(dense.info.subdivided).toBe(true);
    expect(dense.info.vertices).toBeGreaterThanOrEqual(base.info.vertices * 3);
  });

  it.each(SAMPLE_MESHES)('sample:%s is normalized and does not alias the cached generator mesh', (name) => {
    const a = sampleMesh(name);
    a.mesh.positions[0] = 99;
    const b = sampleMesh(name);
    expect(b.mesh.positions[0]).not.toBe(99);
    expect(Math.max(...radii(b.mesh.positions))).toBeCloseTo(1, 5);
  });

  it('unknown sample → error listing the known ones', () => {
    expect(() => sampleMesh('dragon')).toThrow(/known: sphere/);
  });
});

describe('export', () => {
  const s = sampleMesh('cone');
  const colors = Float32Array.from({ length: s.mesh.positions.length }, (_, i) => (i % 7) / 6);

  it('GLB: three.js GLTFLoader reads positions, vertex colors and the recipe in extras', async () => {
    const glb = exportGlb({ positions: s.mesh.positions, indices: s.mesh.indices, colors }, { recipe: { pipeline: 'xmesh', prompt: 'a red cone' } });
    expect(glb.length % 4).toBe(0);
    const gltf = await new Promise<{ scene: import('three').Group }>((res, rej) => new GLTFLoader().parse(glb.buffer.slice(0) as ArrayBuffer, '', res, rej));
    expect(gltf.scene.userData.recipe).toEqual({ pipeline: 'xmesh', prompt: 'a red cone' });
    let mesh: ThreeMesh | undefined;
    gltf.scene.traverse((o) => { if ((o as ThreeMesh).isMesh) mesh = o as ThreeMesh; });
    const col = mesh!.geometry.getAttribute('color');
    expect(col.count).toBe(s.info.vertices);
    for (let i = 0; i < 20; i++) expect(col.getX(i)).toBeCloseTo(colors[i * 3], 6);
    expect(mesh!.geometry.getAttribute('position').getY(3)).toBeCloseTo(s.mesh.positions[10], 6);
  });

  it('PLY: three.js PLYLoader reads positions and 8-bit colors', () => {
    const ply = exportPly({ positions: s.mesh.positions, indices: s.mesh.indices, colors }, 'a red cone');
    const g = new PLYLoader().parse(ply.buffer.slice(0) as ArrayBuffer);
    expect(g.getIndex()!.count).toBe(s.mesh.indices.length);
    const col = g.getAttribute('color');
    expect(col.count).toBe(s.info.vertices);
    // 8-bit sRGB in the file; three's PLYLoader returns linear values.
    for (let i = 0; i < 20; i++) {
      const c = new Color().setRGB(Math.round(colors[i * 3] * 255) / 255, 0, 0, SRGBColorSpace);
      expect(col.getX(i)).toBeCloseTo(c.r, 2); // re-quantized to 8 bits by the loader
    }
    expect(g.getAttribute('position').getX(5)).toBeCloseTo(s.mesh.positions[15], 6);
  });
});
