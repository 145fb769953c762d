/** Shared helpers for tests of the diffusion zoo: run a model on onnxruntime-node with named Float32 feeds. */
import * as ort from 'onnxruntime-node';
import type { Model } from '../../graph/ir.ts';
import { encodeModel } from '../../graph/encode.ts';
import { Prng } from '../../data/microworld/prng.ts';
import type { UnetConfig } from './config.ts';

export interface F32 { dims: number[]; data: Float32Array }

export async function runF32(model: Model, feeds: Record<string, F32>): Promise<Record<string, F32>> {
  const s = await ort.InferenceSession.create(encodeModel(model), { intraOpNumThreads: 1 });
  try {
    const out = await s.run(Object.fromEntries(Object.entries(feeds).map(([k, v]) => [k, new ort.Tensor('float32', v.data, v.dims)])));
    return Object.fromEntries(Object.entries(out).map(([k, t]) => [k, { dims: [...t.dims], data: t.data as Float32Array }]));
  } finally {
    await s.release();
  }
}

export const randnF32 = (dims: number[], seed: string, std = 1): F32 =>
  ({ dims, data: new Prng(seed).fillNormal(new Float32Array(dims.reduce((a, b) => a * b, 1)), std) });

/** sample/timestep/context feeds for a UNet config and batch. */
export function unetFeeds(c: UnetConfig, batch: number, seed = 'feeds'): Record<string, F32> {
  return {
    sample: randnF32([batch, c.inChannels, c.sampleSize, c.sampleSize], `${seed}:x`),
    timestep: { dims: [batch], data: Float32Array.from({ length: batch }, (_, i) => 100 + 400 * i) },
    encoder_hidden_states: randnF32([batch, c.contextLength, c.crossAttentionDim], `${seed}:c`),
  };
}
