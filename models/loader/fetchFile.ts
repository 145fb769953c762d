/**
 * Reading a model file's bytes with progress. `httpFetchFile` works wherever `fetch`
 * does (browser worker, Node); relative locations resolve against a base URL (the
 * studio's origin, where Vite serves assets/). Node's assets come from disk
 * (./nodeFetchFile.ts). Failures to reach the bytes become `UnreachableError`.
 */
import { UnreachableError } from './errors.ts';

export interface FetchRequest {
  modelId: string;
  file: string;
  /** Assets-relative path or absolute URL (see schema.ts fileLocation). */
  location: string;
  onProgress(loaded: number): void;
  signal?: AbortSignal;
}

export type FetchFile = (r: FetchRequest) => Promise<Uint8Array>;

const isAbsolute = (loc: string) => /^[a-z][a-z0-9+.-]*:/i.test(loc);

/** Read a response body chunk by chunk, reporting bytes as they arrive. */
export async function readBody(res: Response, onProgress: (loaded: number) => void): Promise<Uint8Array> {
  if (!res.body) {
    const b = new Uint8Array(await res.arrayBuffer());
    onProgress(b.length);
    return b;
  }
  const chunks: Uint8Array[] = [];
  let loaded = 0;
  const reader = res.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    loaded += value.length;
    onProgress(loaded);
  }
  const out = new Uint8Array(loaded);
  let o = 0;
  for (const c of chunks) { out.set(c, o); o += c.length; }
  return out;
}

export function httpFetchFile(base: string): FetchFile {
  return async (r) => {
    const url = isAbsolute(r.location) ? r.location : new URL(r.location, base).href;
    let res: Response;
    try {
      res = await fetch(url, { signal: r.signal, cache: 'no-store' });
    } catch (err) {
      if (r.signal?.aborted) throw err;
      throw new UnreachableError(r.modelId, r.file, url, (err as Error).message || 'network error');
    }
    if (!res.ok) throw new UnreachableError(r.modelId, r.file, url, `HTTP ${res.status}`);
    // An SPA server answers unknown paths with index.html; that is not the file we asked for.
    if ((res.headers.get('content-type') ?? '').startsWith('text/html')) {
      throw new UnreachableError(r.modelId, r.file, url, 'the server returned an HTML page instead of the file');
    }
    return readBody(res, r.onProgress);
  };
}

export { isAbsolute };
