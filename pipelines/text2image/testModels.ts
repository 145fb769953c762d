/**
 * Random-weight stand-ins of the text2image stack for tests (Node only): a 1-layer micro-CLIP text
 * tower on the Microworld tokenizer, a tiny UNet (tapped like the recipe's export, and plain) and a tiny
 * VAE decoder/encoder with the SD export
 * I/O, a DiffusionBundle describing them, and a ModelProvider serving their sessions.
 */
import type { DiffusionBundle } from '../../models/manifests/sdBundle.ts';
import { encodeModel } from '../../models/graph/encode.ts';
import { MicroTokenizer } from '../../models/text/tokenizer.ts';
import { clipTextGraph } from '../../models/zoo/clip/clipGraphs.ts';
import { microClipConfig } from '../../models/zoo/clip/config.ts';
import { unetGraph } from '../../models/zoo/unet/unetGraph.ts';
import { tapAttention } from '../../models/zoo/taps/attentionTaps.ts';
import type { UnetConfig } from '../../models/zoo/unet/config.ts';
import { type VaeConfig, vaeDecoderGraph, vaeEncoderGraph } from '../../models/zoo/vae/vaeGraphs.ts';

export function tinyStack(): { bundle: DiffusionBundle; bytes: Record<string, Uint8Array>; unet: UnetConfig; vae: VaeConfig } {
  const tok = MicroTokenizer.microworld();
  const clip = microClipConfig(tok.vocab.tokens.length, tok.vocab.eotId, tok.contextLength);
  clip.text = { ...clip.text, width: 8, layers: 1, heads: 2 };
  const unet: UnetConfig = {
    sampleSize: 4, inChannels: 4, outChannels: 4, blockOutChannels: [8, 8], downBlockTypes: ['CrossAttnDownBlock2D', 'DownBlock2D'],
    upBlockTypes: ['UpBlock2D', 'CrossAttnUpBlock2D'], layersPerBlock: 1, heads: 2, crossAttentionDim: 8, contextLength: tok.contextLength, groups: 2, numTrainTimesteps: 1000,
  };
  const vae: VaeConfig = { sampleSize: 16, inChannels: 3, latentChannels: 4, blockOutChannels: [4, 8, 8], layersPerBlock: 1, groups: 2, scalingFactor: 0.5 };
  const bundle: DiffusionBundle = {
    id: 'tiny-sd', title: 'tiny test stack',
    models: { textEncoder: 'tiny-text', unet: 'tiny-unet', vaeDecoder: 'tiny-vae-decoder', vaeEncoder: 'tiny-vae-encoder' },
    tokenizer: { kind: 'microworld-words', contextLength: tok.contextLength },
    scalingFactor: vae.scalingFactor, latentChannels: 4, latentSize: 4, imageSize: 16, contextDim: 8,
    preview: { weights: [[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0]], bias: [0, 0, 0] },
  };
  const bytes = {
    'tiny-text': encodeModel(clipTextGraph(clip, 'tiny-text')),
    // As the UNet recipe exports it: cross-attention maps exposed (heads averaged) beside out_sample.
    'tiny-unet': encodeModel(tapAttention(unetGraph(unet, { seed: 'tiny-unet', outScale: 3 }), { cross: { expose: 'mean' } }).model),
    'tiny-unet-plain': encodeModel(unetGraph(unet, { seed: 'tiny-unet', outScale: 3 })),
    'tiny-vae-decoder': encodeModel(vaeDecoderGraph(vae, { seed: 'tiny-vae' })),
    'tiny-vae-encoder': encodeModel(vaeEncoderGraph(vae, { seed: 'tiny-vae' })),
  };
  return { bundle, bytes, unet, vae };
}

export { bytesProvider } from './bytesProvider.ts';
