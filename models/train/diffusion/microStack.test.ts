import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeModel } from '../../graph/decode.ts';
import { MICRO_SD, MICRO_SD_IDS, type FileRecord, type MicroUnetJson, type MicroVaeJson } from '../../manifests/sdMicro.ts';
import type { UnetConfig } from '../../zoo/unet/config.ts';
import { tinyClipConfig, writeTinyMicroClip } from '../visualness/testing.ts';
import { DEFAULT_DIRS, loadMicroStack } from './microStack.ts';
import { readTextSource, untrainedTextSource, writeTextEncoder } from './textEncoderCopy.ts';
import { unetTextTrainForward } from './unetRecipe.ts';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

async function put(dir: string, name: string, bytes: Uint8Array): Promise<FileRecord> {
  await writeFile(join(dir, name), bytes);
  return { name, bytes: bytes.length, sha256: sha(bytes) };
}

/** Stack folders with distinct dummy bytes per file (loadMicroStack reads and checks bytes; it does not parse ONNX). */
async function writeStack(root: string, textBytes: Uint8Array): Promise<{ vae: string; unet: string; clip: string }> {
  const d = { vae: join(root, 'vae'), unet: join(root, 'unet'), clip: join(root, 'clip') };
  for (const p of Object.values(d)) await mkdir(p);
  const vae: MicroVaeJson = {
    id: 'micro-vae', config: { sampleSize: 64, latentChannels: 4, blockOutChannels: [16, 32, 32], scalingFactor: 0.9 }, preview: MICRO_SD.preview,
    files: { encoder: await put(d.vae, 'vae_encoder.onnx', Uint8Array.of(1, 1)), decoder: await put(d.vae, 'vae_decoder.onnx', Uint8Array.of(2, 2)) },
  };
  const text = { vocabSize: 349, contextLength: 32, width: 128, layers: 3, heads: 4, mlpRatio: 4, layerNormEps: 1e-5, eotId: 348 };
  const unet: MicroUnetJson = {
    id: 'micro-unet', config: { sampleSize: 16, inChannels: 4, contextLength: 32, crossAttentionDim: 128 },
    files: { unet: await put(d.unet, 'unet.onnx', Uint8Array.of(3, 3)), text: await put(d.unet, 'text_model.onnx', textBytes) },
    tokenizer: { kind: 'microworld-words', contextLength: 32, vocabSize: 349 }, textEncoder: { from: 'micro-clip', projectionDim: 128, config: text },
  };
  // A micro-CLIP folder beside it with a *different* text tower: the stack must not read it.
  await put(d.clip, 'text_model.onnx', Uint8Array.of(9, 9, 9));
  await writeFile(join(d.vae, 'model.json'), JSON.stringify(vae));
  await writeFile(join(d.unet, 'model.json'), JSON.stringify(unet));
  return d;
}

describe('micro stack text encoder', () => {
  let root = '';
  beforeEach(async () => { root = await mkdtemp(join(tmpdir(), 'atelier-stack-')); });
  afterEach(async () => { await rm(root, { recursive: true, force: true }); });

  it('comes from the UNet folder, with the sha256 its model.json records', async () => {
    const textBytes = Uint8Array.of(7, 6, 5, 4);
    const d = await writeStack(root, textBytes);
    const stack = loadMicroStack({ vae: d.vae, unet: d.unet });
    expect(stack.bundle.models.textEncoder).toBe('micro-unet-text');
    expect([...stack.bytes[MICRO_SD_IDS.textEncoder]]).toEqual([...textBytes]);
    expect(sha(stack.bytes[MICRO_SD_IDS.textEncoder])).toBe(stack.unet.files.text.sha256);
    expect(stack.bundle.tokenizer).toEqual({ kind: 'microworld-words', contextLength: 32 });
    expect(stack.bundle.scalingFactor).toBe(0.9);
  });

  it('refuses a text encoder whose bytes differ from the record, and a UNet folder that names none', async () => {
    const d = await writeStack(root, Uint8Array.of(7, 6, 5, 4));
    await writeFile(join(d.unet, 'text_model.onnx'), Uint8Array.of(7, 6, 5, 0));
    expect(() => loadMicroStack({ vae: d.vae, unet: d.unet })).toThrow(/text_model\.onnx: 4 B sha256 .* but model\.json records/);
    const j = JSON.parse(await readFile(join(d.unet, 'model.json'), 'utf8')) as MicroUnetJson;
    const { text: _dropped, ...files } = j.files; // as written before UNet bundles carried their tower
    await writeFile(join(d.unet, 'model.json'), JSON.stringify({ ...j, files }));
    expect(() => loadMicroStack({ vae: d.vae, unet: d.unet })).toThrow(/names no text encoder/);
  });

  it('the committed stack loads the tower the UNet was trained on from assets/models/micro-unet', () => {
    const stack = loadMicroStack(DEFAULT_DIRS);
    const onDisk = new Uint8Array(readFileSync(join(DEFAULT_DIRS.unet, stack.unet.files.text.name)));
    expect(sha(stack.bytes[MICRO_SD_IDS.textEncoder])).toBe(sha(onDisk));
    expect(sha(onDisk)).toBe(stack.unet.files.text.sha256);
    expect(stack.unet.textEncoder.from).toBe('micro-clip');
    const io = decodeModel(stack.bytes[MICRO_SD_IDS.textEncoder]).graph;
    expect(io.outputs.map((o) => o.name)).toEqual(['text_embeds', 'last_hidden_state']);
  });
});

describe('the UNet recipe ships its text tower', () => {
  let root = '';
  beforeEach(async () => { root = await mkdtemp(join(tmpdir(), 'atelier-text-')); });
  afterEach(async () => { await rm(root, { recursive: true, force: true }); });

  it('copies a micro-CLIP tower byte for byte and records where it came from', async () => {
    const clipDir = join(root, 'clip'), out = join(root, 'unet');
    const cfg = await writeTinyMicroClip(clipDir);
    const src = readTextSource(clipDir);
    expect(src.from).toBe('micro-clip');
    expect(src.clipCfg.text).toEqual(cfg.text);
    const rec = await writeTextEncoder(out, src);
    const copied = new Uint8Array(await readFile(join(out, 'text_model.onnx')));
    const original = new Uint8Array(await readFile(join(clipDir, 'text_model.onnx')));
    expect(sha(copied)).toBe(sha(original));
    expect(rec.file).toEqual({ name: 'text_model.onnx', bytes: original.length, sha256: sha(original) });
    expect(rec.tokenizer).toEqual({ kind: 'microworld-words', contextLength: cfg.text.contextLength, vocabSize: cfg.text.vocabSize });
    expect(rec.textEncoder).toMatchObject({ from: 'micro-clip', projectionDim: cfg.projectionDim, config: cfg.text });
    expect(rec.textEncoder.commit).toBeUndefined(); // a temp folder is no git checkout

    // A UNet bundle is itself a valid --clip source: its own copy, same provenance.
    await writeFile(join(out, 'model.json'), JSON.stringify({ id: 'micro-unet', files: { text: rec.file }, tokenizer: rec.tokenizer, textEncoder: { ...rec.textEncoder, commit: 'abc' } }));
    const again = readTextSource(out);
    expect(sha(again.bytes)).toBe(sha(original));
    expect(again).toMatchObject({ from: 'micro-clip', commit: 'abc', clipCfg: { text: cfg.text, projectionDim: cfg.projectionDim } });
  });

  it('an untrained smoke run exports the random tower it trained against', () => {
    const cfg = tinyClipConfig(6);
    const u: UnetConfig = {
      sampleSize: 4, inChannels: 2, outChannels: 2, blockOutChannels: [8, 8], downBlockTypes: ['CrossAttnDownBlock2D', 'DownBlock2D'],
      upBlockTypes: ['UpBlock2D', 'CrossAttnUpBlock2D'], layersPerBlock: 1, heads: 2, crossAttentionDim: cfg.text.width, contextLength: 6, groups: 2, numTrainTimesteps: 1000,
    };
    const train = unetTextTrainForward(u, cfg, 1, 's').model;
    const exported = decodeModel(untrainedTextSource(cfg, train).bytes).graph.initializers;
    const tower = [...train.graph.initializers].filter(([k]) => k.startsWith('text_model.') && !k.includes('/'));
    expect(tower.length).toBeGreaterThan(10);
    for (const [k, t] of tower) expect([...exported.get(k)!.values]).toEqual([...t.values]);
  });
});
