/**
 * The micro latent-diffusion stack from local files (Node): micro-VAE and micro-UNet as written by
 * their recipes (model.json + ONNX beside it), with the text encoder read from the UNet's own folder
 * (the copy of the text tower it was trained on, micro-unet/model.json files.text) — never from
 * assets/models/micro-clip, which may hold a newer tower the UNet has not seen. Used by
 * `atelier generate` and `npm run eval -- t2i`; a missing part is an error that says which recipe to run.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type FileRecord, type MicroUnetJson, type MicroVaeJson, MICRO_SD_IDS, microSdManifests } from '../../manifests/sdMicro.ts';
import type { DiffusionBundle } from '../../manifests/sdBundle.ts';

export interface MicroStackDirs { vae: string; unet: string }

export const DEFAULT_DIRS: MicroStackDirs = { vae: join('assets', 'models', 'micro-vae'), unet: join('assets', 'models', 'micro-unet') };

export interface MicroStack { bundle: DiffusionBundle; bytes: Record<string, Uint8Array>; vae: MicroVaeJson; unet: MicroUnetJson }

function readJson<T>(dir: string, recipe: string): T {
  const p = join(dir, 'model.json');
  if (!existsSync(p)) throw new Error(`${p} not found: train it first with \`npm run train -- ${recipe}\` (or point to another directory)`);
  return JSON.parse(readFileSync(p, 'utf8')) as T;
}

/** A recorded file's bytes; a size or sha256 that differs from its model.json is an error (a swapped or half-copied file). */
function readChecked(dir: string, f: FileRecord): Uint8Array {
  const bytes = new Uint8Array(readFileSync(join(dir, f.name)));
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  if (bytes.length !== f.bytes || sha256 !== f.sha256) {
    throw new Error(`${join(dir, f.name)}: ${bytes.length} B sha256 ${sha256.slice(0, 12)}… but model.json records ${f.bytes} B ${f.sha256.slice(0, 12)}…`);
  }
  return bytes;
}

export function loadMicroStack(d: MicroStackDirs = DEFAULT_DIRS): MicroStack {
  const vae = readJson<MicroVaeJson>(d.vae, 'vae');
  const unet = readJson<MicroUnetJson>(d.unet, 'unet');
  if (!unet.files.text || !unet.textEncoder || !unet.tokenizer) {
    throw new Error(`${join(d.unet, 'model.json')} names no text encoder (files.text): it predates self-contained UNet bundles; retrain with \`npm run train -- unet\` or copy the text tower it was trained on beside unet.onnx and record it`);
  }
  const { bundle } = microSdManifests(vae, unet);
  const bytes = {
    [MICRO_SD_IDS.textEncoder]: readChecked(d.unet, unet.files.text),
    [MICRO_SD_IDS.vaeEncoder]: readChecked(d.vae, vae.files.encoder),
    [MICRO_SD_IDS.vaeDecoder]: readChecked(d.vae, vae.files.decoder),
    [MICRO_SD_IDS.unet]: readChecked(d.unet, unet.files.unet),
  };
  return { bundle, bytes, vae, unet };
}
