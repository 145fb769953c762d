/** The committed micro diffusion stack (micro-VAE + micro-UNet over micro-CLIP's text tower), from the recipes' model.json files. */
import type { ModelManifest } from './schema.ts';
import { type MicroUnetJson, type MicroVaeJson, microSdManifests } from './sdMicro.ts';
import microVae from '../../assets/models/micro-vae/model.json';
import microUnet from '../../assets/models/micro-unet/model.json';

export const MICRO_SD_MANIFESTS: ModelManifest[] = microSdManifests(microVae as unknown as MicroVaeJson, microUnet as unknown as MicroUnetJson).manifests;
