/**
 * Where verified model files are kept between sessions. Entries are keyed by model id,
 * file name and sha256, so a manifest update (new hash) never serves stale bytes.
 * Implementations: ./nodeCache.ts (a directory) and ./browserCache.ts (Cache API).
 */
export interface CacheKey {
  modelId: string;
  file: string;
  sha256: string;
}

export interface ModelCache {
  /** Human-readable location (directory, or Cache API bucket name). */
  readonly location: string;
  has(k: CacheKey, bytes: number): Promise<boolean>;
  get(k: CacheKey): Promise<Uint8Array | undefined>;
  put(k: CacheKey, data: Uint8Array): Promise<void>;
  /** Bytes stored for a model (all its files). */
  sizeOf(modelId: string): Promise<number>;
  deleteModel(modelId: string): Promise<void>;
  clear(): Promise<void>;
}

/** In-memory cache: for tests and for contexts without persistent storage. */
export class MemoryCache implements ModelCache {
  readonly location = 'memory';
  private readonly m = new Map<string, Uint8Array>();
  private key(k: CacheKey): string { return `${k.modelId}/${k.sha256}/${k.file}`; }
  async has(k: CacheKey, bytes: number): Promise<boolean> { return this.m.get(this.key(k))?.length === bytes; }
  async get(k: CacheKey): Promise<Uint8Array | undefined> { return this.m.get(this.key(k)); }
  async put(k: CacheKey, data: Uint8Array): Promise<void> { this.m.set(this.key(k), data); }
  async sizeOf(modelId: string): Promise<number> {
    let n = 0;
    for (const [k, v] of this.m) if (k.startsWith(`${modelId}/`)) n += v.length;
    return n;
  }
  async deleteModel(modelId: string): Promise<void> {
    for (const k of [...this.m.keys()]) if (k.startsWith(`${modelId}/`)) this.m.delete(k);
  }
  async clear(): Promise<void> { this.m.clear(); }
}
