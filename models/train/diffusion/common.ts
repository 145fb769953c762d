/**
 * Shared pieces of the diffusion recipes (`npm run train -- vae | unet`): option parsing, logging,
 * Microworld images as CHW floats in [−1, 1], atomic writes of ONNX files with their sha256, PSNR.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { FileRecord } from '../../manifests/sdMicro.ts';
import type { Rgb8 } from '../../vision/normalize.ts';
import { loadCheckpoint } from '../checkpoint.ts';
import { type ClipSample, loadOrGenerate } from '../clip/samples.ts';

export const log = (m: string): void => { console.error(`[${new Date().toISOString().slice(11, 19)}] ${m}`); };

/** `--key value` options over numeric/string/boolean defaults; unknown keys are an error listing the known ones. */
export function parseOptions<T extends Record<string, number | string | boolean>>(argv: string[], defaults: T): T {
  const out: Record<string, number | string | boolean> = { ...defaults };
  const key = (k: string) => k.replace(/^--/, '').replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());
  for (let i = 0; i < argv.length; i++) {
    const k = key(argv[i]);
    if (!argv[i].startsWith('--') || !(k in defaults)) {
      throw new Error(`unknown option ${argv[i]} (options: ${Object.keys(defaults).map((d) => `--${d.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`).join(' ')})`);
    }
    const d = defaults[k];
    if (typeof d === 'boolean') { out[k] = true; continue; }
    const v = argv[++i];
    if (v === undefined) throw new Error(`${argv[i - 1]} needs a value`);
    if (typeof d === 'number') {
      const n = Number(v);
      if (!Number.isFinite(n)) throw new Error(`${argv[i - 1]} needs a number, got '${v}'`);
      out[k] = n;
    } else out[k] = v;
  }
  return out as T;
}

/** Microworld 2D scenes (1–3 objects, captions) at `size`, cached on disk by the CLIP sample cache. */
export function sceneSamples(split: 'train' | 'val' | 'test', seed: string, scenes: number, size = 64): Promise<ClipSample[]> {
  return loadOrGenerate({ split, seed, scenes, singles: Math.floor(scenes / 4), meshes: 0, size }, log);
}

/** RGB bytes → CHW floats in [−1, 1], written at `offset` of `out`. */
export function toChw(img: Rgb8, out: Float32Array, offset: number): void {
  const hw = img.width * img.height;
  for (let p = 0; p < hw; p++) for (let c = 0; c < 3; c++) out[offset + c * hw + p] = img.data[p * 3 + c] / 127.5 - 1;
}

export function imagesChw(samples: ReadonlyArray<{ image: Rgb8 }>): Float32Array {
  const per = 3 * samples[0].image.width * samples[0].image.height;
  const out = new Float32Array(samples.length * per);
  samples.forEach((s, i) => toChw(s.image, out, i * per));
  return out;
}

/** PSNR in dB of images in [−1, 1] (peak-to-peak 2), over all values. */
export function psnr(a: Float32Array, b: Float32Array): number {
  let se = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.max(-1, Math.min(1, a[i])) - Math.max(-1, Math.min(1, b[i]));
    se += d * d;
  }
  return 10 * Math.log10(4 / Math.max(1e-12, se / a.length));
}

export async function writeAtomic(path: string, bytes: Uint8Array | string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}`;
  await writeFile(tmp, bytes);
  await rename(tmp, path);
}

export async function writeOnnx(dir: string, name: string, bytes: Uint8Array): Promise<FileRecord> {
  await writeAtomic(`${dir}/${name}`, bytes);
  return { name, bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
}

export const mean = (xs: readonly number[]): number => xs.reduce((s, x) => s + x, 0) / Math.max(1, xs.length);

/** '64,80,96' → [64, 80, 96] (block channel override for architecture sweeps). */
export function channelList(s: string): number[] {
  const c = s.split(',').map(Number);
  if (!c.length || !c.every((v) => Number.isInteger(v) && v > 0)) throw new Error(`--channels wants comma-separated positive integers, got '${s}'`);
  return c;
}

/**
 * An AbortSignal that fires `minutes` after `t0` (0 = never), or as soon as `stopFile` exists (polled
 * every 5 s): the Trainer then checkpoints and returns, and the recipe exports what it has, so a run
 * fits a wall-clock budget or can be ended early without losing its result.
 */
export function budget(minutes: number, t0: number, stopFile = ''): AbortSignal | undefined {
  if (!(minutes > 0) && !stopFile) return undefined;
  const c = new AbortController();
  if (minutes > 0) {
    setTimeout(() => { log(`time budget of ${minutes} min reached: checkpointing and exporting`); c.abort(); }, Math.max(0, t0 + minutes * 60000 - Date.now())).unref();
  }
  if (stopFile) {
    const poll = setInterval(() => {
      if (!existsSync(stopFile)) return;
      log(`${stopFile} exists: checkpointing and exporting`);
      clearInterval(poll);
      c.abort();
    }, 5000);
    poll.unref();
  }
  return c.signal;
}

/**
 * Whether to resume from `path`: only a checkpoint written by the same run configuration (`runKey`:
 * config, data, batch, seed) is resumed; one from another configuration is an error naming --fresh,
 * so a smoke run's state can never leak into a real run.
 */
export async function resumable(path: string, runKey: string, fresh: boolean): Promise<boolean> {
  if (fresh || !existsSync(path)) return false;
  const got = (await loadCheckpoint(path)).meta.run;
  if (got !== runKey) throw new Error(`checkpoint ${path} is from another run configuration (${got ?? 'unknown'}; this run: ${runKey}): pass --fresh to start over`);
  return true;
}
