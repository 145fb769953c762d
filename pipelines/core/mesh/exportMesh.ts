/**
 * Writers for stylized meshes: GLB (glTF 2.0 binary: POSITION, NORMAL, COLOR_0 as float RGB,
 * uint32 indices; the recipe in `extras` of the asset and the scene, which three's GLTFLoader
 * exposes as `gltf.scene.userData`) and binary PLY (float xyz + uchar rgb, triangle faces).
 * Written by hand (no DOM, no FileReader) so the same code runs in the worker and in Node.
 *
 *   const glb = exportGlb({ positions, indices, colors }, { recipe });
 *   const ply = exportPly({ positions, indices, colors });
 */
import { computeNormals } from './triMesh.ts';

export interface ColoredTriMesh {
  positions: Float32Array;
  indices: Uint32Array;
  /** RGB per vertex in [0, 1]. */
  colors: Float32Array;
  normals?: Float32Array;
}

const pad4 = (n: number) => (n + 3) & ~3;

function minMax(p: Float32Array): { min: number[]; max: number[] } {
  const min = [Infinity, Infinity, Infinity], max = [-Infinity, -Infinity, -Infinity];
  for (let i = 0; i < p.length; i++) {
    const k = i % 3;
    if (p[i] < min[k]) min[k] = p[i];
    if (p[i] > max[k]) max[k] = p[i];
  }
  return { min, max };
}

export function exportGlb(m: ColoredTriMesh, o: { recipe?: unknown; name?: string } = {}): Uint8Array {
  const n = m.positions.length / 3;
  if (m.colors.length !== n * 3) throw new Error(`exportGlb: ${m.colors.length / 3} colors for ${n} vertices`);
  const normals = m.normals ?? computeNormals(m);
  const colors = Float32Array.from(m.colors, (c) => Math.min(1, Math.max(0, c)));
  const blobs = [m.positions, normals, colors, m.indices];
  const views: { buffer: 0; byteOffset: number; byteLength: number; target: number }[] = [];
  let off = 0;
  blobs.forEach((b, i) => {
    views.push({ buffer: 0, byteOffset: off, byteLength: b.byteLength, target: i === 3 ? 34963 : 34962 });
    off += pad4(b.byteLength);
  });
  const extras = o.recipe === undefined ? undefined : { recipe: o.recipe };
  const json = {
    asset: { version: '2.0', generator: 'Atelier xmesh', ...(extras ? { extras } : {}) },
    scene: 0,
    scenes: [{ nodes: [0], ...(extras ? { extras } : {}) }],
    nodes: [{ mesh: 0, name: o.name ?? 'stylized' }],
    meshes: [{ name: o.name ?? 'stylized', primitives: [{ attributes: { POSITION: 0, NORMAL: 1, COLOR_0: 2 }, indices: 3, mode: 4 }] }],
    accessors: [
      { bufferView: 0, componentType: 5126, count: n, type: 'VEC3', ...minMax(m.positions) },
      { bufferView: 1, componentType: 5126, count: n, type: 'VEC3' },
      { bufferView: 2, componentType: 5126, count: n, type: 'VEC3' },
      { bufferView: 3, componentType: 5125, count: m.indices.length, type: 'SCALAR' },
    ],
    bufferViews: views,
    buffers: [{ byteLength: off }],
  };
  const jsonBytes = new TextEncoder().encode(JSON.stringify(json));
  const jsonLen = pad4(jsonBytes.length);
  const total = 12 + 8 + jsonLen + 8 + off;
  const out = new Uint8Array(total);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, 0x46546c67, true); // 'glTF'
  dv.setUint32(4, 2, true);
  dv.setUint32(8, total, true);
  dv.setUint32(12, jsonLen, true);
  dv.setUint32(16, 0x4e4f534a, true); // 'JSON'
  out.set(jsonBytes, 20);
  out.fill(0x20, 20 + jsonBytes.length, 20 + jsonLen);
  const bin = 20 + jsonLen;
  dv.setUint32(bin, off, true);
  dv.setUint32(bin + 4, 0x004e4942, true); // 'BIN\0'
  blobs.forEach((b, i) => out.set(new Uint8Array(b.buffer, b.byteOffset, b.byteLength), bin + 8 + views[i].byteOffset));
  return out;
}

export function exportPly(m: ColoredTriMesh, comment?: string): Uint8Array {
  const n = m.positions.length / 3, f = m.indices.length / 3;
  const header = [
    'ply', 'format binary_little_endian 1.0', ...(comment ? [`comment ${comment.replace(/\s+/g, ' ')}`] : []),
    `element vertex ${n}`, 'property float x', 'property float y', 'property float z',
    'property uchar red', 'property uchar green', 'property uchar blue',
    `element face ${f}`, 'property list uchar int vertex_indices', 'end_header', '',
  ].join('\n');
  const hb = new TextEncoder().encode(header);
  const out = new Uint8Array(hb.length + n * 15 + f * 13);
  out.set(hb, 0);
  const dv = new DataView(out.buffer);
  let o = hb.length;
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < 3; k++, o += 4) dv.setFloat32(o, m.positions[i * 3 + k], true);
    for (let k = 0; k < 3; k++) out[o++] = Math.round(Math.min(1, Math.max(0, m.colors[i * 3 + k])) * 255);
  }
  for (let t = 0; t < f; t++) {
    out[o++] = 3;
    for (let k = 0; k < 3; k++, o += 4) dv.setInt32(o, m.indices[t * 3 + k], true);
  }
  return out;
}
