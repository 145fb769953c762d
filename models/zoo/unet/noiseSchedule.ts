/**
 * The diffusion noise schedule shared by training (DDPM, models/train/diffusion) and sampling (DDIM,
 * pipelines/core/schedulers, which re-exports it: models/ may not import pipelines/): SD 1.x's
 * "scaled_linear" betas (√β linear from √0.00085 to √0.012 over 1000 steps) and ᾱ_t = Π(1 − β).
 *
 *   const s = NoiseSchedule.sd();          // s.alphasCumprod[t], t ∈ [0, 999]
 */
export interface ScheduleConfig {
  numTrainTimesteps: number;
  betaStart: number;
  betaEnd: number;
  betaSchedule: 'scaled_linear' | 'linear';
}

export const SD_SCHEDULE: ScheduleConfig = { numTrainTimesteps: 1000, betaStart: 0.00085, betaEnd: 0.012, betaSchedule: 'scaled_linear' };

export class NoiseSchedule {
  readonly betas: Float64Array;
  readonly alphasCumprod: Float64Array;

  constructor(readonly config: ScheduleConfig = SD_SCHEDULE) {
    const T = config.numTrainTimesteps;
    if (!Number.isInteger(T) || T < 2) throw new RangeError(`numTrainTimesteps must be an integer ≥ 2, got ${T}`);
    this.betas = new Float64Array(T);
    this.alphasCumprod = new Float64Array(T);
    let prod = 1;
    for (let t = 0; t < T; t++) {
      const f = t / (T - 1);
      const beta = config.betaSchedule === 'scaled_linear'
        ? (Math.sqrt(config.betaStart) + f * (Math.sqrt(config.betaEnd) - Math.sqrt(config.betaStart))) ** 2
        : config.betaStart + f * (config.betaEnd - config.betaStart);
      this.betas[t] = beta;
      prod *= 1 - beta;
      this.alphasCumprod[t] = prod;
    }
  }

  static sd(): NoiseSchedule { return new NoiseSchedule(SD_SCHEDULE); }

  get numTrainTimesteps(): number { return this.config.numTrainTimesteps; }

  /** ᾱ at an integer timestep; t < 0 is the step after the last one (SD: set_alpha_to_one = False → ᾱ₀). */
  alphaBar(t: number): number {
    if (t < 0) return this.alphasCumprod[0];
    if (!Number.isInteger(t) || t >= this.numTrainTimesteps) throw new RangeError(`timestep ${t} outside [0, ${this.numTrainTimesteps - 1}]`);
    return this.alphasCumprod[t];
  }
}
