import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ScriptedStudioClient } from './scriptedClient.ts';
import { connectClient } from './studioStore.ts';
import { captionActions, questionProblem, timeSavedMs, useCaption } from './captionStore.ts';
import { fromRgb, microworldImage, MAX_SIDE } from './captionImage.ts';
import { loadCaptionModel } from './captionModel.ts';
import { decodePng } from '../../pipelines/core/png.ts';
import type { JobSpec } from '../worker/StudioClient.ts';
import { pinPickedFiles } from './captionRealModel.ts';
import { smolvlmSpec } from '../../models/manifests/vlmSmolvlm.ts';
import { MICRO_REAL_VLM, microRealVlmFiles } from '../../models/zoo/vlm/real/testFiles.ts';

const enc = (o: unknown) => new TextEncoder().encode(JSON.stringify(o));
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const modelJson = { id: 'micro-vlm', config: { layers: 4 }, files: { vision: { name: 'vision.onnx', bytes: 3, sha256: sha(new Uint8Array(3)) }, weights: { name: 'weights.onnx', bytes: 2, sha256: sha(new Uint8Array(2)) } }, visionTrained: true };
const assets: Record<string, Uint8Array> = { 'models/micro-vlm/model.json': enc(modelJson), 'models/micro-vlm/vision.onnx': new Uint8Array(3), 'models/micro-vlm/weights.onnx': new Uint8Array(2) };
const serve = (a: Record<string, Uint8Array>) => async (p: string) => { if (!a[p]) throw new Error('HTTP 404'); return a[p]; };

const result = { text: 'a red star on grass', question: null, exitLayer: 1, layers: [0, 1, 2, 3].map((layer) => ({ layer, tokens: layer <= 1 ? 70 : 6, kvLength: layer <= 1 ? 70 : 6, exit: layer === 1 })), flops: 40, flopsNoExit: 100, flopsSaved: 0.6, prefillMs: 20, ms: 50, tokens: 5 };

let client: ScriptedStudioClient;
let stop: () => void;
beforeEach(() => {
  client = new ScriptedStudioClient({
    caption: async (_s: JobSpec, emit) => {
      for (const t of ['a', 'a red', 'a red star on grass']) (emit as (e: unknown) => void)({ type: 'partial-text', text: t });
      return result;
    },
  });
  stop = connectClient(client);
  captionActions.reset();
  captionActions.setModelSource(serve(assets));
});
afterEach(() => { stop(); client.dispose(); });

describe('caption store', () => {
  it('captions a Microworld sample: sends PNG + model files, streams text, keeps the per-layer result', async () => {
    const img = microworldImage(0);
    captionActions.setImage(img);
    const seen: string[] = [];
    const off = useCaption.subscribe((s) => { if (s.text && seen.at(-1) !== s.text) seen.push(s.text); });
    const id = (await captionActions.run())!;
    await client.whenDone(id);
    off();
    expect(seen).toEqual(['a', 'a red', 'a red star on grass']);
    const spec = client.specs[0] as { task: string; input: { image: Uint8Array; question?: string; model: { json: { id: string }; files: Record<string, Uint8Array> } }; params: { exit: string } };
    expect(spec.task).toBe('caption');
    expect(spec.input.question).toBeUndefined();
    expect(decodePng(spec.input.image).width).toBe(img.width);
    expect(spec.input.model.json.id).toBe('micro-vlm');
    expect(Object.keys(spec.input.model.files).sort()).toEqual(['vision.onnx', 'weights.onnx']);
    expect(spec.params.exit).toBe('dyvte');
    const s = useCaption.getState();
    expect(s).toMatchObject({ running: false, model: { status: 'ready' }, result: { exitLayer: 1, flopsSaved: 0.6 } });
    expect(timeSavedMs(s.result!)).toBeCloseTo(30); // 20 ms for 40 FLOPs → 60 skipped FLOPs ≈ 30 ms
  });

  it('asks a question in ask mode and refuses empty or too long ones before enqueuing', async () => {
    captionActions.setImage(microworldImage(1));
    captionActions.set({ mode: 'ask', question: '   ' });
    expect(await captionActions.run()).toBeUndefined();
    expect(useCaption.getState().error).toMatch(/Type a question/);
    expect(questionProblem('ask', 'x'.repeat(5000))).toMatch(/5,000 characters/);
    captionActions.set({ question: 'what color is the star?' });
    await client.whenDone((await captionActions.run())!);
    expect((client.specs[0].input as { question: string }).question).toBe('what color is the star?');
  });

  it('reports a missing model clearly and enqueues nothing', async () => {
    captionActions.setModelSource(serve({}));
    captionActions.setImage(microworldImage(2));
    expect(await captionActions.run()).toBeUndefined();
    expect(useCaption.getState()).toMatchObject({ running: false, model: { status: 'missing' }, error: expect.stringContaining('not available') });
    expect(client.specs).toHaveLength(0);
    await expect(loadCaptionModel(serve({ ...assets, 'models/micro-vlm/weights.onnx': new Uint8Array(1) }))).rejects.toThrow(/1 bytes, model.json says 2/);
    await expect(loadCaptionModel(serve({ ...assets, 'models/micro-vlm/weights.onnx': Uint8Array.of(7, 7) }))).rejects.toThrow(/sha256/);
  });

  it('needs an image first; big images are reduced before they travel', async () => {
    expect(await captionActions.run()).toBeUndefined();
    expect(useCaption.getState().error).toMatch(/Drop an image/);
    const big = fromRgb({ width: 3000, height: 10, data: new Uint8Array(3000 * 10 * 3) }, 'wide.png', 'file');
    expect(big.width).toBeLessThanOrEqual(MAX_SIDE);
    expect(big.rgb.length).toBe(big.width * big.height * 3);
  });

  it('real VLM: picked files are pinned (a missing one is named), then sent as the task\'s real input', async () => {
    captionActions.setImage(microworldImage(3));
    captionActions.set({ modelChoice: 'real' });
    expect(await captionActions.run()).toBeUndefined();
    expect(useCaption.getState().error).toMatch(/Pick the files/);
    const files = microRealVlmFiles(); // layers 0…2 only: the SmolVLM manifest wants 30
    await captionActions.pickRealFiles(Object.entries(files).map(([name, bytes]) => ({ name: `export/${name}`, bytes })));
    expect(useCaption.getState().realStatus).toMatchObject({ state: 'error', message: expect.stringMatching(/decoder_layer_3\.onnx is missing/) });
    // The same files against a manifest of their own shape pin fine (folder prefixes dropped, sha256 per file).
    const real = await pinPickedFiles(Object.entries(files).map(([name, bytes]) => ({ name: `export/${name}`, bytes })), smolvlmSpec(MICRO_REAL_VLM));
    expect(real.fileCount).toBe(Object.keys(files).length);
    expect(real.sha256!['lm_head.onnx']).toBe(sha(files['lm_head.onnx']));
    expect(real.hasGates).toBe(false);
    useCaption.setState({ real, realStatus: { state: 'ready' } });
    await client.whenDone((await captionActions.run())!);
    const spec = client.specs[0] as { input: { real?: { id: string; files: Record<string, Uint8Array> }; model?: unknown } };
    expect(spec.input.model).toBeUndefined();
    expect(spec.input.real!.id).toBe('smolvlm-256m-layerwise');
    expect(Object.keys(spec.input.real!.files)).toContain('tokenizer.json');
  });
});
