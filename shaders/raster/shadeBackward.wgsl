// Deferred shading backward, WGSL twin of shadeBackward.ts (visibility piecewise constant, clamps
// pass gradient on their closed range). Per (view, pixel) it scatter-adds in fixed point:
//   acc[vertex*3 + c]             += dL/dpixel_c · s · b_k        (vertex-color gradient)
//   acc[nVerts*3 + view*F + face] += Σ_c dL/dpixel_c · color_c    (gradient of the SH light s)
// The fixed-point scale (shaders/gpu/fixedPoint.wgsl, prepended) comes first: absMax finds
// max |dL/dpixel|; countCoverage + maxCount count how many pixels reach each accumulator (a vertex
// gets ≤ 1.13·max|g| per pixel and channel, a face's light ≤ 3·max|g| per pixel) and keep the
// largest counts; prepScale turns both into the finest power-of-two scale that cannot overflow.
// normalBackward.wgsl turns the light gradients into position gradients.

const EMPTY: u32 = 0xffffffffu;

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read> indices: array<u32>;
@group(0) @binding(2) var<storage, read> colors: array<f32>;
@group(0) @binding(3) var<storage, read> triId: array<u32>;
@group(0) @binding(4) var<storage, read> visBary: array<vec2f>;
@group(0) @binding(5) var<storage, read> faceNormal: array<vec4f>;
@group(0) @binding(6) var<storage, read> dImages: array<f32>;
@group(0) @binding(7) var<storage, read_write> acc: array<atomic<i32>>;
// [0] max |dImages| as f32 bits (non-negative floats order like their bits), [1] the scale's bits,
// [2] most pixels touching one vertex, [3] most pixels covered by one (view, face).
@group(0) @binding(8) var<storage, read_write> scalars: array<atomic<u32>>;

@compute @workgroup_size(64)
fn absMax(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = linearId(gid, nwg);
  if (i >= P.views * 3u * P.size * P.size) {
    return;
  }
  atomicMax(&scalars[0], bitcast<u32>(abs(dImages[i])));
}

// Uses acc as a counter; maxCount leaves it zeroed for pixelBackward.
@compute @workgroup_size(64)
fn countCoverage(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = linearId(gid, nwg);
  let plane = P.size * P.size;
  if (i >= P.views * plane) {
    return;
  }
  let t = triId[i];
  if (t == EMPTY) {
    return;
  }
  atomicAdd(&acc[indices[t * 3u] * 3u], 1);
  atomicAdd(&acc[indices[t * 3u + 1u] * 3u], 1);
  atomicAdd(&acc[indices[t * 3u + 2u] * 3u], 1);
  atomicAdd(&acc[P.nVerts * 3u + (i / plane) * P.nFaces + t], 1);
}

@compute @workgroup_size(64)
fn maxCount(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = linearId(gid, nwg);
  if (i >= P.nVerts * 3u + P.views * P.nFaces) {
    return;
  }
  let c = u32(atomicExchange(&acc[i], 0));
  if (c != 0u) {
    atomicMax(&scalars[select(2u, 3u, i >= P.nVerts * 3u)], c);
  }
}

@compute @workgroup_size(1)
fn prepScale() {
  let bound = max(1.13 * f32(atomicLoad(&scalars[2])), 3.0 * f32(atomicLoad(&scalars[3])));
  atomicStore(&scalars[1], bitcast<u32>(fixedScale(atomicLoad(&scalars[0]), bound)));
}

fn inRange(x: f32) -> bool {
  return x >= 0.0 && x <= 1.0;
}

@compute @workgroup_size(64)
fn pixelBackward(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = linearId(gid, nwg);
  let plane = P.size * P.size;
  if (i >= P.views * plane) {
    return;
  }
  let t = triId[i];
  if (t == EMPTY) {
    return;
  }
  let scale = bitcast<f32>(atomicLoad(&scalars[1]));
  let v = i / plane;
  let p = i % plane;
  let bb = visBary[i];
  let w = vec3f(1.0 - bb.x - bb.y, bb.x, bb.y);
  let i0 = indices[t * 3u] * 3u;
  let i1 = indices[t * 3u + 1u] * 3u;
  let i2 = indices[t * 3u + 2u] * 3u;
  let s = faceNormal[v * P.nFaces + t].w;
  var gs = 0.0;
  for (var c = 0u; c < 3u; c++) {
    let raw = w.x * colors[i0 + c] + w.y * colors[i1 + c] + w.z * colors[i2 + c];
    let col = clamp(raw, 0.0, 1.0);
    let g = dImages[v * 3u * plane + c * plane + p];
    if (g == 0.0 || !inRange(col * s)) {
      continue;
    }
    gs += g * col;
    if (!inRange(raw)) {
      continue;
    }
    let gc = g * s;
    atomicAdd(&acc[i0 + c], toFixed(gc * w.x, scale));
    atomicAdd(&acc[i1 + c], toFixed(gc * w.y, scale));
    atomicAdd(&acc[i2 + c], toFixed(gc * w.z, scale));
  }
  if (gs != 0.0) {
    atomicAdd(&acc[P.nVerts * 3u + v * P.nFaces + t], toFixed(gs, scale));
  }
}
