// Light gradient → position gradient, WGSL twin of faceNormalsBackward + toViewSpaceBackward:
// per face, for every view, dL/dn = (C1 g, C1 g, C1 g) with g the fixed-point light gradient,
// back through n = m/|m|, m = (B − A) × (C − A), rotated to world by Rᵀ, summed over views into
// one gradient per face corner (cornerGrad[face*9 + corner*3 + xyz]); gatherGrad.wgsl sums corners
// into vertices. No atomics: one thread owns a face. Prepended: shaders/gpu/fixedPoint.wgsl, shadeParams.wgsl.

struct Cam {
  r0: vec4f,
  r1: vec4f,
  r2: vec4f,
  eye: vec4f,
}

const SH_C1: f32 = 0.48860251;

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read> indices: array<u32>;
@group(0) @binding(2) var<storage, read> viewPos: array<vec4f>;
@group(0) @binding(3) var<storage, read> cams: array<Cam>;
@group(0) @binding(4) var<storage, read> acc: array<i32>;
@group(0) @binding(5) var<storage, read> scalars: array<u32>;
@group(0) @binding(6) var<storage, read_write> cornerGrad: array<f32>;

fn toWorld(c: Cam, g: vec3f) -> vec3f {
  return c.r0.xyz * g.x + c.r1.xyz * g.y + c.r2.xyz * g.z;
}

@compute @workgroup_size(64)
fn normalBackward(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let f = linearId(gid, nwg);
  if (f >= P.nFaces) {
    return;
  }
  let scale = bitcast<f32>(scalars[1]);
  var ga = vec3f(0.0);
  var gb = vec3f(0.0);
  var gc = vec3f(0.0);
  for (var v = 0u; v < P.views; v++) {
    let q = acc[P.nVerts * 3u + v * P.nFaces + f];
    if (q == 0) {
      continue;
    }
    let g = vec3f(fromFixed(q, scale) * SH_C1);
    let base = v * P.nVerts;
    let a = viewPos[base + indices[f * 3u]].xyz;
    let u = viewPos[base + indices[f * 3u + 1u]].xyz - a;
    let w = viewPos[base + indices[f * 3u + 2u]].xyz - a;
    let m = cross(u, w);
    let len = length(m);
    if (!(len > 0.0)) {
      continue;
    }
    let n = m / len;
    let dm = (g - n * dot(n, g)) / len;
    let du = cross(w, dm);
    let dw = cross(dm, u);
    let cam = cams[v];
    ga += toWorld(cam, -(du + dw));
    gb += toWorld(cam, du);
    gc += toWorld(cam, dw);
  }
  let o = f * 9u;
  cornerGrad[o] = ga.x;
  cornerGrad[o + 1u] = ga.y;
  cornerGrad[o + 2u] = ga.z;
  cornerGrad[o + 3u] = gb.x;
  cornerGrad[o + 4u] = gb.y;
  cornerGrad[o + 5u] = gb.z;
  cornerGrad[o + 6u] = gc.x;
  cornerGrad[o + 7u] = gc.y;
  cornerGrad[o + 8u] = gc.z;
}
