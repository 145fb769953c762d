/**
 * The micro-VLM's files for the 'caption' task, which takes the model as bytes (model.json plus
 * the files it lists): fetched once from the app's assets and kept for later requests. A missing
 * model is a clear "not available" state, not a crash.
 */
import type { VlmModelJson } from '../../models/zoo/vlm/bundle.ts';

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

export async function loadCaptionModel(get: FetchBytes = fetchAsset, dir = CAPTION_MODEL_DIR): Promise<CaptionModelFiles> {
  let json: VlmModelJson;
  try {
    json = JSON.parse(new TextDecoder().decode(await get(`${dir}model.json`))) as VlmModelJson;
  } catch (e) {
    throw new CaptionModelMissing(`The micro-VLM is not available (${(e as Error).message}). Train it with \`npm run train -- vlm\`.`);
  }
  if (!json?.files?.vision || !json.files.weights) throw new CaptionModelMissing(`${dir}model.json lists no vision/weights files`);
  const entries = [json.files.vision, json.files.weights, json.files.gates].filter((f): f is NonNullable<typeof f> => !!f);
  const files: Record<string, Uint8Array> = {};
  for (const f of entries) {
    const b = await get(`${dir}${f.name}`);
    if (b.length !== f.bytes) throw new CaptionModelMissing(`${dir}${f.name} has ${b.length} bytes, model.json says ${f.bytes}`);
    files[f.name] = b;
  }
  return { json, files };
}
