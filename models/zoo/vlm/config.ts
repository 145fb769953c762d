/**
 * micro-VLM configuration: micro-CLIP patch tokens (the image tower's `last_hidden_state`,
 * [1, T, W]) → a 2-layer GELU projector (LLaVA's mlp2x_gelu) → a pre-LN decoder-only LM with
 * learned absolute positions. Positions are added once at the embedding, so a token keeps its
 * original position after visual tokens are dropped (DyVTE keeps position ids; spec B3.4).
 *
 * Sequence layout (one image, batch 1 at inference):
 *   [v_0 … v_{Nv−1}] [<sot> prompt words <eot>] [answer words <eot>]
 * The last prompt token (<eot>) emits the first answer token; the DyVTE gate reads the mean of
 * the other prompt tokens and that last one (spec B2).
 */
export interface VlmConfig {
  /** Width W of the visual tokens (micro-CLIP vision width). */
  visionWidth: number;
  /** Visual tokens per image (micro-CLIP: 64 patches + class token). */
  visualTokens: number;
  vocabSize: number;
  width: number;
  layers: number;
  heads: number;
  /** MLP hidden = mlpRatio · width. */
  mlpRatio: number;
  /** Size of the learned position table (visual + prompt + answer). */
  maxPositions: number;
  layerNormEps: number;
  /** Hidden width of each DyVTE gate (paper: 2048 on 2d inputs; tiny here, see spec B9.5). */
  gateHidden: number;
}

/** The micro-VLM trained on Microworld: width 96, 6 layers (~0.75 M LM params). */
export function microVlmConfig(vocabSize: number): VlmConfig {
  return {
    visionWidth: 128, visualTokens: 65, vocabSize, width: 96, layers: 6, heads: 4, mlpRatio: 4,
    maxPositions: 128, layerNormEps: 1e-5, gateHidden: 64,
  };
}

/** Prompt words are capped so visual + prompt + answer always fit the position table. */
export const MAX_PROMPT_TOKENS = 24;
export const MAX_ANSWER_TOKENS = 24;

export function checkConfig(c: VlmConfig): void {
  if (c.width % c.heads) throw new Error(`vlm: width ${c.width} is not divisible by heads ${c.heads}`);
  if (c.visualTokens + MAX_PROMPT_TOKENS + MAX_ANSWER_TOKENS > c.maxPositions) {
    throw new Error(`vlm: maxPositions ${c.maxPositions} < ${c.visualTokens} visual + ${MAX_PROMPT_TOKENS} prompt + ${MAX_ANSWER_TOKENS} answer tokens`);
  }
}

/**
 * Forward FLOPs (2 per multiply-add) of one decoder layer run on S new tokens with P cached
 * ones: q/k/v/o projections, QKᵀ and PV over P+S keys, and the MLP. Norms, softmax and
 * elementwise ops are O(S·d) and left out, as in the FastV/DyVTE FLOPs convention.
 */
export function layerFlops(c: VlmConfig, S: number, P: number): number {
  const d = c.width, m = c.mlpRatio * d;
  return 2 * S * d * d * 4 + 2 * 2 * S * (P + S) * d + 2 * 2 * S * d * m;
}

/** LM head FLOPs for `S` positions (final norm ignored). */
export const headFlops = (c: VlmConfig, S: number): number => 2 * S * c.width * c.vocabSize;
