// Final per-vertex gradients: dColors from the fixed-point color accumulators, dPositions as the
// sum of the vertex's face-corner gradients (normalBackward.wgsl) through a CSR adjacency built
// once per topology: csr[0..nVerts] are offsets into csr[nVerts+1..], entries face*3 + corner.
// Gathering instead of scattering keeps positions in plain f32. Prepended: fixedPoint.wgsl, shadeParams.wgsl.

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read> acc: array<i32>;
@group(0) @binding(2) var<storage, read> scalars: array<u32>;
@group(0) @binding(3) var<storage, read> cornerGrad: array<f32>;
@group(0) @binding(4) var<storage, read> csr: array<u32>;
@group(0) @binding(5) var<storage, read_write> dColors: array<f32>;
@group(0) @binding(6) var<storage, read_write> dPositions: array<f32>;

@compute @workgroup_size(64)
fn gatherGrad(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let k = linearId(gid, nwg);
  if (k >= P.nVerts) {
    return;
  }
  let scale = bitcast<f32>(scalars[1]);
  var g = vec3f(0.0);
  for (var e = csr[k]; e < csr[k + 1u]; e++) {
    let o = csr[P.nVerts + 1u + e] * 3u;
    g += vec3f(cornerGrad[o], cornerGrad[o + 1u], cornerGrad[o + 2u]);
  }
  for (var c = 0u; c < 3u; c++) {
    dColors[k * 3u + c] = fromFixed(acc[k * 3u + c], scale);
    dPositions[k * 3u + c] = g[c];
  }
}
