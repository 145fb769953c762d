/**
 * A latent-diffusion model is four ONNX graphs (text encoder, UNet, VAE encoder, VAE decoder) plus a
 * tokenizer and a few numbers the pipeline needs. Each graph is an ordinary ModelManifest (loader,
 * cache and Models window treat it like any model); a DiffusionBundle ties them together.
 * It is plain data (no functions), so it can travel in job params to the worker.
 */
import type { ClipTokenizerSpec } from './clipBundle.ts';

export interface LatentPreview {
  /** rgb[c] = Σ_k weights[c][k] · latent[k] + bias[c], in [−1, 1] (fit from VAE decodes). */
  weights: number[][];
  bias: number[];
}

export interface DiffusionBundle {
  id: string;
  title: string;
  /** Manifest ids of the four graphs. */
  models: { textEncoder: string; unet: string; vaeDecoder: string; vaeEncoder: string };
  tokenizer: ClipTokenizerSpec;
  /** latents = VAE mean · scalingFactor (SD 1.x: 0.18215). */
  scalingFactor: number;
  latentChannels: number;
  latentSize: number;
  imageSize: number;
  /** Width of the text encoder's last_hidden_state. */
  contextDim: number;
  preview: LatentPreview;
}

/**
 * SD 1.x latent → RGB factors used by community previewers (ComfyUI's latent_rgb_factors for SD 1.5),
 * scaled for latents already multiplied by 0.18215. The fallback before a VAE-specific fit exists.
 */
export const SD15_LATENT_RGB: LatentPreview = {
  weights: [[0.3512, 0.2297, 0.3227, -0.2147], [0.3267, 0.4362, 0.1939, -0.2838], [0.3279, 0.2178, 0.2655, -0.4787]],
  bias: [0, 0, 0],
};
