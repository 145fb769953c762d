/**
 * The micro latent-diffusion stack trained on Microworld: micro-UNet, micro-VAE and the text encoder
 * the UNet was trained against. Weights are written by `npm run train -- vae` / `-- unet` into
 * assets/models/micro-{unet,vae}/ with a model.json (files, sha256, config, scaling factor, preview
 * fit) that `microSdManifests` turns into manifests.
 *
 * The text encoder is a copy of a micro-CLIP text tower kept in the UNet's folder (`micro-unet-text`,
 * micro-unet/text_model.onnx), as Stable Diffusion ships its text_encoder inside its bundle: the
 * UNet's cross-attention only understands the context of the exact tower it was trained on, so
 * retraining micro-CLIP must not silently change what text2image draws.
 */
import type { TextConfig } from '../zoo/clip/config.ts';
import { clipTextIo } from './clipBundle.ts';
import type { ModelManifest } from './schema.ts';
import type { DiffusionBundle, LatentPreview } from './sdBundle.ts';

export const MICRO_SD_IDS = { textEncoder: 'micro-unet-text', unet: 'micro-unet', vaeDecoder: 'micro-vae-decoder', vaeEncoder: 'micro-vae-encoder' } as const;

export interface FileRecord { name: string; bytes: number; sha256: string }

/** Written by the VAE recipe beside the two VAE graphs. */
export interface MicroVaeJson {
  id: 'micro-vae';
  config: { sampleSize: number; latentChannels: number; blockOutChannels: number[]; scalingFactor: number };
  files: Record<'encoder' | 'decoder', FileRecord>;
  preview: LatentPreview;
  training?: Record<string, unknown>;
  evaluation?: Record<string, unknown>;
}

/** Written by the UNet recipe; `files.text` is the copy of the text tower it trained on (see the header). */
export interface MicroUnetJson {
  id: 'micro-unet';
  config: { sampleSize: number; inChannels: number; contextLength: number; crossAttentionDim: number };
  files: { unet: FileRecord; text: FileRecord };
  tokenizer: { kind: 'microworld-words'; contextLength: number; vocabSize: number };
  /** Where the text tower came from: the CLIP model id, its git commit when known, its width and embedding size. */
  textEncoder: { from: string; commit?: string; projectionDim: number; config: TextConfig; note?: string };
  training?: Record<string, unknown>;
}

export const MICRO_SD: DiffusionBundle = {
  id: 'micro-sd', title: 'micro latent diffusion (Microworld, 64×64)',
  models: { ...MICRO_SD_IDS },
  tokenizer: { kind: 'microworld-words', contextLength: 32 },
  scalingFactor: 1, latentChannels: 4, latentSize: 16, imageSize: 64, contextDim: 128,
  // Identity-ish map until the VAE recipe fits one (first three latent channels as RGB).
  preview: { weights: [[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0]], bias: [0, 0, 0] },
};

/** Bundle and manifests from the two model.json files (after training). */
export function microSdManifests(vae: MicroVaeJson, unet: MicroUnetJson): { bundle: DiffusionBundle; manifests: ModelManifest[] } {
  const S = vae.config.sampleSize, L = vae.config.latentChannels;
  const s = S / 2 ** (vae.config.blockOutChannels.length - 1);
  const m = (id: string, dir: string, f: FileRecord, io: ModelManifest['io'], title: string): ModelManifest => ({
    id, title, task: 'text2image', source: 'assets', files: [{ ...f, url: `models/${dir}/${f.name}` }], io, needs: { memoryBytes: 96 << 20 },
  });
  const c = unet.config, t = unet.textEncoder;
  if (t.config.width !== c.crossAttentionDim || t.config.contextLength !== c.contextLength || unet.tokenizer.contextLength !== c.contextLength) {
    throw new Error(`micro-unet: its text encoder (width ${t.config.width}, ${t.config.contextLength} tokens, tokenizer ${unet.tokenizer.contextLength}) does not fit the UNet's context (${c.crossAttentionDim} × ${c.contextLength})`);
  }
  const manifests = [
    m(MICRO_SD_IDS.textEncoder, 'micro-unet', unet.files.text, clipTextIo(t.projectionDim, t.config.width, t.config.contextLength), `micro-UNet text encoder (${t.from} text tower)`),
    m(MICRO_SD_IDS.vaeEncoder, 'micro-vae', vae.files.encoder, {
      inputs: [{ name: 'sample', dtype: 'float32', shape: ['batch', 3, S, S] }], outputs: [{ name: 'latent_sample', dtype: 'float32', shape: ['batch', L, s, s] }],
    }, 'micro-VAE encoder'),
    m(MICRO_SD_IDS.vaeDecoder, 'micro-vae', vae.files.decoder, {
      inputs: [{ name: 'latent_sample', dtype: 'float32', shape: ['batch', L, s, s] }], outputs: [{ name: 'sample', dtype: 'float32', shape: ['batch', 3, S, S] }],
    }, 'micro-VAE decoder'),
    m(MICRO_SD_IDS.unet, 'micro-unet', unet.files.unet, {
      inputs: [
        { name: 'sample', dtype: 'float32', shape: ['batch', c.inChannels, c.sampleSize, c.sampleSize] },
        { name: 'timestep', dtype: 'float32', shape: ['batch'] },
        { name: 'encoder_hidden_states', dtype: 'float32', shape: ['batch', c.contextLength, c.crossAttentionDim] },
      ],
      outputs: [{ name: 'out_sample', dtype: 'float32', shape: ['batch', c.inChannels, c.sampleSize, c.sampleSize] }],
    }, 'micro-UNet'),
  ];
  const tokenizer = { kind: 'microworld-words', contextLength: unet.tokenizer.contextLength } as const;
  return { bundle: { ...MICRO_SD, tokenizer, scalingFactor: vae.config.scalingFactor, latentChannels: L, latentSize: s, imageSize: S, contextDim: c.crossAttentionDim, preview: vae.preview }, manifests };
}
