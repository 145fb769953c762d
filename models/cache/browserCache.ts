/**
 * Browser model cache on the Cache API (works in module workers; specs/runtime.md §5.1:
 * OPFS was not faster). Entries are keyed by a synthetic same-origin URL
 * `/__atelier-cache__/<id>/<sha256>/<name>`; nothing is ever served from that path.
 */
import type { CacheKey, ModelCache } from './ModelCache.ts';

const BUCKET = 'atelier-models-v1';
const PREFIX = '/__atelier-cache__/';

export class BrowserCache implements ModelCache {
  readonly location = `Cache API "${BUCKET}"`;

  constructor(private readonly origin: string) {}

  private url(k: CacheKey): string {
    return `${this.origin}${PREFIX}${encodeURIComponent(k.modelId)}/${k.sha256}/${encodeURIComponent(k.file)}`;
  }

  private open(): Promise<Cache> {
    return caches.open(BUCKET);
  }

  async has(k: CacheKey, bytes: number): Promise<boolean> {
    const r = await (await this.open()).match(this.url(k));
    return Number(r?.headers.get('content-length') ?? -1) === bytes;
  }

  async get(k: CacheKey): Promise<Uint8Array | undefined> {
    const r = await (await this.open()).match(this.url(k));
    return r ? new Uint8Array(await r.arrayBuffer()) : undefined;
  }

  async put(k: CacheKey, data: Uint8Array): Promise<void> {
    const body = data.slice().buffer as ArrayBuffer;
    const headers = { 'content-type': 'application/octet-stream', 'content-length': String(data.length) };
    await (await this.open()).put(this.url(k), new Response(body, { headers }));
  }

  private async keysOf(modelId?: string): Promise<Request[]> {
    const prefix = `${this.origin}${PREFIX}${modelId === undefined ? '' : `${encodeURIComponent(modelId)}/`}`;
    return (await (await this.open()).keys()).filter((r) => r.url.startsWith(prefix));
  }

  async sizeOf(modelId: string): Promise<number> {
    const c = await this.open();
    let n = 0;
    for (const req of await this.keysOf(modelId)) n += Number((await c.match(req))?.headers.get('content-length') ?? 0);
    return n;
  }

  async deleteModel(modelId: string): Promise<void> {
    const c = await this.open();
    await Promise.all((await this.keysOf(modelId)).map((r) => c.delete(r)));
  }

  async clear(): Promise<void> {
    await caches.delete(BUCKET);
  }
}
