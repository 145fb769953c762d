/**
 * OpenAI CLIP ViT-B/32 as published in ONNX (Xenova/clip-vit-base-patch32, fp32, the files
 * transformers.js loads): vision_model.onnx (224×224 input, 50 tokens of width 768, 512-d
 * image_embeds) and text_model.onnx (input_ids, 512-wide tokens, 512-d text_embeds), with the
 * model's own tokenizer.json / tokenizer_config.json (byte-level BPE, 77 tokens).
 *
 * Sizes are the hub's rounded figures; exact bytes are pinned on first load (clipBundle.ts).
 * sha256 of vision_model.onnx is the hub's LFS oid (commit 6ef1ebc); the others were not
 * available offline and are pinned on first load (trust on first use).
 */
import { type ClipSpec, clipTextIo, clipVisionIo } from './clipBundle.ts';

const base = 'https://huggingface.co/Xenova/clip-vit-base-patch32/resolve/main';

export const CLIP_VIT_B32: ClipSpec = {
  id: 'clip-vit-b32',
  title: 'CLIP ViT-B/32 (OpenAI, ONNX fp32)',
  vision: {
    file: { name: 'vision_model.onnx', approxBytes: 352_000_000, sha256: 'fd6e1402a588279d1723c7534d4bcba5bc0b14b47dfab0e46f8c47b8270d7d40', url: `${base}/onnx/vision_model.onnx` },
    io: clipVisionIo(224, 512, 50, 768),
  },
  text: {
    file: { name: 'text_model.onnx', approxBytes: 254_000_000, url: `${base}/onnx/text_model.onnx` },
    io: clipTextIo(512, 512),
  },
  tokenizer: { kind: 'bpe', files: { tokenizer: 'tokenizer.json', config: 'tokenizer_config.json' }, contextLength: 77 },
  tokenizerFiles: [
    { name: 'tokenizer.json', approxBytes: 2_220_000, url: `${base}/tokenizer.json` },
    { name: 'tokenizer_config.json', approxBytes: 700, url: `${base}/tokenizer_config.json` },
  ],
  imageSize: 224,
  embedDim: 512,
  // 88 M (vision) + 63 M (text) fp32 parameters, plus activations for a small batch.
  needs: { memoryBytes: 1_000_000_000, minBufferBytes: 49408 * 512 * 4 },
};
