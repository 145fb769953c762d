/**
 * The text tower a micro-UNet run trains on, shipped beside unet.onnx (like Stable Diffusion's
 * text_encoder inside its bundle): the UNet's cross-attention only understands the context of that
 * exact tower, so the bundle must not borrow assets/models/micro-clip, which is retrained on its own
 * schedule.
 *
 *   const src = readTextSource('assets/models/micro-clip');        // or a UNet bundle dir: its own copy
 *   … train on src.clipCfg / src.bytes …
 *   const rec = await writeTextEncoder('assets/models/micro-unet', src);   // text_model.onnx + model.json fields
 *
 * A trained source is copied byte for byte (same sha256 as the source's model.json records); an
 * untrained smoke run (`--allow-untrained`) exports the random tower it actually trained against.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { encodeModel } from '../../graph/encode.ts';
import type { Model } from '../../graph/ir.ts';
import type { FileRecord, MicroUnetJson } from '../../manifests/sdMicro.ts';
import { clipTextGraph, withWeights } from '../../zoo/clip/clipGraphs.ts';
import { type ClipConfig, microClipConfig } from '../../zoo/clip/config.ts';
import type { ClipModelJson } from '../clip/export.ts';
import { writeOnnx } from './common.ts';

export const TEXT_ENCODER_FILE = 'text_model.onnx';

/** The half of a CLIP config a text tower needs (a UNet bundle records only this). */
export type TextTowerConfig = Pick<ClipConfig, 'text' | 'projectionDim'>;

export interface TextSource {
  clipCfg: TextTowerConfig;
  bytes: Uint8Array;
  /** The CLIP model id the tower came from ('micro-clip', or 'untrained'). */
  from: string;
  /** Git commit of the source file when it is committed and unmodified. */
  commit?: string;
}

/** Last commit that touched `path`, or undefined when it is not tracked, has local changes, or git is unavailable. */
export function gitCommitOf(path: string): string | undefined {
  const git = (args: string[]) => execFileSync('git', args, { cwd: dirname(path), encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  try {
    const file = path.split(/[\\/]/).pop()!;
    if (git(['status', '--porcelain', '--', file]) !== '') return undefined;
    return git(['log', '-1', '--format=%H', '--', file]) || undefined;
  } catch {
    return undefined;
  }
}

/**
 * The text tower in `dir`: a micro-CLIP folder (model.json with config.text and files.text) or a
 * micro-UNet bundle (model.json with textEncoder and files.text), so a UNet can be retrained on
 * the copy it already carries after micro-CLIP has moved on.
 */
export function readTextSource(dir: string): TextSource {
  const j = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as ClipModelJson | MicroUnetJson;
  const path = join(dir, j.files.text.name);
  const bytes = new Uint8Array(readFileSync(path));
  if ('textEncoder' in j) {
    return { clipCfg: { text: j.textEncoder.config, projectionDim: j.textEncoder.projectionDim }, bytes, from: j.textEncoder.from, commit: j.textEncoder.commit };
  }
  return { clipCfg: { text: j.config.text, projectionDim: j.config.projectionDim }, bytes, from: j.id, commit: gitCommitOf(path) };
}

/** The random tower an `--allow-untrained` run used: its `text_model.*` weights from the train graph, in the export graph. */
export function untrainedTextSource(clipCfg: TextTowerConfig, trainGraph: Model): TextSource {
  const weights = new Map([...trainGraph.graph.initializers].filter(([k]) => k.startsWith('text_model.') && !k.includes('/')));
  const t = clipCfg.text;
  // The export graph takes a whole CLIP config; its vision half is never built (micro defaults).
  const full: ClipConfig = { ...microClipConfig(t.vocabSize, t.eotId, t.contextLength), ...clipCfg };
  return { clipCfg, bytes: encodeModel(withWeights(clipTextGraph(full, 'untrained'), weights).model), from: 'untrained' };
}

/** Writes `out`/text_model.onnx and returns the model.json fields that describe it. */
export async function writeTextEncoder(out: string, src: TextSource): Promise<{ file: FileRecord } & Pick<MicroUnetJson, 'tokenizer' | 'textEncoder'>> {
  const file = await writeOnnx(out, TEXT_ENCODER_FILE, src.bytes);
  const t = src.clipCfg.text;
  return {
    file,
    tokenizer: { kind: 'microworld-words', contextLength: t.contextLength, vocabSize: t.vocabSize },
    textEncoder: {
      from: src.from, ...(src.commit ? { commit: src.commit } : {}), projectionDim: src.clipCfg.projectionDim, config: t,
      note: `the ${src.from} text tower this UNet was trained against, copied beside unet.onnx so retraining ${src.from} cannot change text2image output`,
    },
  };
}
