/**
 * DDPM forward process, for training the ε-prediction UNet:
 *   x_t = √ᾱ_t · x₀ + √(1 − ᾱ_t) · ε,   t ~ U{0 … T−1},   loss = ‖ε̂(x_t, t, c) − ε‖².
 *
 *   const t = sampleTimesteps(rng, batch, sched.numTrainTimesteps);
 *   addNoise(sched, x0, eps, t, perSample, out);
 */
import type { Prng } from '../prng.ts';
import type { NoiseSchedule } from './noiseSchedule.ts';

/** Uniform integer timesteps for a batch. */
export function sampleTimesteps(rng: Prng, batch: number, numTrainTimesteps: number): Int32Array {
  return Int32Array.from({ length: batch }, () => rng.int(numTrainTimesteps));
}

/**
 * Noisy samples for a batch laid out row-major with `perSample` values each: x_t[i] from x0[i],
 * eps[i] at timesteps[i]. Writes into `out` (may alias neither input) and returns it.
 */
export function addNoise(s: NoiseSchedule, x0: Float32Array, eps: Float32Array, timesteps: ArrayLike<number>, perSample: number, out = new Float32Array(x0.length)): Float32Array {
  if (x0.length !== eps.length || x0.length !== timesteps.length * perSample) {
    throw new Error(`addNoise: x0 ${x0.length}, eps ${eps.length} values for ${timesteps.length} samples of ${perSample}`);
  }
  for (let i = 0; i < timesteps.length; i++) {
    const ab = s.alphaBar(timesteps[i]);
    const a = Math.sqrt(ab), c = Math.sqrt(1 - ab);
    for (let k = i * perSample; k < (i + 1) * perSample; k++) out[k] = a * x0[k] + c * eps[k];
  }
  return out;
}
