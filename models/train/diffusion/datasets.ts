/**
 * Datasets for the diffusion recipes. Randomness per batch (VAE posterior noise; DDPM timesteps and
 * ε; caption choice and dropout) is seeded by the batch's sample indices, so a resumed run (same
 * loader state) replays exactly the same batches.
 */
import { Prng } from '../../data/microworld/prng.ts';
import type { Dataset, HostTensor } from '../DataLoader.ts';
import { NoiseSchedule } from '../../zoo/unet/noiseSchedule.ts';
import { GROUND_WEIGHT, type Grounding, fillGroundTargets, groundInput } from './grounding.ts';

const batchRng = (seed: string, indices: readonly number[]) => new Prng(`${seed}:${indices.join(',')}`);

/** Rows `indices` of a [n, per] array, packed into a new [B, per] one. */
function gatherRows(src: Float32Array, per: number, indices: readonly number[]): Float32Array {
  const out = new Float32Array(indices.length * per);
  indices.forEach((k, i) => out.set(src.subarray(k * per, (k + 1) * per), i * per));
  return out;
}

/** VAE: `sample` [B,3,S,S] in [−1,1] and `noise` [B,4,s,s] ~ N(0,1). */
export class VaeDataset implements Dataset {
  readonly size: number;
  private readonly per: number;
  constructor(private readonly images: Float32Array, private readonly imageSize: number, private readonly latent: [number, number], private readonly seed: string) {
    this.per = 3 * imageSize * imageSize;
    this.size = images.length / this.per;
  }

  collate(indices: readonly number[]): Record<string, HostTensor> {
    const B = indices.length, [L, s] = this.latent;
    const sample = gatherRows(this.images, this.per, indices);
    const noise = batchRng(this.seed, indices).fillNormal(new Float32Array(B * L * s * s), 1);
    return {
      sample: { dtype: 'float32', dims: [B, 3, this.imageSize, this.imageSize], data: sample },
      noise: { dtype: 'float32', dims: [B, L, s, s], data: noise },
    };
  }
}

/** Decoder fine-tune: `latent_sample` [B,L,s,s] (fixed encoder means) and the `sample` they came from. */
export class LatentDataset implements Dataset {
  readonly size: number;
  private readonly per: number;
  private readonly perLatent: number;
  constructor(private readonly latents: Float32Array, private readonly images: Float32Array, private readonly imageSize: number, private readonly latent: [number, number]) {
    this.per = 3 * imageSize * imageSize;
    this.perLatent = latent[0] * latent[1] * latent[1];
    this.size = images.length / this.per;
    if (latents.length !== this.size * this.perLatent) throw new Error(`LatentDataset: ${latents.length / this.perLatent} latents for ${this.size} images`);
  }

  collate(indices: readonly number[]): Record<string, HostTensor> {
    const B = indices.length, [L, s] = this.latent;
    return {
      latent_sample: { dtype: 'float32', dims: [B, L, s, s], data: gatherRows(this.latents, this.perLatent, indices) },
      sample: { dtype: 'float32', dims: [B, 3, this.imageSize, this.imageSize], data: gatherRows(this.images, this.per, indices) },
    };
  }
}

export interface UnetSamples {
  /** Scaled latents [n, C, s, s]. */
  latents: Float32Array;
  latentDims: [number, number, number];
  /** Token ids per caption [m, Lctx] and, per sample, the indices of its captions. */
  captionIds: Int32Array;
  captionsOf: number[][];
  /** Ids of the empty prompt (the unconditional context for CFG). */
  emptyIds: Int32Array;
  contextLength: number;
  /** Masks and grounded nouns for the token loss (`--ground`); `groundSizes` = its attention resolutions. */
  grounding?: Grounding;
  groundSizes?: number[];
}

/**
 * UNet: `sample` = x_t, `timestep` t, `input_ids` (a random true caption, or the empty prompt with
 * probability `dropout`), `target` = ε — the DDPM ε-prediction objective with caption dropout.
 */
export class UnetDataset implements Dataset {
  readonly size: number;
  private readonly sched = NoiseSchedule.sd();
  constructor(private readonly d: UnetSamples, private readonly seed: string, private readonly dropout = 0.1) {
    this.size = d.captionsOf.length;
  }

  collate(indices: readonly number[]): Record<string, HostTensor> {
    const rng = batchRng(this.seed, indices);
    const [C, s] = this.d.latentDims, per = C * s * s, B = indices.length, L = this.d.contextLength;
    const x = new Float32Array(B * per), eps = rng.fillNormal(new Float32Array(B * per), 1);
    const t = new Float32Array(B), ids = new BigInt64Array(B * L);
    const g = this.d.grounding;
    const targets = new Map((g ? this.d.groundSizes ?? [] : []).map((s) => [s, new Float32Array(B * s * s * L)]));
    const weight = new Float32Array(B * L);
    indices.forEach((k, i) => {
      const step = rng.int(this.sched.numTrainTimesteps);
      t[i] = step;
      const ab = this.sched.alphaBar(step), a = Math.sqrt(ab), c = Math.sqrt(1 - ab);
      for (let j = 0; j < per; j++) x[i * per + j] = a * this.d.latents[k * per + j] + c * eps[i * per + j];
      const caps = this.d.captionsOf[k];
      const cap = caps.length ? caps[rng.int(caps.length)] : -1;
      const dropped = cap < 0 || rng.chance(this.dropout);
      const src = dropped ? this.d.emptyIds : this.d.captionIds.subarray(cap * L, (cap + 1) * L);
      for (let j = 0; j < L; j++) ids[i * L + j] = BigInt(src[j]);
      // The empty prompt has no nouns: its row keeps weight 0.
      if (g && !dropped) fillGroundTargets(g, k, g.nounsOf[cap], i, L, targets, weight);
    });
    const ground: Record<string, HostTensor> = {};
    for (const [s, data] of targets) ground[groundInput(s)] = { dtype: 'float32', dims: [B, s * s, L], data };
    if (g) ground[GROUND_WEIGHT] = { dtype: 'float32', dims: [B, 1, L], data: weight };
    return {
      ...ground,
      sample: { dtype: 'float32', dims: [B, C, s, s], data: x },
      timestep: { dtype: 'float32', dims: [B], data: t },
      input_ids: { dtype: 'int64', dims: [B, L], data: ids },
      target: { dtype: 'float32', dims: [B, C, s, s], data: eps },
    };
  }
}
