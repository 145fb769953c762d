/**
 * Mesh files → a validated, normalized indexed triangle mesh, with three's loaders
 * (three/examples/jsm: OBJ, PLY, STL, GLB/glTF). Runs in the browser worker and in Node.
 *
 *   const { mesh, info } = await loadMesh(bytes, 'horse.obj', { targetVertices: 10_000 });
 *
 * Steps: parse → collect triangles (world transforms applied) → weld corners with identical
 * positions → validate (MeshError codes: empty, nan, non-triangle, over-limit, degenerate, parse,
 * unsupported-format) → drop unused vertices → normalize to the unit bounding sphere (§2.1) →
 * optional midpoint subdivision to a target vertex count → area-weighted vertex normals.
 * Decision (xmesh.md §10.2): normals are always recomputed area-weighted from the welded faces,
 * also for OBJ files that carry "vn" (three's OBJLoader keeps them per corner, not per vertex).
 */
import type { BufferGeometry, Object3D } from 'three';
import { Matrix4, Vector3 } from 'three';
import { GLTFLoader } from 'three/examples/jsm/loaders/GLTFLoader.js';
import { OBJLoader } from 'three/examples/jsm/loaders/OBJLoader.js';
import { PLYLoader } from 'three/examples/jsm/loaders/PLYLoader.js';
import { STLLoader } from 'three/examples/jsm/loaders/STLLoader.js';
import { subdivideTo } from './subdivide.ts';
import { compactMesh, computeNormals, DEFAULT_LIMITS, MeshError, normalizeMesh, validateMesh, weldVertices, type MeshLimits, type TriMesh } from './triMesh.ts';

export type MeshFormat = 'obj' | 'ply' | 'stl' | 'glb' | 'gltf' | 'sample';

export interface LoadOptions {
  /** Subdivide (midpoints) until at least this many vertices. */
  targetVertices?: number;
  limits?: MeshLimits;
}

export interface LoadedMesh {
  mesh: Required<TriMesh>;
  info: { format: MeshFormat; sourceVertices: number; sourceTriangles: number; droppedTriangles: number; vertices: number; triangles: number; subdivided: boolean };
}

export function detectFormat(bytes: Uint8Array, name?: string): MeshFormat {
  const ext = name?.toLowerCase().match(/\.([a-z0-9]+)$/)?.[1];
  if (ext === 'obj' || ext === 'ply' || ext === 'stl' || ext === 'glb' || ext === 'gltf') return ext;
  return sniff(bytes, name);
}

function sniff(bytes: Uint8Array, name?: string): MeshFormat {
  const head = new TextDecoder().decode(bytes.subarray(0, 80));
  if (head.startsWith('glTF')) return 'glb';
  if (head.startsWith('ply')) return 'ply';
  if (head.trimStart().startsWith('{')) return 'gltf';
  if (head.startsWith('solid') || (bytes.length >= 84 && bytes.length === 84 + 50 * new DataView(bytes.buffer, bytes.byteOffset + 80, 4).getUint32(0, true))) return 'stl';
  if (/^\s*(#|v |o |g |mtllib)/m.test(head)) return 'obj';
  throw new MeshError('unsupported-format', `Unrecognized mesh file${name ? ` '${name}'` : ''}: use OBJ, PLY, STL or GLB.`);
}

const arrayBuffer = (b: Uint8Array): ArrayBuffer => b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;

function parseGltf(bytes: Uint8Array): Promise<Object3D> {
  return new Promise((resolve, reject) => {
    new GLTFLoader().parse(arrayBuffer(bytes), '', (g) => resolve(g.scene), (e) => reject(new MeshError('parse', `Could not read the glTF file: ${e instanceof Error ? e.message : String(e)}`)));
  });
}

/** Triangle corners (xyz per corner) of every triangle mesh in the tree, world transforms applied. */
function cornersOf(root: Object3D): { corners: Float32Array; nonTriangle: string[] } {
  const parts: Float32Array[] = [];
  const nonTriangle: string[] = [];
  root.updateMatrixWorld(true);
  root.traverse((o) => {
    const anyO = o as Object3D & { isMesh?: boolean; isLine?: boolean; isPoints?: boolean; geometry?: BufferGeometry };
    if (anyO.isLine || anyO.isPoints) { nonTriangle.push(o.type); return; }
    if (!anyO.isMesh || !anyO.geometry) return;
    parts.push(geometryCorners(anyO.geometry, o.matrixWorld));
  });
  const total = parts.reduce((a, p) => a + p.length, 0);
  const corners = new Float32Array(total);
  let off = 0;
  for (const p of parts) { corners.set(p, off); off += p.length; }
  return { corners, nonTriangle };
}

function geometryCorners(g: BufferGeometry, m?: Matrix4): Float32Array {
  const pos = g.getAttribute('position');
  if (!pos) return new Float32Array(0);
  const idx = g.getIndex();
  const n = idx ? idx.count : pos.count;
  const out = new Float32Array(n * 3);
  const v = new Vector3();
  for (let i = 0; i < n; i++) {
    const k = idx ? idx.getX(i) : i;
    v.set(pos.getX(k), pos.getY(k), pos.getZ(k));
    if (m) v.applyMatrix4(m);
    out[i * 3] = v.x; out[i * 3 + 1] = v.y; out[i * 3 + 2] = v.z;
  }
  return out;
}

async function parse(bytes: Uint8Array, format: MeshFormat): Promise<{ corners: Float32Array; nonTriangle: string[] }> {
  try {
    switch (format) {
      case 'obj': return cornersOf(new OBJLoader().parse(new TextDecoder().decode(bytes)));
      case 'stl': return { corners: geometryCorners(new STLLoader().parse(arrayBuffer(bytes))), nonTriangle: [] };
      case 'ply': {
        const g = new PLYLoader().parse(arrayBuffer(bytes));
        // A PLY without faces is a point cloud.
        return g.getIndex() ? { corners: geometryCorners(g), nonTriangle: [] } : { corners: new Float32Array(0), nonTriangle: g.getAttribute('position')?.count ? ['Points'] : [] };
      }
      case 'glb':
      case 'gltf': return cornersOf(await parseGltf(bytes));
      case 'sample': throw new MeshError('unsupported-format', 'Samples are made by sampleMesh(), not parsed.');
    }
  } catch (e) {
    if (e instanceof MeshError) throw e;
    throw new MeshError('parse', `Could not read the ${format.toUpperCase()} file: ${e instanceof Error ? e.message : String(e)}`);
  }
}

export async function loadMesh(bytes: Uint8Array, name?: string, o: LoadOptions = {}): Promise<LoadedMesh> {
  const format = detectFormat(bytes, name);
  const { corners, nonTriangle } = await parse(bytes, format);
  if (corners.length === 0 && nonTriangle.length) {
    throw new MeshError('non-triangle', `The file has no triangles, only ${[...new Set(nonTriangle)].join(' and ')} (lines or points); a surface mesh is needed.`);
  }
  if (corners.length % 9 !== 0) throw new MeshError('non-triangle', `The file's faces are not triangles (${corners.length / 3} corners).`);
  return fromTriangles(weldVertices(corners), format, o);
}

/** Validation, normalization, subdivision and normals for an already indexed mesh (also used for samples). */
export function fromTriangles(raw: TriMesh, format: MeshFormat, o: LoadOptions = {}): LoadedMesh {
  const v = validateMesh(raw, o.limits ?? DEFAULT_LIMITS);
  let m = compactMesh(v);
  normalizeMesh(m);
  const subdivided = !!o.targetVertices && m.positions.length / 3 < o.targetVertices;
  if (subdivided) {
    m = subdivideTo(m, o.targetVertices!);
    const limit = (o.limits ?? DEFAULT_LIMITS).maxVertices;
    if (m.positions.length / 3 > limit * 4) throw new MeshError('over-limit', `Subdividing to ${o.targetVertices} vertices made ${m.positions.length / 3}; choose a smaller target.`);
  }
  const mesh = { positions: m.positions, indices: m.indices, normals: computeNormals(m) };
  return {
    mesh,
    info: {
      format, sourceVertices: raw.positions.length / 3, sourceTriangles: raw.indices.length / 3, droppedTriangles: v.droppedTriangles,
      vertices: mesh.positions.length / 3, triangles: mesh.indices.length / 3, subdivided,
    },
  };
}
