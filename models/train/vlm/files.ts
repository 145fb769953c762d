/**
 * Reading and writing a micro-VLM directory (format: models/zoo/vlm/bundle.ts). Writes go to a
 * temp name first and are renamed, so a crashed run never leaves a torn file; reads check every
 * file's size and sha256 against model.json.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type VlmFileEntry, type VlmModelJson, encodeWeights } from '../../zoo/vlm/bundle.ts';

export const DEFAULT_VLM_DIR = join('assets', 'models', 'micro-vlm');

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

async function put(dir: string, name: string, bytes: Uint8Array): Promise<VlmFileEntry> {
  const tmp = join(dir, `.${name}.tmp`);
  await writeFile(tmp, bytes);
  await rename(tmp, join(dir, name));
  return { name, bytes: bytes.length, sha256: sha256(bytes) };
}

async function putJson(dir: string, json: VlmModelJson): Promise<void> {
  await put(dir, 'model.json', new TextEncoder().encode(`${JSON.stringify(json, null, 1)}\n`));
}

export async function writeVlmDir(dir: string, o: { json: Omit<VlmModelJson, 'files'>; vision: Uint8Array; weights: Map<string, Float32Array>; dims: Map<string, number[]> }): Promise<VlmModelJson> {
  await mkdir(dir, { recursive: true });
  const files = { vision: await put(dir, 'vision.onnx', o.vision), weights: await put(dir, 'weights.onnx', encodeWeights(o.weights, o.dims)) };
  const json: VlmModelJson = { ...o.json, files };
  await putJson(dir, json);
  return json;
}

/** Add (or replace) the DyVTE gates of an existing directory. */
export async function writeGates(dir: string, gates: Map<string, Float32Array>, dims: Map<string, number[]>, summary: Record<string, unknown>): Promise<VlmModelJson> {
  const { json } = await readVlmDir(dir);
  const entry = await put(dir, 'gates.onnx', encodeWeights(gates, dims));
  const out: VlmModelJson = { ...json, files: { ...json.files, gates: entry }, gates: summary };
  await putJson(dir, out);
  return out;
}

export async function readVlmDir(dir = DEFAULT_VLM_DIR): Promise<{ json: VlmModelJson; files: Record<string, Uint8Array> }> {
  if (!existsSync(join(dir, 'model.json'))) throw new Error(`no micro-VLM in ${dir} (train one: npm run train -- vlm)`);
  const json = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8')) as VlmModelJson;
  const files: Record<string, Uint8Array> = {};
  for (const e of [json.files.vision, json.files.weights, json.files.gates]) {
    if (!e) continue;
    const b = new Uint8Array(await readFile(join(dir, e.name)));
    if (b.length !== e.bytes || sha256(b) !== e.sha256) throw new Error(`${join(dir, e.name)}: size/sha256 differ from model.json`);
    files[e.name] = b;
  }
  return { json, files };
}
