import { describe, expect, it } from 'vitest';
import { gradCheck } from '../../graph/check/gradCheck.ts';
import { type F32, randnF32, runF32 } from '../unet/testing.ts';
import { type VaeConfig, latentSize, microVaeConfig, vaeDecoderGraph, vaeEncoderGraph, vaeFactor, vaeTrainForward } from './vaeGraphs.ts';

const tiny: VaeConfig = { sampleSize: 8, inChannels: 3, latentChannels: 4, blockOutChannels: [4, 8], layersPerBlock: 1, groups: 2, scalingFactor: 1 };

describe('micro-VAE graphs', () => {
  it('f = 4: 64×64×3 ↔ 16×16×4 with the SD export I/O and diffusers names', () => {
    const c = microVaeConfig();
    expect([vaeFactor(c), latentSize(c)]).toEqual([4, 16]);
    const enc = vaeEncoderGraph(c), dec = vaeDecoderGraph(c);
    expect(enc.graph.inputs[0]).toMatchObject({ name: 'sample', shape: ['batch', 3, 64, 64] });
    expect(enc.graph.outputs[0].name).toBe('latent_sample');
    expect(dec.graph.inputs[0]).toMatchObject({ name: 'latent_sample', shape: ['batch', 4, 16, 16] });
    expect(dec.graph.outputs[0].name).toBe('sample');
    for (const n of ['encoder.conv_in.weight', 'encoder.down_blocks.1.downsamplers.0.conv.weight', 'encoder.mid_block.attentions.0.to_q.weight', 'encoder.mid_block.attentions.0.group_norm.weight', 'quant_conv.weight']) expect(enc.graph.initializers.has(n), n).toBe(true);
    for (const n of ['post_quant_conv.weight', 'decoder.up_blocks.0.upsamplers.0.conv.weight', 'decoder.up_blocks.2.resnets.1.conv2.weight', 'decoder.conv_out.weight']) expect(dec.graph.initializers.has(n), n).toBe(true);
  });

  it('training loss = MSE(recon, x) + w·KL, and recon matches the decoder of the mean when noise is 0', async () => {
    const B = 2, s = latentSize(tiny);
    const x = randnF32([B, 3, 8, 8], 'x', 0.5);
    const noise: F32 = { dims: [B, 4, s, s], data: new Float32Array(B * 4 * s * s) };
    const w = 0.1;
    const out = await runF32(vaeTrainForward(tiny, B, 'seed', w).model, { sample: x, noise });
    const z = (await runF32(vaeEncoderGraph(tiny, { seed: 'seed' }), { sample: x })).latent_sample;
    const recon = (await runF32(vaeDecoderGraph(tiny, { seed: 'seed' }), { latent_sample: z })).sample;
    for (let i = 0; i < recon.data.length; i++) expect(out.recon.data[i]).toBeCloseTo(recon.data[i], 5);
    const mse = recon.data.reduce((a, v, i) => a + (v - x.data[i]) ** 2, 0) / recon.data.length;
    expect(out.mse.data[0]).toBeCloseTo(mse, 5);
    expect(out.loss.data[0]).toBeGreaterThan(out.mse.data[0]); // KL ≥ 0
  });

  it('gradients through encoder, sampling and decoder match finite differences', async () => {
    const B = 2, s = latentSize(tiny);
    const { model } = vaeTrainForward(tiny, B, 'gc', 0.1);
    const wrt = ['encoder.conv_in.weight', 'encoder.mid_block.attentions.0.to_k.weight', 'quant_conv.weight', 'post_quant_conv.weight', 'decoder.up_blocks.1.resnets.0.norm1.weight', 'decoder.conv_out.weight'];
    const r = await gradCheck(model, { wrt, feeds: { sample: randnF32([B, 3, 8, 8], 'gx', 0.5), noise: randnF32([B, 4, s, s], 'gn') }, output: 'loss', samples: 4 });
    expect(r.maxRelErr, JSON.stringify(r.worst)).toBeLessThan(1e-3);
  }, 60_000);
});
