/**
 * Vertex-space pieces of the stylizer (xmesh.md §2.1, §2.6, §9.3):
 *   - the network input (normalized original positions, optional symmetry and standardize),
 *   - displaced + renormalized positions v' = (v + d − c)/s with c = mean, s = max radius,
 *   - the EXACT adjoint of that renormalization (§9.3 leaves exact vs. frozen (c, s) open: we use
 *     the exact Jacobian; it costs O(N) and couples all vertices through c and s as the reference's
 *     autograd does).
 */

export interface FieldInputOptions {
  /** x.z ← |x.z| (mirror across z = 0, the left-right axis for the +X front camera). */
  symmetry: boolean;
  /** Per-channel z-score over vertices (unbiased std). */
  standardize: boolean;
}

export function fieldInput(positions: Float32Array, o: FieldInputOptions): Float32Array {
  const x = Float32Array.from(positions);
  const n = x.length / 3;
  if (o.symmetry) for (let i = 0; i < n; i++) x[i * 3 + 2] = Math.abs(x[i * 3 + 2]);
  if (o.standardize && n > 1) {
    for (let c = 0; c < 3; c++) {
      let m = 0;
      for (let i = 0; i < n; i++) m += x[i * 3 + c];
      m /= n;
      let v = 0;
      for (let i = 0; i < n; i++) v += (x[i * 3 + c] - m) ** 2;
      const sd = Math.sqrt(v / (n - 1)) || 1;
      for (let i = 0; i < n; i++) x[i * 3 + c] = (x[i * 3 + c] - m) / sd;
    }
  }
  return x;
}

export interface Renormalized {
  positions: Float32Array;
  center: [number, number, number];
  scale: number;
  /** Vertex at the maximum radius (receives the scale's gradient). */
  argmax: number;
}

/** v' = (base + offsets − c)/s, c = mean of the displaced vertices, s = their max distance to c. */
export function displaceAndNormalize(base: Float32Array, offsets: Float32Array): Renormalized {
  const n = base.length / 3;
  const p = new Float32Array(base.length);
  const c: [number, number, number] = [0, 0, 0];
  for (let i = 0; i < base.length; i++) {
    p[i] = base[i] + offsets[i];
    c[i % 3] += p[i];
  }
  for (let k = 0; k < 3; k++) c[k] /= n;
  let s = 0, argmax = 0;
  for (let i = 0; i < n; i++) {
    const r = Math.hypot(p[i * 3] - c[0], p[i * 3 + 1] - c[1], p[i * 3 + 2] - c[2]);
    if (r > s) { s = r; argmax = i; }
  }
  if (!(s > 0)) throw new Error('displaceAndNormalize: all vertices coincide');
  for (let i = 0; i < n; i++) for (let k = 0; k < 3; k++) p[i * 3 + k] = (p[i * 3 + k] - c[k]) / s;
  return { positions: p, center: c, scale: s, argmax };
}

/**
 * dL/d(offsets) from dL/d(v'). With v'_i = (p_i − c)/s:
 *   dL/dp_i = g_i/s − (1/N) Σ_j g_j/s + (dL/ds) · u · (δ_ik − 1/N),
 *   dL/ds = −Σ_j g_j·v'_j / s,  u = v'_k (the unit direction of the farthest vertex k).
 */
export function displaceAndNormalizeBackward(r: Renormalized, dNormalized: Float32Array): Float32Array {
  const n = r.positions.length / 3, s = r.scale, v = r.positions, g = dNormalized;
  const mean: [number, number, number] = [0, 0, 0];
  let dS = 0;
  for (let i = 0; i < g.length; i++) {
    mean[i % 3] += g[i] / n;
    dS -= (g[i] * v[i]) / s;
  }
  const k = r.argmax;
  const u = [v[k * 3], v[k * 3 + 1], v[k * 3 + 2]];
  const out = new Float32Array(g.length);
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < 3; a++) {
      const j = i * 3 + a;
      out[j] = (g[j] - mean[a]) / s + dS * u[a] * ((i === k ? 1 : 0) - 1 / n);
    }
  }
  return out;
}
