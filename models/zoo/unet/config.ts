/**
 * micro-UNet configuration: the SD 1.x UNet2DConditionModel layout (CrossAttnDownBlock2D …
 * UpBlock2D, one transformer block per attention, GEGLU feed-forward, sinusoidal timestep
 * embedding with flip_sin_to_cos) at a size that trains on a CPU.
 */
export type DownBlockType = 'CrossAttnDownBlock2D' | 'DownBlock2D';
export type UpBlockType = 'CrossAttnUpBlock2D' | 'UpBlock2D';

export interface UnetConfig {
  /** Latent side (SD 1.5: 64; micro: 16). */
  sampleSize: number;
  inChannels: number;
  outChannels: number;
  blockOutChannels: number[];
  downBlockTypes: DownBlockType[];
  upBlockTypes: UpBlockType[];
  layersPerBlock: number;
  heads: number;
  /** Width of the text encoder's last_hidden_state (SD 1.5: 768). */
  crossAttentionDim: number;
  /** Text tokens (SD 1.5: 77). */
  contextLength: number;
  groups: number;
  /** Diffusion training steps the timestep values refer to. */
  numTrainTimesteps: number;
}

/**
 * micro-UNet: 16×16×4 latents, channels 64/80/96, attention at 16² and 8² (down and up) and
 * in the 4² mid block, context = micro-CLIP text (32 tokens × 128). ≈ 3.4 M params (13.6 MB fp32),
 * ≈ 50 ms per UNet pass per image on 2 CPU cores.
 */
export function microUnetConfig(contextLength = 32, crossAttentionDim = 128): UnetConfig {
  return {
    sampleSize: 16, inChannels: 4, outChannels: 4,
    blockOutChannels: [64, 80, 96],
    downBlockTypes: ['CrossAttnDownBlock2D', 'CrossAttnDownBlock2D', 'DownBlock2D'],
    upBlockTypes: ['UpBlock2D', 'CrossAttnUpBlock2D', 'CrossAttnUpBlock2D'],
    layersPerBlock: 1, heads: 4, crossAttentionDim, contextLength, groups: 8, numTrainTimesteps: 1000,
  };
}

/** A few-thousand-parameter UNet with the same block structure, for gradient checks and fast tests. */
export function tinyUnetConfig(): UnetConfig {
  return {
    sampleSize: 4, inChannels: 2, outChannels: 2,
    blockOutChannels: [4, 8],
    downBlockTypes: ['CrossAttnDownBlock2D', 'DownBlock2D'],
    upBlockTypes: ['UpBlock2D', 'CrossAttnUpBlock2D'],
    layersPerBlock: 1, heads: 2, crossAttentionDim: 6, contextLength: 3, groups: 2, numTrainTimesteps: 1000,
  };
}

/** The real SD 1.5 UNet's configuration (for documentation and manifest I/O; not built here). */
export const SD15_UNET: UnetConfig = {
  sampleSize: 64, inChannels: 4, outChannels: 4,
  blockOutChannels: [320, 640, 1280, 1280],
  downBlockTypes: ['CrossAttnDownBlock2D', 'CrossAttnDownBlock2D', 'CrossAttnDownBlock2D', 'DownBlock2D'],
  upBlockTypes: ['UpBlock2D', 'CrossAttnUpBlock2D', 'CrossAttnUpBlock2D', 'CrossAttnUpBlock2D'],
  layersPerBlock: 2, heads: 8, crossAttentionDim: 768, contextLength: 77, groups: 32, numTrainTimesteps: 1000,
};
