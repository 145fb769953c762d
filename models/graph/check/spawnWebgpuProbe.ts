/**
 * Runs a WebGPU probe script (onnxruntime-node's native WebGPU EP on Debian chromium's SwiftShader)
 * in a child process — the Vulkan loader environment must exist before the process starts — and
 * returns its exit status, stdout and stderr (where ORT's verbose log reports node placement).
 *
 * Why stderr goes to a file and not a pipe: ORT writes its log from native code, and with a pipe the
 * tail of it was lost when the child exited (measured: 163 KB or 363 KB of a 396 KB log, so a
 * session's "Node placements" block went missing at random); a file receives all of it.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const CHROMIUM_LIB = '/usr/lib/chromium';
export const SWIFTSHADER_ICD = join(CHROMIUM_LIB, 'vk_swiftshader_icd.json');

export interface ProbeRun { status: number | null; stdout: string; stderr: string; icdPresent: boolean }

export function spawnWebgpuProbe(script: string, args: string[] = [], timeoutMs = 120_000): ProbeRun {
  const icdPresent = existsSync(SWIFTSHADER_ICD);
  const dir = mkdtempSync(join(tmpdir(), 'atelier-webgpu-probe-'));
  const errPath = join(dir, 'stderr.log');
  const fd = openSync(errPath, 'w');
  try {
    const r = spawnSync(process.execPath, ['--import', 'tsx', script, ...args], {
      env: { ...process.env, LD_LIBRARY_PATH: CHROMIUM_LIB, VK_ICD_FILENAMES: SWIFTSHADER_ICD },
      stdio: ['ignore', 'pipe', fd], encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 << 20,
    });
    closeSync(fd);
    return { status: r.status, stdout: r.stdout ?? '', stderr: readFileSync(errPath, 'utf8'), icdPresent };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
