import { describe, expect, it } from 'vitest';
import { validateManifest } from './schema.ts';
import { PinError } from './clipBundle.ts';
import { SD15, chooseSd15Variant, pinSd15, sd15ApproxBytes, sd15Bundle } from './sd15.ts';
import { MICRO_SD, MICRO_SD_IDS, microSdManifests, type FileRecord, type MicroUnetJson, type MicroVaeJson } from './sdMicro.ts';
import { MICRO_SD_MANIFESTS } from './sdMicroAssets.ts';
import { MODEL_MANIFESTS } from './index.ts';
import committedUnetJson from '../../assets/models/micro-unet/model.json';

const hex = (c: string) => c.repeat(64);
const committedUnet = committedUnetJson as unknown as MicroUnetJson;

function tinyVae(f: (name: string) => FileRecord): MicroVaeJson {
  return { id: 'micro-vae', config: { sampleSize: 64, latentChannels: 4, blockOutChannels: [32, 64, 64], scalingFactor: 0.7 }, files: { encoder: f('vae_encoder.onnx'), decoder: f('vae_decoder.onnx') }, preview: MICRO_SD.preview };
}

function microUnet(f: (name: string) => FileRecord): MicroUnetJson {
  const text = { vocabSize: 349, contextLength: 32, width: 128, layers: 3, heads: 4, mlpRatio: 4, layerNormEps: 1e-5, eotId: 348 };
  return {
    id: 'micro-unet', config: { sampleSize: 16, inChannels: 4, contextLength: 32, crossAttentionDim: 128 }, files: { unet: f('unet.onnx'), text: f('text_model.onnx') },
    tokenizer: { kind: 'microworld-words', contextLength: 32, vocabSize: 349 }, textEncoder: { from: 'micro-clip', projectionDim: 128, config: text },
  };
}

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
    const vae = tinyVae(f);
    const unet = microUnet(f);
    const { bundle, manifests } = microSdManifests(vae, unet);
    expect(bundle.scalingFactor).toBe(0.7);
    expect(bundle.latentSize).toBe(16);
    for (const m of manifests) expect(validateManifest(m)).toEqual([]);
    expect(manifests.find((m) => m.id === 'micro-vae-decoder')!.io.inputs[0]).toEqual({ name: 'latent_sample', dtype: 'float32', shape: ['batch', 4, 16, 16] });
  });

  it('serve the text encoder from the UNet\'s own folder, not from micro-CLIP\'s', () => {
    const f = (name: string) => ({ name, bytes: 10, sha256: hex('c') });
    const { bundle, manifests } = microSdManifests(tinyVae(f), microUnet(f));
    expect(bundle.models.textEncoder).toBe('micro-unet-text');
    expect(bundle.tokenizer).toEqual({ kind: 'microworld-words', contextLength: 32 });
    const text = manifests.find((m) => m.id === bundle.models.textEncoder)!;
    expect(text.files).toEqual([{ name: 'text_model.onnx', bytes: 10, sha256: hex('c'), url: 'models/micro-unet/text_model.onnx' }]);
    expect(text.io.inputs).toEqual([{ name: 'input_ids', dtype: 'int64', shape: ['batch_size', 32] }]);
    expect(text.io.outputs[1]).toEqual({ name: 'last_hidden_state', dtype: 'float32', shape: ['batch_size', 32, 128] });
    expect(new Set(manifests.map((m) => m.id))).toEqual(new Set(Object.values(bundle.models)));
  });

  it('refuse a text encoder whose width or length does not fit the UNet\'s cross-attention', () => {
    const f = (name: string) => ({ name, bytes: 10, sha256: hex('d') });
    const u = microUnet(f);
    expect(() => microSdManifests(tinyVae(f), { ...u, textEncoder: { ...u.textEncoder, config: { ...u.textEncoder.config, width: 64 } } })).toThrow(/does not fit/);
    expect(() => microSdManifests(tinyVae(f), { ...u, tokenizer: { ...u.tokenizer, contextLength: 16 } })).toThrow(/does not fit/);
  });

  it('the committed stack: micro-unet-text is the copy recorded in micro-unet/model.json, under the UNet\'s folder', () => {
    const text = MICRO_SD_MANIFESTS.find((m) => m.id === MICRO_SD_IDS.textEncoder)!;
    expect(text.files[0]).toEqual({ ...committedUnet.files.text, url: `models/micro-unet/${committedUnet.files.text.name}` });
    expect(MICRO_SD_MANIFESTS.map((m) => m.id).sort()).toEqual(Object.values(MICRO_SD_IDS).sort());
    // Exactly one manifest per id across the studio: the diffusion copy does not shadow micro-CLIP's tower.
    const ids = MODEL_MANIFESTS.map((m) => m.id);
    expect(ids.filter((id) => id === MICRO_SD_IDS.textEncoder)).toHaveLength(1);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
