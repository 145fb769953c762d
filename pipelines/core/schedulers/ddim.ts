/**
 * DDIM sampling with η and deterministic DDIM inversion (Song et al. 2021; the inversion as
 * used by Null-text Inversion / DPL: ε is predicted at the current, less noisy latent).
 *
 *   const ts = ddimTimesteps(50, 1000);                          // [981, 961, …, 1] (SD: leading, offset 1)
 *   x = ddimStep(sched, eps, ts[i], ts[i + 1] ?? -1, x, { eta, noise });
 *   z = ddimInvertStep(sched, eps, tPrev, t, z);                  // tPrev < t, inverse of the η = 0 step
 */
import type { NoiseSchedule } from './noiseSchedule.ts';

/** SD's DDIM timesteps: "leading" spacing with steps_offset 1, descending. */
export function ddimTimesteps(steps: number, numTrainTimesteps = 1000, offset = 1): number[] {
  if (!Number.isInteger(steps) || steps < 1 || steps > numTrainTimesteps) throw new RangeError(`steps must be an integer in [1, ${numTrainTimesteps}], got ${steps}`);
  const ratio = Math.floor(numTrainTimesteps / steps);
  return Array.from({ length: steps }, (_, i) => Math.min(numTrainTimesteps - 1, (steps - 1 - i) * ratio + offset));
}

export interface DdimStepOptions {
  /** 0 = deterministic DDIM; 1 ≈ DDPM ancestral sampling. */
  eta?: number;
  /** Standard normal noise of x's size; required when η > 0. */
  noise?: Float32Array;
  /** Clip the x₀ estimate to ±clipSample (disabled by default, as in SD). */
  clipSample?: number;
}

/** x₀ estimate from x_t and ε at ᾱ_t. */
export function predictX0(eps: Float32Array, x: Float32Array, alphaBar: number, out = new Float32Array(x.length)): Float32Array {
  const a = Math.sqrt(alphaBar), c = Math.sqrt(1 - alphaBar);
  for (let i = 0; i < x.length; i++) out[i] = (x[i] - c * eps[i]) / a;
  return out;
}

/** One DDIM step x_t → x_{tPrev} (tPrev < t; −1 = the final step to ᾱ₀). Returns a new array. */
export function ddimStep(s: NoiseSchedule, eps: Float32Array, t: number, tPrev: number, x: Float32Array, o: DdimStepOptions = {}): Float32Array {
  if (eps.length !== x.length) throw new Error(`ddimStep: eps has ${eps.length} values, x ${x.length}`);
  const eta = o.eta ?? 0;
  const ab = s.alphaBar(t), abPrev = s.alphaBar(tPrev);
  const sigma = eta * Math.sqrt((1 - abPrev) / (1 - ab)) * Math.sqrt(Math.max(0, 1 - ab / abPrev));
  if (sigma > 0 && (!o.noise || o.noise.length !== x.length)) throw new Error('ddimStep: η > 0 needs `noise` of the same size as x');
  const x0 = predictX0(eps, x, ab);
  const a = Math.sqrt(abPrev), d = Math.sqrt(Math.max(0, 1 - abPrev - sigma * sigma));
  const out = new Float32Array(x.length);
  const clipV = o.clipSample;
  if (clipV !== undefined) {
    // ε is re-derived from the clipped x₀ (diffusers does the same) so the step stays consistent.
    const sa = Math.sqrt(ab), sc = Math.sqrt(1 - ab);
    for (let i = 0; i < x.length; i++) {
      const x0c = Math.max(-clipV, Math.min(clipV, x0[i]));
      const e = (x[i] - sa * x0c) / sc;
      out[i] = a * x0c + d * e + (sigma > 0 ? sigma * o.noise![i] : 0);
    }
    return out;
  }
  for (let i = 0; i < x.length; i++) out[i] = a * x0[i] + d * eps[i] + (sigma > 0 ? sigma * o.noise![i] : 0);
  return out;
}

/**
 * One deterministic inversion step z_{tPrev} → z_t (tPrev < t, tPrev = −1 for the first step from
 * the clean latent), with ε predicted at z_{tPrev}: z_t = √ᾱ_t · x̂₀ + √(1 − ᾱ_t) · ε.
 */
export function ddimInvertStep(s: NoiseSchedule, eps: Float32Array, tPrev: number, t: number, z: Float32Array): Float32Array {
  if (eps.length !== z.length) throw new Error(`ddimInvertStep: eps has ${eps.length} values, z ${z.length}`);
  const x0 = predictX0(eps, z, s.alphaBar(tPrev));
  const ab = s.alphaBar(t), a = Math.sqrt(ab), c = Math.sqrt(1 - ab);
  for (let i = 0; i < z.length; i++) x0[i] = a * x0[i] + c * eps[i];
  return x0;
}

/**
 * The (tPrev, t) pairs of a full inversion over the sampling timesteps, in inversion order:
 * [(−1, 1), (1, 21), …, (961, 981)] for 50 steps. ε for pair k is evaluated at timestep t (as
 * NTI/DPL do: the UNet is asked about the *target* noise level while seeing z_{tPrev}).
 */
export function inversionPairs(timesteps: readonly number[]): [number, number][] {
  const asc = [...timesteps].reverse();
  return asc.map((t, k) => [k === 0 ? -1 : asc[k - 1], t]);
}
