/**
 * Writing a trained micro-CLIP: the two inference graphs (public CLIP export I/O) with the
 * trained weights, and `model.json` beside them (files with bytes and sha256, config,
 * tokenizer, training summary, evaluation) that models/manifests/clip*.ts read.
 */
import { createHash } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { encodeModel } from '../../graph/encode.ts';
import { clipTextGraph, clipVisionGraph, withWeights } from '../../zoo/clip/clipGraphs.ts';
import type { ClipConfig } from '../../zoo/clip/config.ts';

export interface ExportedClip {
  vision: Uint8Array;
  text: Uint8Array;
}

/** Both graphs with `weights` in place; throws if a graph parameter has no trained value. */
export function exportClip(cfg: ClipConfig, weights: ReadonlyMap<string, Float32Array>, meta: Record<string, string> = {}): ExportedClip {
  const build = (m: ReturnType<typeof clipVisionGraph>) => {
    const { model, used } = withWeights(m, weights);
    const missing = [...m.graph.initializers.keys()].filter((k) => k.includes('.') && !k.includes('/') && !used.includes(k));
    if (missing.length) throw new Error(`exportClip: no trained value for ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ', …' : ''}`);
    return encodeModel(model);
  };
  return {
    vision: build(clipVisionGraph(cfg, 0, { metadata: meta })),
    text: build(clipTextGraph(cfg, 0, { metadata: meta })),
  };
}

export interface ModelJsonFile { name: string; bytes: number; sha256: string }

export interface ClipModelJson {
  id: string;
  config: ClipConfig;
  tokenizer: { kind: 'microworld-words'; contextLength: number; vocabSize: number };
  files: { vision: ModelJsonFile; text: ModelJsonFile };
  training?: Record<string, unknown>;
  evaluation?: Record<string, unknown>;
}

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

async function atomicWrite(path: string, bytes: Uint8Array | string): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}`;
  await writeFile(tmp, bytes);
  await rename(tmp, path);
}

export async function writeClipModel(dir: string, id: string, cfg: ClipConfig, e: ExportedClip, extra: Pick<ClipModelJson, 'training' | 'evaluation'> = {}): Promise<ClipModelJson> {
  await mkdir(dir, { recursive: true });
  await atomicWrite(join(dir, 'vision_model.onnx'), e.vision);
  await atomicWrite(join(dir, 'text_model.onnx'), e.text);
  const json: ClipModelJson = {
    id, config: cfg,
    tokenizer: { kind: 'microworld-words', contextLength: cfg.text.contextLength, vocabSize: cfg.text.vocabSize },
    files: {
      vision: { name: 'vision_model.onnx', bytes: e.vision.length, sha256: sha256(e.vision) },
      text: { name: 'text_model.onnx', bytes: e.text.length, sha256: sha256(e.text) },
    },
    ...extra,
  };
  await atomicWrite(join(dir, 'model.json'), `${JSON.stringify(json, null, 1)}\n`);
  return json;
}
