// Visibility-buffer rasterizer, WGSL twin of rasterize.ts (same semantics: hard coverage at pixel
// centers with inclusive edges, back faces culled by the sign of the view-space normal's z, affine
// screen-space barycentrics and depth, nearest = largest view z, ties to the lower triangle id).
// Batched over views: thread ids run over (view, vertex), (view, face) or (view, pixel).
//
// Two atomic passes make the z-buffer exact without 64-bit atomics: rasterDepth keeps the max
// depth key per pixel (atomicMax), rasterId lets every triangle whose key equals it propose its
// id (atomicMin: the lowest id wins a tie, as the CPU reference's "earlier triangle keeps it"),
// and resolve recomputes the winner's barycentrics. Prepended: shaders/gpu/fixedPoint.wgsl.

struct Params {
  views: u32,
  nVerts: u32,
  nFaces: u32,
  size: u32,
  cull: u32,
  _p0: u32,
  _p1: u32,
  _p2: u32,
}

// Rows of the world→view rotation; eye.xyz the camera position, eye.w = tan(fov / 2).
struct Cam {
  r0: vec4f,
  r1: vec4f,
  r2: vec4f,
  eye: vec4f,
}

const EMPTY: u32 = 0xffffffffu;

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read> cams: array<Cam>;
@group(0) @binding(2) var<storage, read> positions: array<f32>;
@group(0) @binding(3) var<storage, read> indices: array<u32>;
@group(0) @binding(4) var<storage, read_write> viewPos: array<vec4f>;
@group(0) @binding(5) var<storage, read_write> depthKey: array<atomic<u32>>;
@group(0) @binding(6) var<storage, read_write> triId: array<atomic<u32>>;
@group(0) @binding(7) var<storage, read_write> visBary: array<vec2f>;

struct Tri {
  ok: bool,
  s0: vec2f,
  s1: vec2f,
  s2: vec2f,
  z: vec3f,
  inv: f32,
  lo: vec2i,
  hi: vec2i,
}

fn toScreen(p: vec4f, t: f32, size: f32) -> vec2f {
  let w = -p.z;
  let nx = p.x / (t * w);
  let ny = p.y / (t * w);
  return vec2f((nx + 1.0) * 0.5 * size, (1.0 - ny) * 0.5 * size);
}

fn setup(v: u32, f: u32) -> Tri {
  var r: Tri;
  r.ok = false;
  let base = v * P.nVerts;
  let p0 = viewPos[base + indices[f * 3u]];
  let p1 = viewPos[base + indices[f * 3u + 1u]];
  let p2 = viewPos[base + indices[f * 3u + 2u]];
  if (p0.z >= 0.0 || p1.z >= 0.0 || p2.z >= 0.0) {
    return r;
  }
  if (P.cull != 0u) {
    let nz = (p1.x - p0.x) * (p2.y - p0.y) - (p1.y - p0.y) * (p2.x - p0.x);
    if (nz < 0.0) {
      return r;
    }
  }
  let t = cams[v].eye.w;
  let size = f32(P.size);
  r.s0 = toScreen(p0, t, size);
  r.s1 = toScreen(p1, t, size);
  r.s2 = toScreen(p2, t, size);
  let area = (r.s1.x - r.s0.x) * (r.s2.y - r.s0.y) - (r.s2.x - r.s0.x) * (r.s1.y - r.s0.y);
  // area == 0 or not finite (a vertex projected to infinity) draws nothing, as on the CPU.
  if (!(abs(area) > 0.0) || !(abs(area) < 3.0e38)) {
    return r;
  }
  r.inv = 1.0 / area;
  r.z = vec3f(p0.z, p1.z, p2.z);
  let mn = min(r.s0, min(r.s1, r.s2));
  let mx = max(r.s0, max(r.s1, r.s2));
  let last = f32(P.size) - 1.0;
  r.lo = vec2i(max(vec2f(0.0), floor(mn)));
  r.hi = vec2i(min(vec2f(last), ceil(mx)));
  r.ok = true;
  return r;
}

// (b1, b2, z, inside) at the center of pixel (px, py).
fn cover(r: Tri, px: i32, py: i32) -> vec4f {
  let cx = f32(px) + 0.5;
  let cy = f32(py) + 0.5;
  let b1 = ((cx - r.s0.x) * (r.s2.y - r.s0.y) - (r.s2.x - r.s0.x) * (cy - r.s0.y)) * r.inv;
  let b2 = ((r.s1.x - r.s0.x) * (cy - r.s0.y) - (cx - r.s0.x) * (r.s1.y - r.s0.y)) * r.inv;
  let b0 = 1.0 - b1 - b2;
  let inside = b0 >= 0.0 && b1 >= 0.0 && b2 >= 0.0;
  let z = b0 * r.z.x + b1 * r.z.y + b2 * r.z.z;
  return vec4f(b1, b2, z, select(0.0, 1.0, inside));
}

// Nearer (larger z, i.e. smaller positive distance -z) → larger key; 0 means empty.
fn depthKeyOf(z: f32) -> u32 {
  return EMPTY - bitcast<u32>(-z);
}

@compute @workgroup_size(64)
fn project(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = linearId(gid, nwg);
  if (i >= P.views * P.nVerts) {
    return;
  }
  let v = i / P.nVerts;
  let k = i % P.nVerts;
  let c = cams[v];
  let d = vec3f(positions[k * 3u], positions[k * 3u + 1u], positions[k * 3u + 2u]) - c.eye.xyz;
  viewPos[i] = vec4f(dot(c.r0.xyz, d), dot(c.r1.xyz, d), dot(c.r2.xyz, d), 1.0);
}

@compute @workgroup_size(64)
fn clear(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = linearId(gid, nwg);
  if (i >= P.views * P.size * P.size) {
    return;
  }
  atomicStore(&depthKey[i], 0u);
  atomicStore(&triId[i], EMPTY);
}

@compute @workgroup_size(64)
fn rasterDepth(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = linearId(gid, nwg);
  if (i >= P.views * P.nFaces) {
    return;
  }
  let v = i / P.nFaces;
  let r = setup(v, i % P.nFaces);
  if (!r.ok) {
    return;
  }
  let plane = v * P.size * P.size;
  for (var py = r.lo.y; py <= r.hi.y; py++) {
    for (var px = r.lo.x; px <= r.hi.x; px++) {
      let c = cover(r, px, py);
      if (c.w > 0.0) {
        atomicMax(&depthKey[plane + u32(py) * P.size + u32(px)], depthKeyOf(c.z));
      }
    }
  }
}

@compute @workgroup_size(64)
fn rasterId(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = linearId(gid, nwg);
  if (i >= P.views * P.nFaces) {
    return;
  }
  let v = i / P.nFaces;
  let f = i % P.nFaces;
  let r = setup(v, f);
  if (!r.ok) {
    return;
  }
  let plane = v * P.size * P.size;
  for (var py = r.lo.y; py <= r.hi.y; py++) {
    for (var px = r.lo.x; px <= r.hi.x; px++) {
      let c = cover(r, px, py);
      let p = plane + u32(py) * P.size + u32(px);
      if (c.w > 0.0 && depthKeyOf(c.z) == atomicLoad(&depthKey[p])) {
        atomicMin(&triId[p], f);
      }
    }
  }
}

@compute @workgroup_size(64)
fn resolve(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = linearId(gid, nwg);
  let plane = P.size * P.size;
  if (i >= P.views * plane) {
    return;
  }
  let f = atomicLoad(&triId[i]);
  if (f == EMPTY) {
    visBary[i] = vec2f(0.0);
    return;
  }
  let v = i / plane;
  let p = i % plane;
  let c = cover(setup(v, f), i32(p % P.size), i32(p / P.size));
  visBary[i] = c.xy;
}
