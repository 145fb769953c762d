/**
 * One micro-VLM decoder layer graph on onnxruntime-node's native WebGPU EP (Dawn on SwiftShader)
 * vs its CPU EP, in the two shapes the executor uses: prefill with an EMPTY past cache
 * ([1, H, 0, dh]) and a decode step after a heterogeneous (post-exit) cache. Prints one JSON line;
 * ORT's verbose log (node placement) goes to stderr. Needs the Vulkan env set before start:
 *
 *   LD_LIBRARY_PATH=/usr/lib/chromium VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json \
 *     npx tsx models/zoo/vlm/check/webgpuLayerProbe.ts
 */
import * as ort from 'onnxruntime-node';
import { Prng } from '../../../data/microworld/prng.ts';
import { encodeModel } from '../../../graph/encode.ts';
import type { VlmConfig } from '../config.ts';
import { layerGraph } from '../graphs.ts';
import { causalBias } from '../layers.ts';

const cfg: VlmConfig = { visionWidth: 8, visualTokens: 5, vocabSize: 20, width: 16, layers: 2, heads: 2, mlpRatio: 2, maxPositions: 64, layerNormEps: 1e-5, gateHidden: 8 };

async function main() {
  const model = encodeModel(layerGraph(cfg, 'probe', 1));
  const H = cfg.heads, dh = cfg.width / H, rng = new Prng('probe');
  const cases = [{ S: 9, P: 0 }, { S: 1, P: 4 }];
  const cpu = await ort.InferenceSession.create(model);
  const gpu = await ort.InferenceSession.create(model, { executionProviders: ['webgpu'], logSeverityLevel: 0 });
  let maxDiff = 0;
  for (const { S, P } of cases) {
    const feeds = () => ({
      hidden_states: new ort.Tensor('float32', rng.fork(`h${S}`).fillNormal(new Float32Array(S * cfg.width), 1), [1, S, cfg.width]),
      attention_bias: new ort.Tensor('float32', causalBias(S, P), [1, 1, S, P + S]),
      past_key: new ort.Tensor('float32', rng.fork(`k${P}`).fillNormal(new Float32Array(H * P * dh), 1), [1, H, P, dh]),
      past_value: new ort.Tensor('float32', rng.fork(`v${P}`).fillNormal(new Float32Array(H * P * dh), 1), [1, H, P, dh]),
    });
    const a = await cpu.run(feeds()), b = await gpu.run(feeds());
    for (const k of ['hidden_states_out', 'present_key', 'present_value']) {
      if (a[k].dims.join() !== b[k].dims.join()) throw new Error(`${k}: dims ${a[k].dims} vs ${b[k].dims}`);
      const x = a[k].data as Float32Array, y = b[k].data as Float32Array;
      for (let i = 0; i < x.length; i++) maxDiff = Math.max(maxDiff, Math.abs(x[i] - y[i]));
    }
  }
  process.stdout.write(`${JSON.stringify({ cases: cases.length, maxDiff })}\n`);
}

main().catch((e: unknown) => { process.stdout.write(`${JSON.stringify({ error: String(e) })}\n`); process.exit(1); });
