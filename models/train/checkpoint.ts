/**
 * Checkpoints as ONNX files whose initializers are the training state: params, optimizer
 * state, the step counter, the data loader's position and PRNG state, plus metadata.
 * Any ONNX reader can open them; params keep their graph names so a checkpoint's
 * initializers can be dropped into the inference model by name.
 * Writes are atomic (temp file in the same directory, then rename), so an interrupted
 * run leaves either the previous checkpoint or the new one, never a torn file.
 */
import { mkdir, readFile, rename, writeFile, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Model, TensorData } from '../graph/ir.ts';
import { encodeModel } from '../graph/encode.ts';
import { decodeModel } from '../graph/decode.ts';
import type { LoaderState } from './DataLoader.ts';

const LOADER = { pos: 'train.loader.position', rng: 'train.loader.rng', spare: 'train.loader.spare' } as const;

export interface Checkpoint {
  /** Carried training tensors by name (params, optimizer state, optim.step). */
  tensors: Map<string, TensorData>;
  loader?: LoaderState;
  meta: Record<string, string>;
}

export function checkpointModel(c: Checkpoint): Model {
  const init = new Map(c.tensors);
  if (c.loader) {
    const l = c.loader;
    init.set(LOADER.pos, { name: LOADER.pos, dtype: 'int64', dims: [2], values: BigInt64Array.from([BigInt(l.epoch), BigInt(l.cursor)]) });
    init.set(LOADER.rng, { name: LOADER.rng, dtype: 'int64', dims: [4], values: BigInt64Array.from(l.epochRng.s.map(BigInt)) });
    // NaN marks "no pending Box–Muller sample".
    init.set(LOADER.spare, { name: LOADER.spare, dtype: 'float64', dims: [1], values: Float64Array.from([l.epochRng.spare ?? NaN]) });
  }
  return {
    opset: 17, irVersion: 8, producer: 'atelier-trainer', metadata: { ...c.meta, kind: 'atelier.checkpoint' },
    graph: { name: 'checkpoint', nodes: [], inputs: [], outputs: [], initializers: init, valueInfo: new Map() },
  };
}

export async function saveCheckpoint(path: string, c: Checkpoint): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}-${Date.now()}`;
  try {
    await writeFile(tmp, encodeModel(checkpointModel(c)), { flush: true });
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}

export function parseCheckpoint(bytes: Uint8Array): Checkpoint {
  const m = decodeModel(bytes);
  if (m.metadata.kind !== 'atelier.checkpoint') throw new Error('not an Atelier checkpoint (metadata kind missing)');
  const tensors = new Map(m.graph.initializers);
  let loader: LoaderState | undefined;
  const pos = tensors.get(LOADER.pos), rng = tensors.get(LOADER.rng), spare = tensors.get(LOADER.spare);
  if (pos && rng && spare) {
    const p = pos.values as BigInt64Array, s = rng.values as BigInt64Array, sp = (spare.values as Float64Array)[0];
    loader = { epoch: Number(p[0]), cursor: Number(p[1]), epochRng: { s: [Number(s[0]), Number(s[1]), Number(s[2]), Number(s[3])], spare: Number.isNaN(sp) ? null : sp } };
  }
  for (const k of Object.values(LOADER)) tensors.delete(k);
  const { kind: _kind, ...meta } = m.metadata;
  return { tensors, loader, meta };
}

export async function loadCheckpoint(path: string): Promise<Checkpoint> {
  return parseCheckpoint(new Uint8Array(await readFile(path)));
}
