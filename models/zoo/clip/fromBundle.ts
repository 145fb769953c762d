/**
 * A ClipModel from a ClipBundle's loaded files: picks the tokenizer the bundle names (the
 * Microworld word tokenizer for micro-CLIP, the model's own BPE tokenizer.json for real CLIP),
 * so swapping micro-CLIP for real CLIP is a manifest choice, not a code change.
 *
 *   const v = await loadModelFiles(bundle.vision, deps); const t = await loadModelFiles(bundle.text, deps);
 *   const clip = await clipFromBundle(rt, bundle, { ...v.files, ...t.files, ...tokenizerFiles });
 */
import type { ClipBundle } from '../../manifests/clipBundle.ts';
import type { Runtime } from '../../runtime/Runtime.ts';
import { ClipBpeTokenizer } from '../../text/hfTokenizer.ts';
import { MicroTokenizer, toBigInt64 } from '../../text/tokenizer.ts';
import { type BatchTokenizer, ClipModel } from './ClipModel.ts';

export function bundleTokenizer(bundle: ClipBundle, files: Record<string, Uint8Array>): BatchTokenizer {
  const t = bundle.tokenizer;
  if (t.kind === 'microworld-words') {
    const tok = MicroTokenizer.microworld({ contextLength: t.contextLength });
    return (texts) => {
      const e = tok.encodeBatch(texts);
      return { ids: toBigInt64(e.ids), attentionMask: toBigInt64(e.attentionMask), length: e.contextLength };
    };
  }
  const read = (name: string) => {
    const b = files[name];
    if (!b) throw new Error(`${bundle.id}: tokenizer file ${name} was not provided`);
    return JSON.parse(new TextDecoder().decode(b)) as Record<string, unknown>;
  };
  const config = t.files.config && files[t.files.config] ? read(t.files.config) : {};
  return ClipBpeTokenizer.fromJSON(read(t.files.tokenizer), config, { contextLength: t.contextLength }).batch();
}

export async function clipFromBundle(rt: Runtime, bundle: ClipBundle, files: Record<string, Uint8Array>): Promise<ClipModel> {
  const graph = (m: ClipBundle['vision']) => {
    const b = files[m.files[0].name];
    if (!b) throw new Error(`${bundle.id}: ${m.files[0].name} was not provided`);
    return b;
  };
  return ClipModel.create(rt, { vision: graph(bundle.vision), text: graph(bundle.text), tokenize: bundleTokenizer(bundle, files) });
}
