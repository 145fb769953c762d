/**
 * Runs a gradient graph on onnxruntime-node's WebGPU EP (Dawn) and on its CPU EP, prints
 * one JSON line with the max |diff|, and leaves ORT's verbose log (node placement) on stderr.
 * Without a GPU, Dawn runs on Chromium's SwiftShader Vulkan driver; the environment must
 * be set before the process starts, hence a separate process:
 *
 *   LD_LIBRARY_PATH=/usr/lib/chromium VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json \
 *     npx tsx models/graph/check/webgpuProbe.ts parity|vit|unet
 *
 * The native WebGPU EP is the same C++ code that onnxruntime-web/webgpu compiles to wasm,
 * so "all nodes on WebGPU" here means no CPU fallback in the browser either.
 */
import * as ort from 'onnxruntime-node';
import { makeParityCase } from '../fixtures/parityGraph.ts';
import { tinyVit } from '../fixtures/tinyVit.ts';
import { tinyUnetBlock } from '../fixtures/tinyUnetBlock.ts';
import { grad, gradName } from '../autodiff.ts';
import { encodeModel } from '../encode.ts';
import { type Feed, randU, withProbeLoss } from './gradCheck.ts';

interface Case { model: Uint8Array; feeds: Record<string, { dims: number[]; data: Float32Array }>; fetch: string[] }

function networkCase(which: 'vit' | 'unet'): Case {
  const f = which === 'vit' ? tinyVit() : tinyUnetBlock();
  const feeds: Record<string, Feed> = which === 'vit'
    ? { pixels: randU([2, 3, 8, 8], 1) }
    : { sample: randU([2, 4, 4, 4], 1), context: randU([2, 3, 6], 2) };
  const outDims = which === 'vit' ? [2, 3] : [2, 4, 4, 4];
  const wrt = [...f.params, ...Object.keys(feeds)];
  const g = grad(withProbeLoss(f.model, f.output, outDims, 3).model, { loss: 'gc_loss', wrt });
  return { model: encodeModel(g), feeds: feeds as Case['feeds'], fetch: wrt.map(gradName) };
}

async function main(which: string) {
  let c: Case;
  if (which === 'parity') {
    const p = makeParityCase();
    c = { model: p.model, fetch: p.fetch, feeds: Object.fromEntries(Object.entries(p.feeds).map(([k, f]) => [k, { dims: f.dims, data: Float32Array.from(f.data) }])) };
  } else if (which === 'vit' || which === 'unet') c = networkCase(which);
  else throw new Error(`webgpuProbe: unknown case '${which}' (parity | vit | unet)`);
  const tensors = () => Object.fromEntries(Object.entries(c.feeds).map(([k, f]) => [k, new ort.Tensor('float32', f.data, f.dims)]));
  const ref = await (await ort.InferenceSession.create(c.model)).run(tensors(), c.fetch);
  // Verbose logging (native, to fd 2) is the only place ORT reports node placement: the
  // caller reads "All nodes placed on [WebGpuExecutionProvider]" from this process's stderr.
  const s = await ort.InferenceSession.create(c.model, { executionProviders: ['webgpu'], logSeverityLevel: 0 });
  const out = await s.run(tensors(), c.fetch);
  let maxDiff = 0;
  for (const k of c.fetch) {
    const a = ref[k].data as Float32Array, b = out[k].data as Float32Array;
    for (let i = 0; i < a.length; i++) maxDiff = Math.max(maxDiff, Math.abs(a[i] - b[i]));
  }
  process.stdout.write(`${JSON.stringify({ case: which, maxDiff, outputs: c.fetch.length })}\n`);
}

main(process.argv[2] ?? 'parity').catch((e: unknown) => { process.stdout.write(`${JSON.stringify({ error: String(e) })}\n`); process.exit(1); });
