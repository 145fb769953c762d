/**
 * The style field's optimizer state on onnxruntime's native WebGPU EP (Dawn on SwiftShader here; the
 * same C++ EP onnxruntime-web/webgpu compiles to wasm for the browser worker): FieldTrainer on a
 * 'webgpu' Runtime over onnxruntime-node runs a few forward + train steps with fixed upstream
 * gradients and reports (1) where the carried tensors live after each step (FieldTrainer.residency)
 * and (2) the max |diff| of the field's outputs (colors, offsets) before and after every step against
 * the same steps on the CPU EP. ORT's verbose log
 * on stderr reports node placement for both sessions. Prints one JSON line. Run in a child process
 * (the Vulkan loader environment must exist before the process starts), see webgpu.test.ts:
 *
 *   LD_LIBRARY_PATH=/usr/lib/chromium VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json \
 *     npx tsx pipelines/xmesh/webgpuProbe.ts tdam|text2mesh
 */
import * as ort from 'onnxruntime-node';
import type { InferenceSession } from 'onnxruntime-common';
import { createNodeRuntime } from '../../models/runtime/backends/nodeCpu.ts';
import { OrtSession, baseSessionOptions, readTensor, type OrtModule } from '../../models/runtime/backends/ortSession.ts';
import type { Runtime, Session, SessionOptions, TensorDType, TypedArray } from '../../models/runtime/Runtime.ts';
import { Prng } from '../../models/data/microworld/prng.ts';
import { vertexNormals } from '../../models/data/microworld/materials.ts';
import { FieldTrainer } from './fieldTrainer.ts';
import { fieldInput } from './geometry.ts';
import { buildStyleField, type XmeshMethod } from './styleField.ts';
import { uvSphere } from './testing.ts';

/** A Runtime with backend 'webgpu' over onnxruntime-node's WebGPU EP, mirroring backends/browser.ts. */
function nodeWebgpuRuntime(): Runtime {
  const m = ort as unknown as OrtModule;
  return {
    backend: 'webgpu',
    caps: { webgpu: true, shaderF16: false, cores: 1 },
    async createSession(model: Uint8Array | string, so?: SessionOptions): Promise<Session> {
      const o: InferenceSession.SessionOptions = { ...baseSessionOptions(so, ['webgpu']), logSeverityLevel: 0 };
      if (so?.outputsOnGpu) {
        o.preferredOutputLocation = so.outputsOnGpu === true ? 'gpu-buffer' : Object.fromEntries(so.outputsOnGpu.map((n) => [n, 'gpu-buffer' as const]));
      }
      return new OrtSession(await m.InferenceSession.create(model, o), ['webgpu']);
    },
    tensor: (dtype: TensorDType, data: TypedArray, dims: readonly number[]) => new m.Tensor(dtype, data, dims),
    read: readTensor,
    dispose: async () => {},
  };
}

async function main(method: XmeshMethod) {
  const mesh = uvSphere(5, 6);
  const N = mesh.positions.length / 3, D = 8, STEPS = 3;
  const field = buildStyleField({ method, vertices: N, textDim: D, width: 16, depth: 2, headDepth: 2, frequencies: 8, sigma: 2, rank: 4, reduction: 4, seed: 'probe' });
  const r = new Prng('xmesh-webgpu-probe');
  const fixed: Record<string, Float32Array> = { points: fieldInput(mesh.positions, { symmetry: true, standardize: true }) };
  if (method === 'tdam') fixed.text_embed = Float32Array.from({ length: D }, () => r.normal(0, 1));
  else fixed.normals = vertexNormals(mesh);
  const grads = Array.from({ length: STEPS }, () => ({ c: Float32Array.from({ length: N * 3 }, () => r.normal(0, 1)), o: Float32Array.from({ length: N * 3 }, () => r.normal(0, 1)) }));
  const sched = { lr: 1e-2, decay: 0.9, every: 100 };

  const cpuRt = await createNodeRuntime({ threads: 1 });
  const cpu = await FieldTrainer.create(cpuRt, field, fixed, sched);
  const gpu = await FieldTrainer.create(nodeWebgpuRuntime(), field, fixed, sched);
  const residency: Record<string, string>[] = [];
  // Compared through the forward pass (colors, offsets on the CPU): onnxruntime-node cannot
  // download a 'gpu-buffer' tensor (getData aborts the process), the browser build can.
  let outDiff = 0, outAbs = 0;
  const compare = async () => {
    const [a, b] = [await cpu.forward(), await gpu.forward()];
    for (let i = 0; i < a.colors.length; i++) {
      outDiff = Math.max(outDiff, Math.abs(a.colors[i] - b.colors[i]), Math.abs(a.offsets[i] - b.offsets[i]));
      outAbs = Math.max(outAbs, Math.abs(a.colors[i] - 0.5), Math.abs(a.offsets[i]));
    }
  };
  for (const g of grads) {
    await compare();
    await cpu.step(g.c, g.o);
    await gpu.step(g.c, g.o);
    residency.push(gpu.residency());
  }
  await compare();
  const locations = residency.map((m) => [...new Set(Object.values(m))].sort().join(','));
  await cpu.dispose();
  await gpu.dispose();
  await cpuRt.dispose();
  process.stdout.write(`${JSON.stringify({ method, carried: Object.keys(residency[0]).length, locations, outDiff, outAbs })}\n`);
}

main((process.argv[2] ?? 'tdam') as XmeshMethod).catch((e: unknown) => { process.stdout.write(`${JSON.stringify({ error: String(e) })}\n`); process.exit(1); });
