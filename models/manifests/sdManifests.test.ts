import { describe, expect, it } from 'vitest';
import { validateManifest } from './schema.ts';
import { PinError } from './clipBundle.ts';
import { SD15, chooseSd15Variant, pinSd15, sd15ApproxBytes, sd15Bundle } from './sd15.ts';
import { MICRO_SD, microSdManifests, type MicroUnetJson, type MicroVaeJson } from './sdMicro.ts';

const hex = (c: string) => c.repeat(64);

describe('SD 1.5 manifests', () => {
  it('pick fp16 only with shader-f16 on WebGPU', () => {
    expect(chooseSd15Variant({ webgpu: true, shaderF16: true })).toBe('fp16');
    expect(chooseSd15Variant({ webgpu: true, shaderF16: false })).toBe('fp32');
    expect(chooseSd15Variant({ webgpu: false, shaderF16: true })).toBe('fp32');
  });

  it('declare SD export I/O, external data and memory needs; fp16 needs f16', () => {
    for (const v of ['fp32', 'fp16'] as const) {
      const unet = SD15[v].unet;
      expect(unet.io.inputs.map((i) => i.name)).toEqual(['sample', 'timestep', 'encoder_hidden_states']);
      expect(unet.io.outputs[0].name).toBe('out_sample');
      expect(unet.files.map((f) => f.name)).toEqual(['model.onnx', 'weights.pb']);
      for (const p of Object.values(SD15[v])) {
        expect(p.needs.memoryBytes).toBeGreaterThan(1e8);
        expect(p.needs.f16 ?? false).toBe(v === 'fp16');
      }
    }
    expect(sd15ApproxBytes('fp32')).toBeGreaterThan(4e9);
    expect(sd15ApproxBytes('fp16')).toBeLessThan(sd15ApproxBytes('fp32'));
    expect(sd15Bundle('fp16').scalingFactor).toBe(0.18215);
  });

  it('pin exact manifests from files, refusing a missing file', () => {
    const files = Object.fromEntries(Object.values(SD15.fp32).flatMap((p) => p.files.map((f) => {
      const dir = p.files[0].url.split('/').slice(-2, -1)[0];
      return [`${dir}/${f.name}`, { bytes: 1000, sha256: hex('a') }];
    })));
    const ms = pinSd15('fp32', files);
    expect(ms.map((m) => m.id)).toEqual(['sd15-fp32-text-encoder', 'sd15-fp32-unet', 'sd15-fp32-vae-encoder', 'sd15-fp32-vae-decoder']);
    for (const m of ms) expect(validateManifest(m)).toEqual([]);
    expect(ms[1].files.map((f) => f.name)).toEqual(['model.onnx', 'weights.pb']);
    const { 'unet/weights.pb': _gone, ...partial } = files;
    expect(() => pinSd15('fp32', partial)).toThrow(PinError);
  });
});

describe('micro SD manifests', () => {
  it('come from the recipes\' model.json files with the SD I/O contract', () => {
    const f = (name: string) => ({ name, bytes: 10, sha256: hex('b') });
    const vae: MicroVaeJson = { id: 'micro-vae', config: { sampleSize: 64, latentChannels: 4, blockOutChannels: [32, 64, 64], scalingFactor: 0.7 }, files: { encoder: f('vae_encoder.onnx'), decoder: f('vae_decoder.onnx') }, preview: MICRO_SD.preview };
    const unet: MicroUnetJson = { id: 'micro-unet', config: { sampleSize: 16, inChannels: 4, contextLength: 32, crossAttentionDim: 128 }, files: { unet: f('unet.onnx') } };
    const { bundle, manifests } = microSdManifests(vae, unet);
    expect(bundle.scalingFactor).toBe(0.7);
    expect(bundle.latentSize).toBe(16);
    for (const m of manifests) expect(validateManifest(m)).toEqual([]);
    expect(manifests.find((m) => m.id === 'micro-vae-decoder')!.io.inputs[0]).toEqual({ name: 'latent_sample', dtype: 'float32', shape: ['batch', 4, 16, 16] });
  });
});
