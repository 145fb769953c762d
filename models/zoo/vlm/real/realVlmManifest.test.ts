/**
 * The real VLM's manifest: the SmolVLM listing the Models window shows (sizes, memory needs),
 * and pinning a user's files into exact manifests that the generic loader verifies — run here on
 * the micro export under the same contract.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { encodeModel } from '../../../graph/encode.ts';
import { MemoryCache } from '../../../cache/ModelCache.ts';
import { loadModelFiles } from '../../../loader/loadModel.ts';
import { ModelLoadError } from '../../../loader/errors.ts';
import { PinError } from '../../../manifests/clipBundle.ts';
import { allManifests } from '../../../manifests/index.ts';
import { validateManifest } from '../../../manifests/schema.ts';
import { SMOLVLM_256M_LAYERWISE, SMOLVLM_LISTING, pinRealVlm, realVlmApproxBytes, smolvlmSpec } from '../../../manifests/vlmSmolvlm.ts';
import type { Capabilities } from '../../../runtime/Runtime.ts';
import { microVlmConfig } from '../config.ts';
import { layerGraph } from '../graphs.ts';
import { REAL_VLM_FILES } from './contract.ts';
import { MICRO_REAL_VLM, microRealVlmFiles } from './testFiles.ts';

const caps: Capabilities = { webgpu: false, shaderF16: false, cores: 2 };
const digest = (b: Uint8Array) => ({ bytes: b.length, sha256: createHash('sha256').update(b).digest('hex') });
const fail = () => { throw new Error('no download: files come from the user'); };

describe('SmolVLM-256M per-layer manifest', () => {
  it('lists every part with the contract, estimated sizes and memory needs, in the Models window list', () => {
    const s = SMOLVLM_256M_LAYERWISE;
    expect(s.parts.map((p) => p.file.name)).toEqual([
      'vision_encoder.onnx', 'embed_tokens.onnx', ...Array.from({ length: 30 }, (_, i) => `decoder_layer_${i}.onnx`), 'lm_head.onnx', 'dyvte_gates.onnx',
    ]);
    expect(s.parts[2].io.inputs.map((i) => i.name)).toEqual(['hidden_states', 'position_ids', 'attention_bias', 'past_key', 'past_value']);
    expect(s.parts[2].io.inputs[3].shape).toEqual([1, 3, 'past', 64]); // 3 KV heads of 64
    expect(realVlmApproxBytes(s)).toBeGreaterThan(0.8e9);
    expect(realVlmApproxBytes(s)).toBeLessThan(1.2e9);
    expect(s.needs.memoryBytes).toBeGreaterThan(realVlmApproxBytes(s));
    expect(allManifests().map((m) => m.id)).toContain('smolvlm-256m-layerwise');
    expect(validateManifest(SMOLVLM_LISTING)).toEqual([]);
    expect(SMOLVLM_LISTING.files).toHaveLength(33); // gates are optional
  });

  it('pins the user\'s files; the loader checks each against the contract', async () => {
    const spec = smolvlmSpec(MICRO_REAL_VLM);
    const files = microRealVlmFiles();
    const pinned = pinRealVlm(spec, Object.fromEntries(Object.entries(files).map(([k, v]) => [k, digest(v)])));
    expect(pinned).toHaveLength(MICRO_REAL_VLM.layers + 3);
    for (const m of pinned) {
      expect(validateManifest(m)).toEqual([]);
      const got = await loadModelFiles(m, { cache: new MemoryCache(), fetchFile: fail, caps }, { userFiles: files });
      expect(got.files[m.files[0].name]).toBe(files[m.files[0].name]);
    }
    // A layer file from another model: same name, wrong I/O → refused by the loader with the contract problem.
    const wrong = { ...files, [REAL_VLM_FILES.layer(0)]: encodeModel(layerGraph(microVlmConfig(50), 0, 0)) };
    const m0 = pinRealVlm(spec, Object.fromEntries(Object.entries(wrong).map(([k, v]) => [k, digest(v)])))[2];
    const err = await loadModelFiles(m0, { cache: new MemoryCache(), fetchFile: fail, caps }, { userFiles: wrong }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModelLoadError);
    expect((err as ModelLoadError).code).toBe('io-mismatch');
    const { [REAL_VLM_FILES.layer(1)]: _gone, ...partial } = files;
    expect(() => pinRealVlm(spec, Object.fromEntries(Object.entries(partial).map(([k, v]) => [k, digest(v)])))).toThrow(PinError);
    expect(() => pinRealVlm(spec, Object.fromEntries(Object.entries(partial).map(([k, v]) => [k, digest(v)])))).toThrow(/decoder_layer_1\.onnx is missing/);
  });
});
