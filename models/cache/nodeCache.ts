/**
 * Node model cache: `$ATELIER_CACHE_DIR` or `~/.cache/atelier`, files under
 * `models/<id>/<sha256>/<name>`. Writes go to a temp name and are renamed, so a killed
 * download never leaves a half file that looks cached.
 */
import { mkdir, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { CacheKey, ModelCache } from './ModelCache.ts';

export function defaultCacheDir(): string {
  return process.env.ATELIER_CACHE_DIR || join(homedir(), '.cache', 'atelier');
}

async function duBytes(dir: string): Promise<number> {
  let n = 0;
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (_e) {
    return 0;
  }
  for (const e of entries) {
    const p = join(dir, e.name);
    n += e.isDirectory() ? await duBytes(p) : (await stat(p)).size;
  }
  return n;
}

export class NodeCache implements ModelCache {
  readonly location: string;
  private readonly modelsDir: string;

  constructor(dir: string = defaultCacheDir()) {
    this.location = dir;
    this.modelsDir = join(dir, 'models');
  }

  private path(k: CacheKey): string {
    return join(this.modelsDir, k.modelId, k.sha256, k.file);
  }

  async has(k: CacheKey, bytes: number): Promise<boolean> {
    try {
      return (await stat(this.path(k))).size === bytes;
    } catch (_e) {
      return false;
    }
  }

  async get(k: CacheKey): Promise<Uint8Array | undefined> {
    try {
      return new Uint8Array(await readFile(this.path(k)));
    } catch (_e) {
      return undefined;
    }
  }

  async put(k: CacheKey, data: Uint8Array): Promise<void> {
    const p = this.path(k);
    await mkdir(join(this.modelsDir, k.modelId, k.sha256), { recursive: true });
    const tmp = `${p}.part-${process.pid}`;
    await writeFile(tmp, data);
    await rename(tmp, p);
  }

  sizeOf(modelId: string): Promise<number> {
    return duBytes(join(this.modelsDir, modelId));
  }

  async deleteModel(modelId: string): Promise<void> {
    await rm(join(this.modelsDir, modelId), { recursive: true, force: true });
  }

  async clear(): Promise<void> {
    await rm(this.modelsDir, { recursive: true, force: true });
  }
}
