/**
 * The DDIM loops over a UnetRunner, shared by text2image, inversion (DPL, eval) and editing:
 *   ddimSample: x_T → x_0 with CFG and η, calling `onStep` after every step (previews, cancel);
 *   ddimInvert: x_0 → x_T deterministically (ε at the current latent, conditional only, guidance 1),
 *               returning every intermediate latent (z*_0 … z*_T, as null-text inversion keeps them).
 */
import { NoiseSchedule } from '../core/schedulers/noiseSchedule.ts';
import { ddimInvertStep, ddimStep, ddimTimesteps, inversionPairs } from '../core/schedulers/ddim.ts';
import type { UnetRunner } from './unetRunner.ts';

export interface SampleOptions {
  steps: number;
  guidance: number;
  eta?: number;
  /** Standard-normal noise source for η > 0 (one array of the latent size per step). */
  noise?: () => Float32Array;
  /** After each step: i (0-based), timestep, the ε used and the latent before the step. */
  onStep?: (i: number, t: number, eps: Float32Array, before: Float32Array) => void | Promise<void>;
}

const sched = NoiseSchedule.sd();

/** contexts = [uncond; cond] rows ([2, L, D]). */
export async function ddimSample(unet: UnetRunner, xT: Float32Array, contexts: Float32Array, o: SampleOptions): Promise<Float32Array> {
  const ts = ddimTimesteps(o.steps, sched.numTrainTimesteps);
  let x = xT;
  for (let i = 0; i < ts.length; i++) {
    const eps = await unet.guidedEps(x, ts[i], contexts, o.guidance);
    const before = x;
    x = ddimStep(sched, eps, ts[i], ts[i + 1] ?? -1, x, (o.eta ?? 0) > 0 ? { eta: o.eta, noise: o.noise!() } : {});
    await o.onStep?.(i, ts[i], eps, before);
  }
  return x;
}

/** Deterministic DDIM inversion with the conditional context only ([1, L, D]). Returns [z_0, z_1, …, z_T]. */
export async function ddimInvert(unet: UnetRunner, z0: Float32Array, cond: Float32Array, steps: number): Promise<Float32Array[]> {
  const path = [z0];
  let z = z0;
  for (const [tPrev, t] of inversionPairs(ddimTimesteps(steps, sched.numTrainTimesteps))) {
    const eps = (await unet.predict(z, 1, t, cond)).out_sample;
    z = ddimInvertStep(sched, eps, tPrev, t, z);
    path.push(z);
  }
  return path;
}
