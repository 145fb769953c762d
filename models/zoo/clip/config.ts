/**
 * micro-CLIP configuration: a ViT image tower (zoo/vit.ts, HF CLIPVisionModel names) and a
 * causal text transformer (textTower.ts, HF CLIPTextModel names) projected into a shared
 * D-dimensional space, as in CLIP. Sizes are chosen so one training run fits ~25 minutes on
 * two shared CPU cores (see models/train/clip/recipe.ts) and the weights stay a few MB.
 */
import { type VitConfig, vitDefaults } from '../vit.ts';

export interface TextConfig {
  vocabSize: number;
  /** Fixed sequence length (CLIP: 77; micro: the word tokenizer's context length). */
  contextLength: number;
  width: number;
  layers: number;
  heads: number;
  mlpRatio: number;
  layerNormEps: number;
  /** Id of the end-of-text token; the text embedding is the hidden state at its first occurrence. */
  eotId: number;
}

export interface ClipConfig {
  vision: VitConfig;
  text: TextConfig;
  /** Shared embedding dimension D (CLIP ViT-B/32: 512). */
  projectionDim: number;
  /** Initial logit scale, as log(1/temperature) (CLIP: log(1/0.07)). */
  logitScaleInit: number;
  /**
   * Optional convolutional stem before the ViT (visionTower.ts): 3×3 convs with GELU. Either the
   * last conv has `stride` (the first stem), or `strides` gives each conv's stride; `groups` puts a
   * GroupNorm with that many groups after every conv.
   */
  stem?: { channels: number[]; stride: number; strides?: number[]; groups?: number };
}

/**
 * micro-CLIP: 64×64 input, 8×8 patches (64 + 1 tokens), width 128, 4 layers; text width 128,
 * 3 layers, context 32. `stem` puts a conv stem (16, 32 channels; stride 2) before 4×4 patches
 * of the 32×32 feature map (same 65 tokens) — an option; the committed weights have none.
 */
export function microClipConfig(vocabSize: number, eotId: number, contextLength = 32, stem: boolean | number[] | NonNullable<ClipConfig['stem']> = false): ClipConfig {
  const projectionDim = 128;
  return {
    vision: { ...vitDefaults, imageSize: 64, patchSize: 8, width: 128, layers: 4, heads: 4, headDim: projectionDim, head: 'visual_projection', pool: 'cls' },
    text: { vocabSize, contextLength, width: 128, layers: 3, heads: 4, mlpRatio: 4, layerNormEps: 1e-5, eotId },
    projectionDim,
    logitScaleInit: Math.log(1 / 0.07),
    ...(stem ? { stem: Array.isArray(stem) || stem === true ? { channels: stem === true ? [16, 32] : stem, stride: 2 } : stem } : {}),
  };
}

/**
 * The convolutional tower (recipe `--tower conv`): five 3×3 convs (16, 16, 32, 64, 128 channels;
 * strides 1, 2, 1, 2, 2) each with GroupNorm(8) and GELU turn 64×64 pixels into an 8×8 grid of
 * 128-d tokens, which the ViT embeds 1×1 (the same 64 + 1 tokens as 8×8 patches). Why: with
 * normalized convolutions a supervised shape classifier on Microworld leaves chance after ~400
 * steps; the plain ViT and the un-normalized stem were still near chance after 1,000+. The
 * stride-1 conv at 32×32 is for patterns: a small object's stripes have a 3.7-pixel period, which
 * a second stride right away aliases. PyTorch controls of the stem on shape and pattern (2,000
 * steps, joint shape prior): held-out pattern 0.874 → 0.906 and shape 0.878 → 0.912 against the
 * four-conv tower (16, 32, 64, 128; strides 1, 2, 2, 2). A 32-channel conv there did as well but
 * cost 1.8× per stem step in onnxruntime; 16 channels at 32×32 add 2.4 M MACs per image.
 */
export const CONV_TOWER: NonNullable<ClipConfig['stem']> = { channels: [16, 16, 32, 64, 128], stride: 2, strides: [1, 2, 1, 2, 2], groups: 8 };

/** CLIP's image normalization (OpenAI mean/std), shared by every CLIP-type model here. */
export const CLIP_MEAN = [0.48145466, 0.4578275, 0.40821073] as const;
export const CLIP_STD = [0.26862954, 0.26130258, 0.27577711] as const;
