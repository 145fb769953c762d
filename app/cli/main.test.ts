import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main, helpText } from './main.ts';
import type { CliIo } from './io.ts';

function capture(): CliIo & { stdout: string; stderr: string } {
  const c = { stdout: '', stderr: '', out: (s: string) => { c.stdout += `${s}\n`; }, err: (s: string) => { c.stderr += `${s}\n`; } };
  return c;
}

// Keep the user's real cache out of tests.
const cacheDir = mkdtempSync(join(tmpdir(), 'atelier-cli-'));
const saved = process.env.ATELIER_CACHE_DIR;
beforeAll(() => { process.env.ATELIER_CACHE_DIR = cacheDir; });
afterAll(() => {
  if (saved === undefined) delete process.env.ATELIER_CACHE_DIR; else process.env.ATELIER_CACHE_DIR = saved;
  rmSync(cacheDir, { recursive: true, force: true });
});

describe('atelier CLI main', () => {
  it('info --json prints exactly one JSON object with backends, cacheDir and models', async () => {
    const io = capture();
    expect(await main(['info', '--json'], io)).toBe(0);
    const info = JSON.parse(io.stdout);
    expect(Object.keys(info).sort()).toEqual(['backends', 'cacheDir', 'models']);
    expect(info.backends.map((b: { id: string }) => b.id)).toEqual(['node-cpu', 'node-wasm', 'webgpu', 'wasm']);
    expect(info.backends[0].available).toBe(true);
    expect(info.cacheDir).toBe(cacheDir);
    expect(info.models.map((m: { id: string }) => m.id)).toContain('demo-mlp');
  });

  it('unknown commands exit 2 with help on stderr and nothing on stdout', async () => {
    const io = capture();
    expect(await main(['frobnicate'], io)).toBe(2);
    expect(io.stdout).toBe('');
    expect(io.stderr).toMatch(/unknown command "frobnicate"/);
    expect(io.stderr).toContain('run-demo');
  });

  it('unknown train/eval/bench names list what exists; help lists every command', async () => {
    const io = capture();
    expect(await main(['bench', 'nope'], io)).toBe(2);
    expect(io.stderr).toMatch(/unknown benchmark "nope"; available: .*train/);
    expect(await main(['train', '../../etc/passwd'], io)).toBe(2);
    expect(io.stderr).toMatch(/unknown training recipe/);
    const h = capture();
    expect(await main(['--help'], h)).toBe(0);
    expect(h.stdout).toBe(`${helpText()}\n`);
    for (const c of ['info', 'models', 'run-demo', 'train', 'eval', 'bench', 'microworld']) expect(h.stdout).toContain(`  ${c}`);
  });

  it('run-demo runs the demo job in-process and prints JSON', async () => {
    const io = capture();
    expect(await main(['run-demo', '--steps', '3', '--json'], io)).toBe(0);
    const r = JSON.parse(io.stdout);
    expect(r.backend).toBe('node-cpu');
    expect(r.probs).toHaveLength(16);
    expect(io.stderr).toMatch(/step 3\/3/);
  });
});
