/**
 * A UNet session behind a small typed call: latents + timestep + context → ε. Feeds the timestep
 * the way the export declares it (float32 or int64; shape [batch] or [1]) and runs the CFG batch
 * when guidance ≠ 1. Also the VAE decoder/encoder calls, with the scaling factor applied. Float
 * tensors are fed and read in the dtype each session declares (float16 exports included).
 */
import type { Runtime, Session, Tensor } from '../../models/runtime/Runtime.ts';
import type { DiffusionBundle } from '../../models/manifests/sdBundle.ts';
import { applyGuidance, cfgBatch } from '../core/schedulers/cfg.ts';
import { floatFeed, readFloat } from './floatIo.ts';

export class UnetRunner {
  private readonly tDtype: 'float32' | 'int64';
  private readonly tBroadcast: boolean;

  constructor(readonly rt: Runtime, readonly session: Session, readonly bundle: DiffusionBundle) {
    const need = ['sample', 'timestep', 'encoder_hidden_states'];
    const missing = need.filter((n) => !session.inputNames.includes(n));
    if (missing.length || !session.outputNames.includes('out_sample')) {
      throw new Error(`text2image: UNet I/O contract not met (inputs ${session.inputNames.join(', ')}; outputs ${session.outputNames.join(', ')}); want ${need.join(', ')} → out_sample`);
    }
    const t = session.inputs.find((i) => i.name === 'timestep');
    this.tDtype = t?.dtype === 'int64' ? 'int64' : 'float32';
    this.tBroadcast = t?.shape?.length === 1 && t.shape[0] === 1;
  }

  get latentDims(): number[] {
    const b = this.bundle;
    return [b.latentChannels, b.latentSize, b.latentSize];
  }

  /** Raw ε for a batch: x [n, C, h, w], context [n, L, D]. */
  async predict(x: Float32Array, n: number, t: number, context: Float32Array, extra: Record<string, Tensor> = {}, fetch: string[] = ['out_sample']): Promise<Record<string, Float32Array>> {
    const [C, h, w] = this.latentDims;
    const L = context.length / n / this.bundle.contextDim;
    const ts = this.tBroadcast ? 1 : n;
    const timestep = this.tDtype === 'int64'
      ? this.rt.tensor('int64', BigInt64Array.from({ length: ts }, () => BigInt(Math.round(t))), [ts])
      : floatFeed(this.rt, this.session, 'timestep', new Float32Array(ts).fill(t), [ts]);
    const out = await this.session.run({
      sample: floatFeed(this.rt, this.session, 'sample', x, [n, C, h, w]),
      timestep,
      encoder_hidden_states: floatFeed(this.rt, this.session, 'encoder_hidden_states', context, [n, L, this.bundle.contextDim]),
      ...extra,
    }, fetch);
    const res: Record<string, Float32Array> = {};
    for (const k of fetch) {
      res[k] = await readFloat(this.rt, out[k]);
      out[k].dispose?.();
    }
    return res;
  }

  /**
   * Guided ε for one sample: with guidance w ≠ 1, runs [uncond, cond] as one batch and mixes;
   * with w = 1 only the conditional half. contexts = [uncond; cond] ([2, L, D]).
   */
  async guidedEps(x: Float32Array, t: number, contexts: Float32Array, w: number): Promise<Float32Array> {
    if (w === 1) return (await this.predict(x, 1, t, contexts.subarray(contexts.length / 2))).out_sample;
    return applyGuidance((await this.predict(cfgBatch(x), 2, t, contexts)).out_sample, w);
  }
}

/** latents (scaled) [n, C, h, w] → images [n, 3, H, W] in ≈[−1, 1]. */
export async function decodeLatents(rt: Runtime, decoder: Session, b: DiffusionBundle, latents: Float32Array, n: number): Promise<Float32Array> {
  const z = latents.map((v) => v / b.scalingFactor);
  const out = await decoder.run({ latent_sample: floatFeed(rt, decoder, 'latent_sample', z, [n, b.latentChannels, b.latentSize, b.latentSize]) }, ['sample']);
  const img = await readFloat(rt, out.sample);
  out.sample.dispose?.();
  return img;
}

/** images [n, 3, H, W] in [−1, 1] → latents (scaled by the bundle's factor; posterior mean). */
export async function encodeImages(rt: Runtime, encoder: Session, b: DiffusionBundle, images: Float32Array, n: number): Promise<Float32Array> {
  const out = await encoder.run({ sample: floatFeed(rt, encoder, 'sample', images, [n, 3, b.imageSize, b.imageSize]) }, ['latent_sample']);
  const z = (await readFloat(rt, out.latent_sample)).map((v) => v * b.scalingFactor);
  out.latent_sample.dispose?.();
  return z;
}

/** [3, H, W] in [−1, 1] → interleaved RGB bytes. */
export function toRgb8(img: Float32Array, size: number, offset = 0): Uint8Array {
  const hw = size * size, out = new Uint8Array(hw * 3);
  for (let p = 0; p < hw; p++) for (let c = 0; c < 3; c++) out[p * 3 + c] = Math.max(0, Math.min(255, Math.round((img[offset + c * hw + p] + 1) * 127.5)));
  return out;
}

/** Interleaved RGB bytes → [3, H, W] in [−1, 1]. */
export function fromRgb8(rgb: Uint8Array, size: number, out = new Float32Array(3 * size * size), offset = 0): Float32Array {
  const hw = size * size;
  for (let p = 0; p < hw; p++) for (let c = 0; c < 3; c++) out[offset + c * hw + p] = rgb[p * 3 + c] / 127.5 - 1;
  return out;
}
