import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Capabilities } from '../runtime/Runtime.ts';
import { NodeCache } from '../cache/nodeCache.ts';
import { nodeFetchFile } from './nodeFetchFile.ts';
import { loadModelFiles, createModelSession, type LoadProgress } from './loadModel.ts';
import { ModelLoadError } from './errors.ts';
import { FIXTURE_MANIFESTS } from '../manifests/fixtures.ts';
import { demoMlpManifest } from '../manifests/demoMlp.ts';
import { createNodeRuntime } from '../runtime/backends/nodeCpu.ts';

const dir = mkdtempSync(join(tmpdir(), 'atelier-loader-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// What Node's probe reports (no WebGPU, no f16), plus a GPU-like buffer limit so the
// needs-buffer check has something to compare against.
const caps: Capabilities = { webgpu: false, shaderF16: false, cores: 2, maxBufferSize: 2 ** 30 };
const deps = () => ({ cache: new NodeCache(dir), fetchFile: nodeFetchFile(), caps });

async function failure(id: string): Promise<ModelLoadError> {
  const m = FIXTURE_MANIFESTS.find((f) => f.id === id)!;
  const err = await loadModelFiles(m, deps()).then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(ModelLoadError);
  return err as ModelLoadError;
}

describe('model loader failures: each has its own code and a message naming model and file', () => {
  it('unreachable URL', async () => {
    const e = await failure('fixture-unreachable');
    expect(e.code).toBe('unreachable');
    expect(e.message).toMatch(/fixture-unreachable.*model\.onnx.*127\.0\.0\.1:9.*unreachable/);
  });
  it('sha256 mismatch', async () => {
    const e = await failure('fixture-sha256-mismatch');
    expect(e.code).toBe('sha256-mismatch');
    expect(e.message).toMatch(/Integrity check failed for model "fixture-sha256-mismatch", file "model.onnx": sha256 is 44c59ef3/);
  });
  it('truncated file', async () => {
    const e = await failure('fixture-truncated');
    expect(e.code).toBe('truncated');
    expect(e.message).toMatch(/got 65 of 131 bytes/);
  });
  it('bytes that are not ONNX', async () => {
    const e = await failure('fixture-not-onnx');
    expect(e.code).toBe('not-onnx');
    expect(e.message).toMatch(/"fixture-not-onnx", file "model.onnx" is not an ONNX model/);
  });
  it('I/O contract mismatch', async () => {
    const e = await failure('fixture-io-mismatch');
    expect(e.code).toBe('io-mismatch');
    expect(e.message).toMatch(/no input "pixels".*needs input "x" that the manifest does not declare/);
  });
  it('needs f16 but the device lacks shader-f16 (Node reports none)', async () => {
    const e = await failure('fixture-needs-f16');
    expect(e.code).toBe('needs-f16');
    expect(e.message).toMatch(/needs WebGPU shader-f16/);
  });
  it('needs a larger buffer than maxBufferSize', async () => {
    const e = await failure('fixture-needs-buffer');
    expect(e.code).toBe('needs-buffer');
    expect(e.message).toMatch(/64\.0 GiB.*1\.0 GiB/);
  });
  it('nothing that failed verification was cached', async () => {
    const c = new NodeCache(dir);
    for (const m of FIXTURE_MANIFESTS) expect(await c.sizeOf(m.id)).toBe(0);
  });
});

describe('model loader success path', () => {
  it('loads the demo model with monotonic per-file and total progress, then serves it from cache', async () => {
    const seen: LoadProgress[] = [];
    const first = await loadModelFiles(demoMlpManifest, deps(), { onProgress: (p) => seen.push(p) });
    expect(first.fromCache).toBe(false);
    expect(seen.length).toBeGreaterThan(1);
    const total = demoMlpManifest.files[0].bytes;
    for (let i = 0; i < seen.length; i++) {
      expect(seen[i].total).toBe(total);
      if (i) expect(seen[i].loaded).toBeGreaterThanOrEqual(seen[i - 1].loaded);
    }
    expect(seen.at(-1)!.loaded).toBe(total);
    expect(seen.at(-1)!.files['model.onnx']).toEqual({ loaded: total, total });
    const again = await loadModelFiles(demoMlpManifest, deps());
    expect(again.fromCache).toBe(true);
    expect(again.files['model.onnx']).toEqual(first.files['model.onnx']);
  });

  it('checks the session I/O against the manifest', async () => {
    const rt = await createNodeRuntime({ threads: 1 });
    const loaded = await loadModelFiles(demoMlpManifest, deps());
    const s = await createModelSession(rt, loaded);
    expect(s.inputNames).toEqual(['x']);
    const wrong = { ...loaded, manifest: { ...demoMlpManifest, io: { ...demoMlpManifest.io, outputs: [{ name: 'logits', dtype: 'float32' as const, shape: [1, 16] }] } } };
    await expect(createModelSession(rt, wrong)).rejects.toMatchObject({ code: 'io-mismatch' });
    await rt.dispose();
  });
});
