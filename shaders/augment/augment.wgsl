// Augmentation (crop + resize + perspective as one bilinear resampling), WGSL twin of augment.ts.
//   augmentForward:  per output pixel, gather 4 weighted source taps for every (view, channel) plane
//   absMax/prepScale: fixed-point scale for the adjoint from max |dOut| and the largest total tap
//                    weight any source pixel receives (computed on the CPU from the same plan)
//   augmentBackward: per output pixel, scatter-add dOut with the same 4 weights (atomic i32)
//   augmentResolve:  fixed point → f32 per source element
// Prepended: shaders/gpu/fixedPoint.wgsl.

struct Params {
  size: u32,
  outSize: u32,
  planes: u32,
  warp: u32,
  crop: vec4f,   // x0, y0, w, h (whole pixels)
  k0: vec4f,     // homography a, b, c, d (output → resized-crop pixel position)
  k1: vec4f,     // e, f, g, h
  fill: f32,
  bound: f32,
  _p0: f32,
  _p1: f32,
}

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read> src: array<f32>;
@group(0) @binding(2) var<storage, read_write> dst: array<f32>;
@group(0) @binding(3) var<storage, read_write> acc: array<atomic<i32>>;
@group(0) @binding(4) var<storage, read_write> scalars: array<atomic<u32>>;

struct Taps {
  idx: vec4u,
  w: vec4f,
  fillW: f32,
}

// In-range weight of the 1-D tap pair at t in a row of n pixels (torch grid_sample zero padding).
fn coverage(t: f32, n: f32) -> f32 {
  let i = floor(t);
  let w1 = t - i;
  return select(0.0, 1.0 - w1, i >= 0.0 && i <= n - 1.0) + select(0.0, w1, i + 1.0 >= 0.0 && i + 1.0 <= n - 1.0);
}

// torch bilinear resize, align_corners=False, edge-clamped into the crop [c0, c0 + n).
fn resizeSource(q: f32, c0: f32, n: f32, o: f32) -> f32 {
  let s = (q + 0.5) * (n / o) - 0.5;
  return c0 + clamp(s, 0.0, n - 1.0);
}

fn tapsAt(x: u32, y: u32) -> Taps {
  let o = f32(P.outSize);
  var qx = f32(x);
  var qy = f32(y);
  var m = 1.0;
  if (P.warp != 0u) {
    let u = f32(x) + 0.5;
    let v = f32(y) + 0.5;
    let den = P.k1.z * u + P.k1.w * v + 1.0;
    qx = (P.k0.x * u + P.k0.y * v + P.k0.z) / den - 0.5;
    qy = (P.k0.w * u + P.k1.x * v + P.k1.y) / den - 0.5;
    m = coverage(qx, o) * coverage(qy, o);
    // A sample far outside (or a non-finite one) is pure fill; keep its taps in range.
    if (!(m > 0.0)) {
      m = 0.0;
      qx = 0.0;
      qy = 0.0;
    }
  }
  let sx = resizeSource(qx, P.crop.x, P.crop.z, o);
  let sy = resizeSource(qy, P.crop.y, P.crop.w, o);
  let fx0 = floor(sx);
  let fy0 = floor(sy);
  let fx = sx - fx0;
  let fy = sy - fy0;
  let ix = u32(fx0);
  let iy = u32(fy0);
  let ix1 = min(ix + 1u, u32(P.crop.x + P.crop.z) - 1u);
  let iy1 = min(iy + 1u, u32(P.crop.y + P.crop.w) - 1u);
  var t: Taps;
  t.idx = vec4u(iy * P.size + ix, iy * P.size + ix1, iy1 * P.size + ix, iy1 * P.size + ix1);
  t.w = m * vec4f((1.0 - fx) * (1.0 - fy), fx * (1.0 - fy), (1.0 - fx) * fy, fx * fy);
  t.fillW = 1.0 - m;
  return t;
}

@compute @workgroup_size(64)
fn augmentForward(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let p = linearId(gid, nwg);
  let outPlane = P.outSize * P.outSize;
  if (p >= outPlane) {
    return;
  }
  let t = tapsAt(p % P.outSize, p / P.outSize);
  let inPlane = P.size * P.size;
  for (var pl = 0u; pl < P.planes; pl++) {
    let b = pl * inPlane;
    let s = vec4f(src[b + t.idx.x], src[b + t.idx.y], src[b + t.idx.z], src[b + t.idx.w]);
    dst[pl * outPlane + p] = dot(t.w, s) + t.fillW * P.fill;
  }
}

@compute @workgroup_size(64)
fn absMax(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = linearId(gid, nwg);
  if (i >= P.planes * P.outSize * P.outSize) {
    return;
  }
  atomicMax(&scalars[0], bitcast<u32>(abs(src[i])));
}

@compute @workgroup_size(1)
fn prepScale() {
  atomicStore(&scalars[1], bitcast<u32>(fixedScale(atomicLoad(&scalars[0]), P.bound)));
}

@compute @workgroup_size(64)
fn augmentBackward(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let p = linearId(gid, nwg);
  let outPlane = P.outSize * P.outSize;
  if (p >= outPlane) {
    return;
  }
  let t = tapsAt(p % P.outSize, p / P.outSize);
  if (t.fillW >= 1.0) {
    return;
  }
  let scale = bitcast<f32>(atomicLoad(&scalars[1]));
  let inPlane = P.size * P.size;
  for (var pl = 0u; pl < P.planes; pl++) {
    let g = src[pl * outPlane + p];
    if (g == 0.0) {
      continue;
    }
    let b = pl * inPlane;
    atomicAdd(&acc[b + t.idx.x], toFixed(g * t.w.x, scale));
    atomicAdd(&acc[b + t.idx.y], toFixed(g * t.w.y, scale));
    atomicAdd(&acc[b + t.idx.z], toFixed(g * t.w.z, scale));
    atomicAdd(&acc[b + t.idx.w], toFixed(g * t.w.w, scale));
  }
}

@compute @workgroup_size(64)
fn augmentResolve(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = linearId(gid, nwg);
  if (i >= P.planes * P.size * P.size) {
    return;
  }
  dst[i] = fromFixed(atomicLoad(&acc[i]), bitcast<f32>(atomicLoad(&scalars[1])));
}
