/**
 * Loading a micro-VLM directory through any byte fetcher (the browser worker: `fetch` of
 * `models/micro-vlm/<name>` under the app's assets; Node: readFile), checking each file's size and
 * sha256 against model.json with WebCrypto, which both have. The result is CaptionInput.model.
 *
 *   const model = await loadMicroVlmFiles(async (name) => new Uint8Array(await (await fetch(`models/micro-vlm/${name}`)).arrayBuffer()));
 */
import type { VlmModelJson } from '../../models/zoo/vlm/bundle.ts';
import type { MicroVlmFiles } from './params.ts';

export type FetchBytes = (name: string) => Promise<Uint8Array>;

async function sha256Hex(b: Uint8Array): Promise<string> {
  const d = new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', b as Uint8Array<ArrayBuffer>));
  return Array.from(d, (x) => x.toString(16).padStart(2, '0')).join('');
}

export async function loadMicroVlmFiles(fetchBytes: FetchBytes): Promise<MicroVlmFiles> {
  let json: VlmModelJson;
  try {
    json = JSON.parse(new TextDecoder().decode(await fetchBytes('model.json'))) as VlmModelJson;
  } catch (e) {
    throw new Error(`micro-VLM: model.json could not be read (${(e as Error).message}); train it with npm run train -- vlm`, { cause: e });
  }
  if (!json?.config || !json.files?.vision || !json.files.weights) throw new Error('micro-VLM: model.json lacks config or files');
  const files: Record<string, Uint8Array> = {};
  for (const e of [json.files.vision, json.files.weights, json.files.gates]) {
    if (!e) continue;
    const b = await fetchBytes(e.name);
    if (b.length !== e.bytes) throw new Error(`micro-VLM: ${e.name} has ${b.length} bytes, model.json says ${e.bytes} (partial download?)`);
    if ((await sha256Hex(b)) !== e.sha256) throw new Error(`micro-VLM: ${e.name} does not match its sha256 in model.json`);
    files[e.name] = b;
  }
  return { json, files };
}
