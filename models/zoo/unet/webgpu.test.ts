/**
 * The diffusion graphs (tapped UNet, VAE decoder) on onnxruntime-node's WebGPU EP (SwiftShader) vs the
 * CPU EP, in a child process (see webgpuProbe.ts). The only nodes ORT keeps on the CPU are the int64
 * Gathers of shape arithmetic for the symbolic batch dim (its deliberate CPU fallback for shape
 * subgraphs); every float op must be on WebGPU.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { SWIFTSHADER_ICD, spawnWebgpuProbe } from '../../graph/check/spawnWebgpuProbe.ts';

describe('UNet with attention taps and VAE decoder on the WebGPU EP', () => {
  it('match the CPU EP within 1e-4 with every float op on WebGPU', { timeout: 150_000, retry: 1 }, () => {
    const r = spawnWebgpuProbe(join(import.meta.dirname, 'webgpuProbe.ts'));
    expect(r.icdPresent, `${SWIFTSHADER_ICD} is missing: install Debian's chromium (it ships libvulkan and SwiftShader)`).toBe(true);
    const last = r.stdout.trim().split('\n').pop() ?? '';
    expect(r.status, `${last}\n${r.stderr.slice(-2000)}`).toBe(0);
    const res = JSON.parse(last) as { maxDiff: number; outputs: number };
    expect(res.outputs).toBe(10);
    expect(res.maxDiff).toBeLessThan(1e-4);
    const placements = r.stderr.split('Node placements').slice(1);
    expect(placements.length).toBe(2);
    for (const p of placements) {
      expect(p).toMatch(/Node\(s\) placed on \[WebGpuExecutionProvider\]/);
      const cpu = /Node\(s\) placed on \[CPUExecutionProvider\][^\n]*\n((?:[^\n]*VerifyEachNodeIsAssignedToAnEp\] {3}[^\n]*\n)*)/.exec(p);
      const ops = (cpu?.[1] ?? '').split('\n').filter(Boolean).map((l) => l.split('] ')[1].trim().split(' ')[0]);
      expect(new Set(ops).size <= 1 && (ops.length === 0 || ops[0] === 'Gather'), `CPU-placed ops: ${[...new Set(ops)].join(', ')}`).toBe(true);
    }
  });
});
