/**
 * The micro latent-diffusion stack from local files (Node): micro-CLIP text tower, micro-VAE and
 * micro-UNet as written by their recipes (model.json + ONNX beside it). Used by `atelier generate`
 * and `npm run eval -- t2i`; a missing part is an error that says which recipe to run.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type MicroUnetJson, type MicroVaeJson, MICRO_SD_IDS, microSdManifests } from '../../manifests/sdMicro.ts';
import type { DiffusionBundle } from '../../manifests/sdBundle.ts';

export interface MicroStackDirs { clip: string; vae: string; unet: string }

export const DEFAULT_DIRS: MicroStackDirs = { clip: join('assets', 'models', 'micro-clip'), vae: join('assets', 'models', 'micro-vae'), unet: join('assets', 'models', 'micro-unet') };

export interface MicroStack { bundle: DiffusionBundle; bytes: Record<string, Uint8Array>; vae: MicroVaeJson; unet: MicroUnetJson }

function readJson<T>(dir: string, recipe: string): T {
  const p = join(dir, 'model.json');
  if (!existsSync(p)) throw new Error(`${p} not found: train it first with \`npm run train -- ${recipe}\` (or point to another directory)`);
  return JSON.parse(readFileSync(p, 'utf8')) as T;
}

export function loadMicroStack(d: MicroStackDirs = DEFAULT_DIRS): MicroStack {
  const clip = readJson<{ files: { text: { name: string } }; config: { text: { contextLength: number } } }>(d.clip, 'clip');
  const vae = readJson<MicroVaeJson>(d.vae, 'vae');
  const unet = readJson<MicroUnetJson>(d.unet, 'unet');
  const { bundle } = microSdManifests(vae, unet);
  const bytes = {
    [MICRO_SD_IDS.textEncoder]: new Uint8Array(readFileSync(join(d.clip, clip.files.text.name))),
    [MICRO_SD_IDS.vaeEncoder]: new Uint8Array(readFileSync(join(d.vae, vae.files.encoder.name))),
    [MICRO_SD_IDS.vaeDecoder]: new Uint8Array(readFileSync(join(d.vae, vae.files.decoder.name))),
    [MICRO_SD_IDS.unet]: new Uint8Array(readFileSync(join(d.unet, unet.files.unet.name))),
  };
  return { bundle: { ...bundle, tokenizer: { kind: 'microworld-words', contextLength: clip.config.text.contextLength } }, bytes, vae, unet };
}
