/**
 * Stable Diffusion 1.5 in ONNX (the diffusers/optimum export layout: text_encoder, unet, vae_encoder,
 * vae_decoder), in two variants:
 *   - fp32: runwayml's `onnx` revision (UNet weights in external data `weights.pb`, 3.44 GB);
 *   - fp16: the same graphs converted to float16 (UNet ≈ 1.7 GB, external data; e.g. ORT's SD optimizer
 *     with --float16), chosen only when the WebGPU adapter has `shader-f16` (`chooseSd15Variant`). No
 *     canonical public fp16 export is pinned here: its URLs use the `user://` scheme, meaning the user
 *     supplies the files (or a base URL) in the Models window.
 * Sizes are the published rounded figures and sha256 are not known offline: files are pinned on first
 * load (trust on first use, as clipBundle.ts does), after which the standard loader verifies them.
 * Memory needs are declared so the Models window can warn before a multi-GB download.
 *
 * I/O (checked after loading): text_encoder input_ids [batch, 77] → last_hidden_state [batch, 77, 768];
 * unet sample [batch, 4, 64, 64], timestep [batch], encoder_hidden_states [batch, 77, 768] → out_sample;
 * vae_encoder sample [batch, 3, 512, 512] → latent_sample [batch, 4, 64, 64]; vae_decoder the reverse.
 * input_ids and timestep dtypes differ between exports (int32/int64, float/int64); the text2image
 * pipeline reads the session's declared dtype and feeds accordingly.
 */
import type { Capabilities } from '../runtime/Runtime.ts';
import { PinError, type SpecFile } from './clipBundle.ts';
import type { TensorDType } from '../runtime/Runtime.ts';
import type { ModelManifest } from './schema.ts';
import { type DiffusionBundle, SD15_LATENT_RGB } from './sdBundle.ts';

export type Sd15Variant = 'fp32' | 'fp16';
export type Sd15Part = 'textEncoder' | 'unet' | 'vaeEncoder' | 'vaeDecoder';

export interface Sd15PartSpec {
  /** Graph first, then external-data files (their names are the locations stored in the graph). */
  files: SpecFile[];
  io: ModelManifest['io'];
  needs: ModelManifest['needs'];
}

const RUNWAY = 'https://huggingface.co/runwayml/stable-diffusion-v1-5/resolve/onnx';
export const SD15_FP16_BASE = 'user://sd15-fp16';
const FP16 = SD15_FP16_BASE;
const GB = 1_000_000_000, MB = 1_000_000;

function io(dtype: TensorDType): Record<Sd15Part, ModelManifest['io']> {
  return {
    textEncoder: { inputs: [{ name: 'input_ids', dtype: 'int32', shape: ['batch', 77] }], outputs: [{ name: 'last_hidden_state', dtype, shape: ['batch', 77, 768] }] },
    unet: {
      inputs: [
        { name: 'sample', dtype, shape: ['batch', 4, 64, 64] },
        { name: 'timestep', dtype, shape: ['batch'] },
        { name: 'encoder_hidden_states', dtype, shape: ['batch', 77, 768] },
      ],
      outputs: [{ name: 'out_sample', dtype, shape: ['batch', 4, 64, 64] }],
    },
    vaeEncoder: { inputs: [{ name: 'sample', dtype, shape: ['batch', 3, 512, 512] }], outputs: [{ name: 'latent_sample', dtype, shape: ['batch', 4, 64, 64] }] },
    vaeDecoder: { inputs: [{ name: 'latent_sample', dtype, shape: ['batch', 4, 64, 64] }], outputs: [{ name: 'sample', dtype, shape: ['batch', 3, 512, 512] }] },
  };
}

const file = (base: string, path: string, approxBytes: number): SpecFile => ({ name: path.split('/').pop()!, approxBytes, url: `${base}/${path}` });

/** Per-part files and needs. Memory = weights + activations at batch 2 (CFG), 512×512, from public WebGPU SD reports. */
export const SD15: Record<Sd15Variant, Record<Sd15Part, Sd15PartSpec>> = {
  fp32: {
    textEncoder: { files: [file(RUNWAY, 'text_encoder/model.onnx', 492 * MB)], io: io('float32').textEncoder, needs: { memoryBytes: 0.8 * GB, minBufferBytes: 49408 * 768 * 4 } },
    unet: { files: [file(RUNWAY, 'unet/model.onnx', 1 * MB), file(RUNWAY, 'unet/weights.pb', 3438 * MB)], io: io('float32').unet, needs: { memoryBytes: 5.5 * GB, minBufferBytes: 2 * 8 * 4096 * 4096 * 4 } },
    vaeEncoder: { files: [file(RUNWAY, 'vae_encoder/model.onnx', 137 * MB)], io: io('float32').vaeEncoder, needs: { memoryBytes: 2.5 * GB, minBufferBytes: 4096 * 4096 * 4 } },
    vaeDecoder: { files: [file(RUNWAY, 'vae_decoder/model.onnx', 198 * MB)], io: io('float32').vaeDecoder, needs: { memoryBytes: 3 * GB, minBufferBytes: 4096 * 4096 * 4 } },
  },
  fp16: {
    textEncoder: { files: [file(FP16, 'text_encoder/model.onnx', 246 * MB)], io: io('float16').textEncoder, needs: { f16: true, memoryBytes: 0.5 * GB, minBufferBytes: 49408 * 768 * 2 } },
    unet: { files: [file(FP16, 'unet/model.onnx', 1 * MB), file(FP16, 'unet/weights.pb', 1720 * MB)], io: io('float16').unet, needs: { f16: true, memoryBytes: 3 * GB, minBufferBytes: 2 * 8 * 4096 * 4096 * 2 } },
    vaeEncoder: { files: [file(FP16, 'vae_encoder/model.onnx', 69 * MB)], io: io('float16').vaeEncoder, needs: { f16: true, memoryBytes: 1.3 * GB, minBufferBytes: 4096 * 4096 * 2 } },
    vaeDecoder: { files: [file(FP16, 'vae_decoder/model.onnx', 99 * MB)], io: io('float16').vaeDecoder, needs: { f16: true, memoryBytes: 1.6 * GB, minBufferBytes: 4096 * 4096 * 2 } },
  },
};

/** fp16 only where the adapter can run it (WebGPU with shader-f16); fp32 everywhere else. */
export function chooseSd15Variant(caps: Pick<Capabilities, 'webgpu' | 'shaderF16'>): Sd15Variant {
  return caps.webgpu && caps.shaderF16 ? 'fp16' : 'fp32';
}

export const sd15Id = (v: Sd15Variant, p: Sd15Part): string =>
  `sd15-${v}-${{ textEncoder: 'text-encoder', unet: 'unet', vaeEncoder: 'vae-encoder', vaeDecoder: 'vae-decoder' }[p]}`;

/** Approximate total download of a variant (for the Models window before pinning). */
export const sd15ApproxBytes = (v: Sd15Variant): number =>
  Object.values(SD15[v]).reduce((s, p) => s + p.files.reduce((a, f) => a + f.approxBytes, 0), 0);

/**
 * Exact manifests from actual bytes of every file of a variant (first download or the user's files);
 * throws PinError for a missing file or one whose known sha256 differs.
 */
export function pinSd15(v: Sd15Variant, files: Record<string, { bytes: number; sha256: string }>): ModelManifest[] {
  return (Object.keys(SD15[v]) as Sd15Part[]).map((p) => {
    const spec = SD15[v][p];
    const dir = spec.files[0].url.split('/').slice(-2, -1)[0];
    return {
      id: sd15Id(v, p), title: `Stable Diffusion 1.5 ${dir} (${v})`, task: 'text2image', source: 'url',
      io: spec.io, needs: spec.needs,
      files: spec.files.map((f) => {
        const key = `${dir}/${f.name}`;
        const got = files[key];
        if (!got) throw new PinError(key, `sd15-${v}: file ${key} is missing (expected about ${(f.approxBytes / MB).toFixed(0)} MB from ${f.url})`);
        if (f.sha256 && f.sha256 !== got.sha256) throw new PinError(key, `sd15-${v}: ${key} has sha256 ${got.sha256}, the published file has ${f.sha256}`);
        return { name: f.name, bytes: got.bytes, sha256: got.sha256, url: f.url };
      }),
    };
  });
}

/** The pipeline-side description of SD 1.5 (CLIP ViT-L/14 BPE tokenizer, 0.18215, 64² latents). */
export function sd15Bundle(v: Sd15Variant): DiffusionBundle {
  return {
    id: `sd15-${v}`, title: `Stable Diffusion 1.5 (${v})`,
    models: { textEncoder: sd15Id(v, 'textEncoder'), unet: sd15Id(v, 'unet'), vaeEncoder: sd15Id(v, 'vaeEncoder'), vaeDecoder: sd15Id(v, 'vaeDecoder') },
    tokenizer: { kind: 'bpe', files: { tokenizer: 'tokenizer/tokenizer.json', config: 'tokenizer/tokenizer_config.json' }, contextLength: 77 },
    scalingFactor: 0.18215, latentChannels: 4, latentSize: 64, imageSize: 512, contextDim: 768,
    preview: SD15_LATENT_RGB,
  };
}
