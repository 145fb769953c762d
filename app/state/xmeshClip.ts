/**
 * The CLIP files a Mesh Stylize job needs, fetched on the UI side from the static assets
 * (micro-CLIP: `models/micro-clip/{model.json, vision_model.onnx, text_model.onnx}`), checked
 * against model.json's byte counts and sha256, plus the prompt tokenized with the micro word
 * tokenizer. The worker builds the CLIP gradient graph from the vision bytes (it needs the graph,
 * not only a session) and encodes the prompt once with the text tower.
 *
 *   const clip = await fetchClipAssets({ base: 'models/micro-clip/' }, 'a vase made of red brick');
 */
import { MicroTokenizer } from '../../models/text/tokenizer.ts';
import type { XmeshClipInput } from '../../pipelines/xmesh/index.ts';

export interface ClipAssetSource {
  /** Directory URL (relative to the page) holding model.json and the two graphs. */
  base: string;
}

interface ModelJson {
  id: string;
  tokenizer: { kind: string; contextLength: number };
  files: { vision: { name: string; bytes: number; sha256: string }; text: { name: string; bytes: number; sha256: string } };
}

const cache = new Map<string, Promise<{ json: ModelJson; vision: Uint8Array; text: Uint8Array }>>();

async function sha256Hex(b: Uint8Array): Promise<string> {
  const d = new Uint8Array(await crypto.subtle.digest('SHA-256', b as BufferSource));
  return [...d].map((x) => x.toString(16).padStart(2, '0')).join('');
}

async function fetchBytes(url: URL, f: ModelJson['files']['vision']): Promise<Uint8Array> {
  const r = await fetch(url);
  if (!r.ok) throw new Error(`CLIP file ${f.name}: HTTP ${r.status}`);
  const b = new Uint8Array(await r.arrayBuffer());
  if (b.length !== f.bytes) throw new Error(`CLIP file ${f.name}: ${b.length} bytes, model.json says ${f.bytes}`);
  if (typeof crypto !== 'undefined' && crypto.subtle && (await sha256Hex(b)) !== f.sha256) throw new Error(`CLIP file ${f.name}: sha256 differs from model.json`);
  return b;
}

async function load(base: URL) {
  const r = await fetch(new URL('model.json', base));
  if (!r.ok) throw new Error(`micro-CLIP is not available (${new URL('model.json', base).pathname}: HTTP ${r.status}). Train it with \`npm run train -- clip\`.`);
  const json = (await r.json()) as ModelJson;
  if (json.tokenizer.kind !== 'microworld-words') throw new Error(`CLIP ${json.id}: tokenizer '${json.tokenizer.kind}' is not supported in the studio yet`);
  const [vision, text] = await Promise.all([fetchBytes(new URL(json.files.vision.name, base), json.files.vision), fetchBytes(new URL(json.files.text.name, base), json.files.text)]);
  return { json, vision, text };
}

export async function fetchClipAssets(src: ClipAssetSource, prompt: string): Promise<XmeshClipInput> {
  const base = new URL(src.base.endsWith('/') ? src.base : `${src.base}/`, typeof document !== 'undefined' ? document.baseURI : 'http://127.0.0.1/');
  let p = cache.get(base.href);
  if (!p) {
    p = load(base);
    p.catch(() => cache.delete(base.href));
    cache.set(base.href, p);
  }
  const { json, vision, text } = await p;
  const enc = MicroTokenizer.microworld({ contextLength: json.tokenizer.contextLength }).encode(prompt);
  const ids = BigInt64Array.from(enc.ids, (v) => BigInt(v));
  const mask = BigInt64Array.from(enc.attentionMask, (v) => BigInt(v));
  return { vision, text, inputIds: ids, attentionMask: mask, id: json.id, sha256: json.files.vision.sha256 };
}
