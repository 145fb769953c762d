// Shared WGSL helpers, prepended to kernels that scatter-add (WGSL has no float atomics).
// Fixed point: a float v is accumulated as round(v * scale) in an atomic<i32>. The scale is a
// power of two chosen on the GPU from max|input| and a bound on how many inputs can land in one
// accumulator, so sums never overflow 2^30 and resolution is as fine as that bound allows.

const WG: u32 = 64u;

// Thread index of a 1-D dispatch folded into 2-D (kernels.ts dispatch()).
fn linearId(gid: vec3u, nwg: vec3u) -> u32 {
  return gid.x + gid.y * nwg.x * WG;
}

fn toFixed(v: f32, scale: f32) -> i32 {
  return i32(clamp(round(v * scale), -2147483520.0, 2147483520.0));
}

fn fromFixed(a: i32, scale: f32) -> f32 {
  return f32(a) / scale;
}

// Largest power of two with maxAbs * bound * scale <= 2^30 (capped at 2^100 for all-zero input).
// log2 of the product is taken as a sum so tiny or huge values neither underflow nor overflow.
fn fixedScale(maxAbsBits: u32, bound: f32) -> f32 {
  let m = bitcast<f32>(maxAbsBits);
  if (!(m > 0.0)) {
    return exp2(100.0);
  }
  let e = floor(30.0 - log2(m) - log2(max(bound, 1.0)));
  return exp2(clamp(e, -100.0, 100.0));
}
