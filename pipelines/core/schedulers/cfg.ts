/**
 * Classifier-free guidance: the UNet runs on a batch [uncond × n, cond × n] and the two halves
 * are mixed ε = ε_u + w · (ε_c − ε_u). w = 1 is the conditional prediction alone; w = 0 the
 * unconditional one. Models learn both through caption dropout during training.
 */

/** Latents duplicated for the CFG batch: [x, x] (n samples each of `per` values). */
export function cfgBatch(x: Float32Array): Float32Array {
  const out = new Float32Array(2 * x.length);
  out.set(x, 0);
  out.set(x, x.length);
  return out;
}

/** Context batch [uncond, cond]: each [n, L, D] row-major. */
export function cfgContext(uncond: Float32Array, cond: Float32Array): Float32Array {
  if (uncond.length !== cond.length) throw new Error(`cfgContext: uncond ${uncond.length} vs cond ${cond.length} values`);
  const out = new Float32Array(2 * cond.length);
  out.set(uncond, 0);
  out.set(cond, cond.length);
  return out;
}

/** Split a [2n, …] prediction into its halves and mix them with guidance w. */
export function applyGuidance(pred: Float32Array, w: number): Float32Array {
  if (pred.length % 2) throw new Error(`applyGuidance: odd prediction length ${pred.length}`);
  const h = pred.length / 2;
  const out = new Float32Array(h);
  for (let i = 0; i < h; i++) out[i] = pred[i] + w * (pred[h + i] - pred[i]);
  return out;
}
