/**
 * The one path every model's bytes take: needs check (before any download) → per file:
 * cache hit, or fetch with progress → size check (truncated) → sha256 → cache put →
 * ONNX sniff of the graph file → I/O contract (against the session when a runtime is
 * given, else against the decoded graph). Emits per-file and total progress.
 */
import type { Capabilities, Runtime, Session, SessionOptions } from '../runtime/Runtime.ts';
import { fileLocation, totalBytes, type ModelManifest } from '../manifests/schema.ts';
import type { ModelCache } from '../cache/ModelCache.ts';
import type { FetchFile } from './fetchFile.ts';
import { Sha256MismatchError, TruncatedError, asLoadError } from './errors.ts';
import { checkIo, checkNeeds, sniffOnnx } from './checks.ts';
import { sha256Hex } from './sha256.ts';

export interface LoadProgress {
  loaded: number;
  total: number;
  files: Record<string, { loaded: number; total: number }>;
}

export interface LoadDeps {
  cache: ModelCache;
  fetchFile: FetchFile;
  caps: Capabilities;
}

export interface LoadOptions {
  onProgress?(p: LoadProgress): void;
  signal?: AbortSignal;
  /** Bytes the user picked, by file name (source 'user'). */
  userFiles?: Record<string, Uint8Array>;
}

export interface LoadedModel {
  manifest: ModelManifest;
  /** File bytes by name; the first manifest file is the graph. */
  files: Record<string, Uint8Array>;
  fromCache: boolean;
}

/** Verify one file's bytes against the manifest. */
async function verify(m: ModelManifest, name: string, expectBytes: number, expectSha: string, bytes: Uint8Array): Promise<void> {
  if (bytes.length < expectBytes) throw new TruncatedError(m.id, name, expectBytes, bytes.length);
  const sha = await sha256Hex(bytes);
  if (sha !== expectSha) throw new Sha256MismatchError(m.id, name, expectSha, sha);
}

/** Download (or read from cache), verify and cache a model's files. Throws a ModelLoadError. */
export async function loadModelFiles(m: ModelManifest, deps: LoadDeps, opts: LoadOptions = {}): Promise<LoadedModel> {
  try {
    checkNeeds(m, deps.caps);
    const progress: LoadProgress = { loaded: 0, total: totalBytes(m), files: {} };
    for (const f of m.files) progress.files[f.name] = { loaded: 0, total: f.bytes };
    const report = () => {
      progress.loaded = Object.values(progress.files).reduce((a, f) => a + f.loaded, 0);
      opts.onProgress?.({ ...progress, files: { ...progress.files } });
    };
    report();
    const files: Record<string, Uint8Array> = {};
    let allCached = true;
    for (const f of m.files) {
      const key = { modelId: m.id, file: f.name, sha256: f.sha256 };
      let bytes = (await deps.cache.has(key, f.bytes)) ? await deps.cache.get(key) : undefined;
      const fetched = !bytes;
      if (!bytes) {
        allCached = false;
        const onProgress = (loaded: number) => { progress.files[f.name] = { loaded: Math.min(loaded, f.bytes), total: f.bytes }; report(); };
        const user = opts.userFiles?.[f.name];
        if (user) onProgress(user.length);
        bytes = user ?? await deps.fetchFile({ modelId: m.id, file: f.name, location: fileLocation(m, f), onProgress, signal: opts.signal });
        await verify(m, f.name, f.bytes, f.sha256, bytes);
      }
      if (f === m.files[0]) {
        const io = sniffOnnx(m.id, f.name, bytes);
        if (io) checkIo(m, io);
      }
      if (fetched) await deps.cache.put(key, bytes);
      progress.files[f.name] = { loaded: f.bytes, total: f.bytes };
      report();
      files[f.name] = bytes;
    }
    return { manifest: m, files, fromCache: allCached };
  } catch (err) {
    if (opts.signal?.aborted) throw err;
    throw asLoadError(m.id, err);
  }
}

/** Create a session for a loaded model and check its declared I/O against the manifest. */
export async function createModelSession(rt: Runtime, loaded: LoadedModel, so?: SessionOptions): Promise<Session> {
  const [graph, ...rest] = loaded.manifest.files;
  const externalData = rest.length ? rest.map((f) => ({ path: f.name, data: loaded.files[f.name] })) : undefined;
  const s = await rt.createSession(loaded.files[graph.name], { ...so, externalData: externalData ?? so?.externalData });
  try {
    checkIo(loaded.manifest, s);
  } catch (err) {
    await s.dispose();
    throw asLoadError(loaded.manifest.id, err);
  }
  return s;
}
