/**
 * The micro-VLM's files for the 'caption' task, which takes the model as bytes (model.json plus
 * the files it lists): fetched once from the app's assets and kept for later requests. A missing
 * model is a clear "not available" state, not a crash.
 */
import type { VlmModelJson } from '../../models/zoo/vlm/bundle.ts';
import { loadMicroVlmFiles } from '../../pipelines/dyvte/loadFiles.ts';

export interface CaptionModelFiles {
  json: VlmModelJson;
  files: Record<string, Uint8Array>;
}

/** Where `npm run train -- vlm` writes the committed micro-VLM (served under /models/…). */
export const CAPTION_MODEL_DIR = 'models/micro-vlm/';

export class CaptionModelMissing extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CaptionModelMissing';
  }
}

export type FetchBytes = (path: string) => Promise<Uint8Array>;

export const fetchAsset: FetchBytes = async (path) => {
  const res = await fetch(new URL(path, document.baseURI));
  // Static hosts answer unknown paths with the app's index.html (SPA fallback): that is "not found" too.
  if (!res.ok || (res.headers.get('content-type') ?? '').includes('text/html')) throw new CaptionModelMissing(`${path} not found (HTTP ${res.status})`);
  return new Uint8Array(await res.arrayBuffer());
};

/**
 * The pipeline's own loader (size + sha256 per file against model.json) over the app's assets;
 * any failure becomes the workspace's "not available" state with the loader's reason.
 */
export async function loadCaptionModel(get: FetchBytes = fetchAsset, dir = CAPTION_MODEL_DIR): Promise<CaptionModelFiles> {
  try {
    return await loadMicroVlmFiles((name) => get(`${dir}${name}`));
  } catch (e) {
    if (e instanceof CaptionModelMissing) throw e;
    throw new CaptionModelMissing(`The micro-VLM is not available: ${(e as Error).message}`);
  }
}
