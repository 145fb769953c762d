/**
 * A micro-VLM layer graph on onnxruntime-node's native WebGPU EP (SwiftShader, no GPU needed):
 * prefill with an empty past cache and a decode step both run with every node on WebGPU and
 * match the CPU EP. Child process: the Vulkan loader environment must exist before start.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const CHROMIUM_LIB = '/usr/lib/chromium';

describe('micro-VLM layer graph on the WebGPU EP', () => {
  it('places every node on WebGPU (empty past at prefill included) and matches the CPU EP within 1e-4', () => {
    const icd = join(CHROMIUM_LIB, 'vk_swiftshader_icd.json');
    expect(existsSync(icd), `${icd} is missing: install Debian's chromium (it ships libvulkan and SwiftShader)`).toBe(true);
    const r = spawnSync(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'check', 'webgpuLayerProbe.ts')], {
      env: { ...process.env, LD_LIBRARY_PATH: CHROMIUM_LIB, VK_ICD_FILENAMES: icd },
      encoding: 'utf8', timeout: 60_000, maxBuffer: 64 << 20,
    });
    const last = r.stdout.trim().split('\n').pop() ?? '';
    expect(r.status, `${last}\n${r.stderr.slice(-2000)}`).toBe(0);
    expect(r.stderr).toMatch(/All nodes placed on \[WebGpuExecutionProvider\]/);
    const res = JSON.parse(last) as { cases: number; maxDiff: number };
    expect(res.cases).toBe(2);
    expect(res.maxDiff).toBeLessThan(1e-4);
  });
});
