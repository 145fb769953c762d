/**
 * The real path: a Llama-family decoder (RMSNorm, rotary positions from explicit position ids,
 * grouped-query attention, SwiGLU MLP) whose image tokens live in the decoder stream — SmolVLM
 * (Idefics3: SigLIP → pixel-shuffle connector → SmolLM2). `LlamaVlmConfig` describes the LM; the
 * per-layer ONNX contract it is executed through is in ./contract.ts.
 */
export interface LlamaVlmConfig {
  hidden: number;
  layers: number;
  heads: number;
  kvHeads: number;
  headDim: number;
  intermediate: number;
  rmsEps: number;
  ropeTheta: number;
  vocabSize: number;
  /** Square side of the vision encoder's input (one tile, no image splitting). */
  imageSize: number;
  /** `<image>` tokens per tile (SmolVLM: 64 after the pixel shuffle). */
  imageTokens: number;
  /** Hidden width of the DyVTE gates (when a gates file is given). */
  gateHidden: number;
}

/**
 * SmolVLM-256M-Instruct (HuggingFaceTB): text_config of SmolLM2-135M — 30 layers, d 576,
 * 9 heads / 3 KV heads of 64, MLP 1536, RoPE θ 1e5, vocab 49280; SigLIP-B/16 at 512² gives 64
 * image tokens per tile after the ×4 pixel shuffle (spec B8). The loader checks hidden size, KV
 * heads and head dim against the sessions, so a different export is refused, not misread.
 */
export const SMOLVLM_256M: LlamaVlmConfig = {
  hidden: 576, layers: 30, heads: 9, kvHeads: 3, headDim: 64, intermediate: 1536, rmsEps: 1e-5, ropeTheta: 100_000,
  vocabSize: 49_280, imageSize: 512, imageTokens: 64, gateHidden: 256,
};

export function checkLlamaConfig(c: LlamaVlmConfig): void {
  if (c.heads % c.kvHeads) throw new Error(`llama-vlm: ${c.heads} heads are not a multiple of ${c.kvHeads} KV heads`);
  if (c.headDim % 2) throw new Error(`llama-vlm: head dim ${c.headDim} must be even (rotary halves)`);
}

/**
 * Forward FLOPs (2 per multiply-add) of one layer on S new tokens after P cached ones: q/o
 * projections (d × H·hd), k/v projections (d × kv·hd), QKᵀ and PV over P + S keys for every
 * query head, and the three SwiGLU matrices. Norms, rotary and softmax are O(S·d) and left out
 * (the FastV/DyVTE convention, spec B7).
 */
export function llamaLayerFlops(c: LlamaVlmConfig, S: number, P: number): number {
  const q = c.heads * c.headDim, kv = c.kvHeads * c.headDim;
  return 2 * S * (2 * c.hidden * q + 2 * c.hidden * kv) + 2 * 2 * S * (P + S) * q + 2 * 3 * S * c.hidden * c.intermediate;
}

export const llamaHeadFlops = (c: LlamaVlmConfig, S: number): number => 2 * S * c.hidden * c.vocabSize;
