/**
 * The diffusion graphs on onnxruntime-node's native WebGPU EP (Dawn on SwiftShader; the same C++ EP
 * onnxruntime-web/webgpu compiles to wasm) vs its CPU EP: a tiny UNet with attention taps (exposed
 * maps, injection, token scaling) and a tiny VAE decoder. Prints one JSON line with the max |diff|;
 * ORT's verbose log on stderr reports node placement. Run in a child process (the Vulkan loader
 * environment must exist before the process starts), see webgpu.test.ts:
 *
 *   LD_LIBRARY_PATH=/usr/lib/chromium VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json npx tsx models/zoo/unet/webgpuProbe.ts
 */
import * as ort from 'onnxruntime-node';
import { encodeModel } from '../../graph/encode.ts';
import { tapAttention, INJECT_ALPHA, TOKEN_SCALE } from '../taps/attentionTaps.ts';
import { type VaeConfig, vaeDecoderGraph } from '../vae/vaeGraphs.ts';
import { tinyUnetConfig } from './config.ts';
import { unetGraph } from './unetGraph.ts';
import { type F32, randnF32, unetFeeds } from './testing.ts';

async function compare(bytes: Uint8Array, feeds: Record<string, F32>): Promise<{ maxDiff: number; outputs: number }> {
  const t = () => Object.fromEntries(Object.entries(feeds).map(([k, f]) => [k, new ort.Tensor('float32', f.data, f.dims)]));
  const cpu = await ort.InferenceSession.create(bytes);
  const ref = await cpu.run(t());
  const gpu = await ort.InferenceSession.create(bytes, { executionProviders: ['webgpu'], logSeverityLevel: 0 });
  const out = await gpu.run(t());
  let maxDiff = 0;
  for (const k of Object.keys(ref)) {
    const a = ref[k].data as Float32Array, b = out[k].data as Float32Array;
    for (let i = 0; i < a.length; i++) maxDiff = Math.max(maxDiff, Math.abs(a[i] - b[i]));
  }
  await cpu.release();
  await gpu.release();
  return { maxDiff, outputs: Object.keys(ref).length };
}

async function main() {
  const c = tinyUnetConfig();
  const { model, layers } = tapAttention(unetGraph(c, { seed: 'gpu', outScale: 1.5 }), { cross: { expose: 'mean', inject: true, reweight: true }, self: { expose: 'mean' } });
  const feeds: Record<string, F32> = { ...unetFeeds(c, 2, 'gpu') };
  for (const l of layers.filter((x) => x.injectInput)) feeds[l.injectInput!] = { dims: [2, c.heads, l.queries!, l.keys!], data: new Float32Array(2 * c.heads * l.queries! * l.keys!).fill(1 / l.keys!) };
  feeds[INJECT_ALPHA.cross] = { dims: [2, 1, 1, 1], data: Float32Array.of(0, 1) };
  feeds[TOKEN_SCALE] = { dims: [2, 1, 1, c.contextLength], data: new Float32Array(2 * c.contextLength).fill(1.5) };
  const unet = await compare(encodeModel(model), feeds);
  const vae: VaeConfig = { sampleSize: 8, inChannels: 3, latentChannels: 4, blockOutChannels: [4, 8], layersPerBlock: 1, groups: 2, scalingFactor: 1 };
  const dec = await compare(encodeModel(vaeDecoderGraph(vae, { seed: 'gpu' })), { latent_sample: randnF32([2, 4, 4, 4], 'z') });
  process.stdout.write(`${JSON.stringify({ maxDiff: Math.max(unet.maxDiff, dec.maxDiff), outputs: unet.outputs + dec.outputs, unet, vae: dec })}\n`);
}

main().catch((e: unknown) => { process.stdout.write(`${JSON.stringify({ error: String(e) })}\n`); process.exit(1); });
