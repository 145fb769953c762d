// Uniforms shared by the shading kernels (shade, shadeBackward, normalBackward, gatherGrad);
// shadeGpu.ts prepends this once so the four layouts cannot drift apart. `bound` is the
// fixed-point bound (unused by the kernels that take it from the coverage counts).

struct Params {
  views: u32,
  nVerts: u32,
  nFaces: u32,
  size: u32,
  bg: vec4f,
  bound: f32,
  _p0: f32,
  _p1: f32,
  _p2: f32,
}

