/**
 * "Style-field weights stay on the GPU": FieldTrainer on onnxruntime's native WebGPU EP (Dawn on
 * SwiftShader; the same C++ EP the browser worker's onnxruntime-web/webgpu runs), in a child
 * process (see webgpuProbe.ts). After every step all carried tensors — parameters, Adam moments,
 * step counter — are 'gpu-buffer' tensors fed straight into the next step and the forward pass;
 * every node of both graphs is placed on WebGPU (no CPU fallback, so no hidden copies); the field's
 * outputs match the CPU EP's after each step.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { SWIFTSHADER_ICD, spawnWebgpuProbe } from '../../models/graph/check/spawnWebgpuProbe.ts';

describe.each(['tdam', 'text2mesh'])('style field optimizer state on the WebGPU EP (%s)', (method) => {
  it('stays in GPU buffers between steps, all nodes on WebGPU, outputs match the CPU EP', { timeout: 150_000, retry: 1 }, () => {
    const r = spawnWebgpuProbe(join(import.meta.dirname, 'webgpuProbe.ts'), [method]);
    expect(r.icdPresent, `${SWIFTSHADER_ICD} is missing: install Debian's chromium (it ships libvulkan and SwiftShader)`).toBe(true);
    const last = r.stdout.trim().split('\n').pop() ?? '';
    expect(r.status, `${last}\n${r.stderr.slice(-2000)}`).toBe(0);
    const res = JSON.parse(last) as { carried: number; locations: string[]; outDiff: number; outAbs: number };
    expect(res.carried).toBeGreaterThan(10);
    expect(res.locations).toEqual(['gpu-buffer', 'gpu-buffer', 'gpu-buffer']);
    expect(res.outAbs).toBeGreaterThan(1e-3); // the steps moved the field
    expect(res.outDiff).toBeLessThan(1e-3);
    const placements = r.stderr.split('Node placements').slice(1);
    expect(placements.length).toBe(2); // forward + train step
    // The line after each "Node placements" header: anything but "All nodes placed on [WebGpu…]" lists a CPU node.
    for (const p of placements) expect(p.split('\n')[1]).toMatch(/All nodes placed on \[WebGpuExecutionProvider\]/);
  });
});
