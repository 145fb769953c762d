// Deferred shading forward, WGSL twin of shade.ts (xmesh.md §3.3), batched over views:
//   faceSetup:    per (view, face) unit flat view-space normal n and SH light s = C0 + C1 (nx+ny+nz)
//   shadeForward: per (view, pixel) clamp(clamp(b·c, 0, 1) · s, 0, 1), background where empty;
//                 writes NCHW images [views, 3, size, size].
// Prepended: shaders/gpu/fixedPoint.wgsl, shadeParams.wgsl.

const EMPTY: u32 = 0xffffffffu;
const SH_C0: f32 = 0.28209479;
const SH_C1: f32 = 0.48860251;

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read> indices: array<u32>;
@group(0) @binding(2) var<storage, read> colors: array<f32>;
@group(0) @binding(3) var<storage, read> viewPos: array<vec4f>;
@group(0) @binding(4) var<storage, read> triId: array<u32>;
@group(0) @binding(5) var<storage, read> visBary: array<vec2f>;
@group(0) @binding(6) var<storage, read_write> faceNormal: array<vec4f>;
@group(0) @binding(7) var<storage, read_write> images: array<f32>;

@compute @workgroup_size(64)
fn faceSetup(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = linearId(gid, nwg);
  if (i >= P.views * P.nFaces) {
    return;
  }
  let v = i / P.nFaces;
  let f = i % P.nFaces;
  let base = v * P.nVerts;
  let a = viewPos[base + indices[f * 3u]].xyz;
  let b = viewPos[base + indices[f * 3u + 1u]].xyz;
  let c = viewPos[base + indices[f * 3u + 2u]].xyz;
  let m = cross(b - a, c - a);
  let l = length(m);
  let n = select(m, m / l, l > 0.0);
  faceNormal[i] = vec4f(n, SH_C0 + SH_C1 * (n.x + n.y + n.z));
}

@compute @workgroup_size(64)
fn shadeForward(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = linearId(gid, nwg);
  let plane = P.size * P.size;
  if (i >= P.views * plane) {
    return;
  }
  let v = i / plane;
  let p = i % plane;
  let out = v * 3u * plane + p;
  let t = triId[i];
  if (t == EMPTY) {
    images[out] = P.bg.x;
    images[out + plane] = P.bg.y;
    images[out + 2u * plane] = P.bg.z;
    return;
  }
  let bb = visBary[i];
  let w = vec3f(1.0 - bb.x - bb.y, bb.x, bb.y);
  let i0 = indices[t * 3u] * 3u;
  let i1 = indices[t * 3u + 1u] * 3u;
  let i2 = indices[t * 3u + 2u] * 3u;
  let s = faceNormal[v * P.nFaces + t].w;
  for (var c = 0u; c < 3u; c++) {
    let col = clamp(w.x * colors[i0 + c] + w.y * colors[i1 + c] + w.z * colors[i2 + c], 0.0, 1.0);
    images[out + c * plane] = clamp(col * s, 0.0, 1.0);
  }
}
