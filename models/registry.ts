/**
 * The model registry: manifests + cache + loader behind one object (list / get / isCached /
 * size / delete / clear / load). The browser worker and the CLI each build one with their
 * own cache and file source; pipelines ask it for verified bytes by model id.
 */
import type { Capabilities } from './runtime/Runtime.ts';
import { totalBytes, type ModelManifest } from './manifests/schema.ts';
import type { ModelCache } from './cache/ModelCache.ts';
import type { FetchFile } from './loader/fetchFile.ts';
import { loadModelFiles, type LoadOptions, type LoadedModel } from './loader/loadModel.ts';

export interface ModelEntry {
  manifest: ModelManifest;
  bytes: number;
  cached: boolean;
}

export class ModelRegistry {
  // No in-memory copy of loaded bytes: sessions (SessionPool) are what gets reused, and
  // holding GB-sized weights twice would double peak memory for real models.
  private readonly byId: Map<string, ModelManifest>;

  constructor(manifests: ModelManifest[], readonly cache: ModelCache, private readonly fetchFile: FetchFile, private readonly caps: () => Promise<Capabilities>) {
    this.byId = new Map(manifests.map((m) => [m.id, m]));
  }

  list(): ModelManifest[] {
    return [...this.byId.values()];
  }

  get(id: string): ModelManifest {
    const m = this.byId.get(id);
    if (!m) throw new Error(`unknown model "${id}" (known: ${[...this.byId.keys()].join(', ') || 'none'})`);
    return m;
  }

  async isCached(id: string): Promise<boolean> {
    const m = this.get(id);
    for (const f of m.files) if (!(await this.cache.has({ modelId: id, file: f.name, sha256: f.sha256 }, f.bytes))) return false;
    return true;
  }

  /** Bytes the manifest declares (download size). */
  size(id: string): number {
    return totalBytes(this.get(id));
  }

  async entries(): Promise<ModelEntry[]> {
    return Promise.all(this.list().map(async (m) => ({ manifest: m, bytes: totalBytes(m), cached: await this.isCached(m.id) })));
  }

  /** Bytes the cache holds across all models. */
  async cachedBytes(): Promise<number> {
    let n = 0;
    for (const m of this.list()) n += await this.cache.sizeOf(m.id);
    return n;
  }

  /** Verified files: from the cache when present, else fetched, checked and cached. */
  async load(id: string, opts?: LoadOptions): Promise<LoadedModel> {
    return loadModelFiles(this.get(id), { cache: this.cache, fetchFile: this.fetchFile, caps: await this.caps() }, opts);
  }

  async delete(id: string): Promise<void> {
    this.get(id);
    await this.cache.deleteModel(id);
  }

  async clear(): Promise<void> {
    await this.cache.clear();
  }
}
