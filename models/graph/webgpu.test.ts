/**
 * The parity fixture on onnxruntime-node's native WebGPU EP (Dawn on Chromium's SwiftShader
 * Vulkan driver, no GPU needed): every node must be placed on WebGPU (no CPU fallback) and
 * the numbers must match the CPU EP within 1e-4. Runs in a child process because the Vulkan
 * loader environment has to exist before the process starts.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { existsSync } from 'node:fs';

const CHROMIUM_LIB = '/usr/lib/chromium';

describe('gradient graph on the WebGPU EP (onnxruntime-node + SwiftShader)', () => {
  it('places every node of the parity case on WebGPU and matches the CPU EP within 1e-4', () => {
    const icd = join(CHROMIUM_LIB, 'vk_swiftshader_icd.json');
    expect(existsSync(icd), `${icd} is missing: install Debian's chromium (it ships libvulkan and SwiftShader)`).toBe(true);
    const r = spawnSync(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'check', 'webgpuProbe.ts'), 'parity'], {
      env: { ...process.env, LD_LIBRARY_PATH: CHROMIUM_LIB, VK_ICD_FILENAMES: icd },
      encoding: 'utf8', timeout: 60_000, maxBuffer: 64 << 20,
    });
    const last = r.stdout.trim().split('\n').pop() ?? '';
    expect(r.status, `${last}\n${r.stderr.slice(-2000)}`).toBe(0);
    const res = JSON.parse(last) as { maxDiff: number; outputs: number };
    expect(r.stderr).toMatch(/All nodes placed on \[WebGpuExecutionProvider\]/);
    expect(res.outputs).toBe(9);
    expect(res.maxDiff).toBeLessThan(1e-4);
  });
});
