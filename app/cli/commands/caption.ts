/**
 * `atelier caption`: caption an image, or answer a question about it, with the micro-VLM and
 * DyVTE visual-token exit (pipelines/dyvte) on onnxruntime-node.
 *
 *   npx atelier caption --image img.png [--question "what color is the star?"] [--no-exit | --exit-layer K]
 *                       [--temperature T] [--top-k K] [--seed S] [--max-tokens N] [--model-dir DIR] [--json]
 *
 * The final text (or, with --json, one JSON object: text, exit layer, per-layer strip, FLOPs with
 * and without exit, times, recipe) goes to stdout; a one-line summary (exit layer, FLOPs saved) to
 * stderr. Bad input gets one sentence on stderr and exit code 2.
 */
import { readFile, stat } from 'node:fs/promises';
import { createNodeRuntime } from '../../../models/runtime/backends/nodeCpu.ts';
import { DEFAULT_VLM_DIR, readVlmDir } from '../../../models/train/vlm/files.ts';
import { runJob } from '../../../pipelines/core/runJob.ts';
import { type CaptionParams, type CaptionResult, captionDefaults, run as runCaption } from '../../../pipelines/dyvte/index.ts';
import type { CliIo } from '../io.ts';
import { flag, has } from '../io.ts';

export const USAGE = `usage: atelier caption --image img.png [--question "…"] [--no-exit | --exit-layer K] [--temperature T]
                       [--top-k K] [--seed S] [--max-tokens N] [--model-dir ${DEFAULT_VLM_DIR}] [--json]`;

/** Files above this are refused before reading (decoding checks pixel counts separately). */
export const MAX_IMAGE_BYTES = 64 << 20;

function num(args: string[], name: string, fallback: number): number {
  const s = flag(args, name);
  if (s === undefined) return fallback;
  const n = Number(s);
  if (s.trim() === '' || !Number.isFinite(n)) throw new UsageError(`--${name} must be a number, got "${s}"`);
  return n;
}

class UsageError extends Error {}

export async function run(args: string[], io: CliIo): Promise<number> {
  if (has(args, 'help') || has(args, '-h')) {
    io.out(USAGE);
    return 0;
  }
  const image = flag(args, 'image');
  if (!image || image.startsWith('--')) {
    io.err(`atelier caption: --image is required\n${USAGE}`);
    return 2;
  }
  const question = args.includes('--question') || args.some((a) => a.startsWith('--question=')) ? (flag(args, 'question') ?? '') : undefined;
  let params: CaptionParams;
  try {
    const layer = flag(args, 'exit-layer');
    if (layer !== undefined && has(args, 'no-exit')) throw new UsageError('use either --no-exit or --exit-layer, not both');
    params = {
      ...captionDefaults,
      exit: has(args, 'no-exit') ? 'none' : layer !== undefined ? num(args, 'exit-layer', 0) : captionDefaults.exit,
      temperature: num(args, 'temperature', captionDefaults.temperature), topK: num(args, 'top-k', captionDefaults.topK),
      seed: num(args, 'seed', captionDefaults.seed), maxTokens: num(args, 'max-tokens', captionDefaults.maxTokens),
    };
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.err(`atelier caption: ${e.message}`);
    return 2;
  }

  let bytes: Uint8Array;
  try {
    const s = await stat(image);
    if (!s.isFile()) throw new UsageError(`${image} is not a file`);
    if (s.size > MAX_IMAGE_BYTES) throw new UsageError(`${image} is ${(s.size / 2 ** 20).toFixed(0)} MiB; images up to ${MAX_IMAGE_BYTES / 2 ** 20} MiB are accepted`);
    bytes = new Uint8Array(await readFile(image));
  } catch (e) {
    const code = (e as { code?: string }).code;
    io.err(`atelier caption: ${e instanceof UsageError ? e.message : code === 'ENOENT' ? `no such file: ${image}` : `cannot read ${image}: ${(e as Error).message}`}`);
    return 2;
  }

  const dir = flag(args, 'model-dir') ?? DEFAULT_VLM_DIR;
  let model;
  try {
    model = await readVlmDir(dir);
  } catch (e) {
    io.err(`atelier caption: ${(e as Error).message}`);
    return 1;
  }
  if (params.exit === 'dyvte' && !model.json.files.gates) {
    io.err('note: this micro-VLM has no DyVTE gates yet (npm run train -- dyvte-gates); running without exit');
    params.exit = 'none';
  }

  const rt = await createNodeRuntime();
  try {
    const end = await runJob(runCaption, rt, { image: bytes, question, model }, params, {
      signal: new AbortController().signal,
      emit: (e) => {
        if (e.type === 'warning') io.err(`warning: ${e.message}`);
      },
    });
    if (end.type === 'error') {
      io.err(`atelier caption: ${end.message}`);
      // Input problems (image, question, parameters) are the user's to fix: exit code 2.
      return end.code && end.code !== 'no-model' ? 2 : 1;
    }
    if (end.type === 'canceled') return 130;
    const r = end.result as CaptionResult;
    io.err(`exit ${r.exitLayer === null ? 'none' : `after layer ${r.exitLayer}`} · LM ${(r.flops / 1e6).toFixed(1)} MFLOPs (${(100 * r.flopsSaved).toFixed(0)}% saved) · ${r.ms.toFixed(0)} ms`);
    io.out(has(args, 'json') ? JSON.stringify(r) : r.text);
    return 0;
  } finally {
    await rt.dispose();
  }
}
