/**
 * `atelier stylize`: text-guided mesh stylization (pipelines/xmesh) on onnxruntime-node.
 *
 *   npx atelier stylize --mesh sample:vase --prompt "a red brick vase" --steps 200 --seed 23 \
 *       --method tdam|text2mesh --out out.glb          (.glb or .ply by extension)
 *
 * Options: --views 4, --preset interactive|paper, --lr 5e-4, --width 256, --depth 4,
 * --frequencies 256, --target-vertices N (midpoint subdivision first), --clip micro-clip
 * (a directory under assets/models/) or --clip-dir DIR (vision_model.onnx + text_model.onnx +
 * model.json with the micro word tokenizer), --text-embedding FILE (a JSON array: the prompt's raw
 * CLIP text embedding, for CLIP towers whose tokenizer we do not ship), --json (summary on stdout).
 * Progress goes to stderr.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeModel } from '../../../models/graph/decode.ts';
import { createNodeRuntime } from '../../../models/runtime/backends/nodeCpu.ts';
import type { Runtime } from '../../../models/runtime/Runtime.ts';
import { MicroTokenizer } from '../../../models/text/tokenizer.ts';
import { readClipDir } from '../../../models/train/clip/evalCli.ts';
import { microTokenize } from '../../../models/train/clip/microTokenize.ts';
import { ClipModel } from '../../../models/zoo/clip/ClipModel.ts';
import { exportGlb, exportPly } from '../../../pipelines/core/mesh/exportMesh.ts';
import { loadMesh, type LoadedMesh } from '../../../pipelines/core/mesh/loadMesh.ts';
import { sampleMesh } from '../../../pipelines/core/mesh/samples.ts';
import { isXmeshPreset, run as runXmesh, xmeshDefaults, type XmeshClipInput, type XmeshParams, type XmeshResult } from '../../../pipelines/xmesh/index.ts';
import { renderViews } from '../../../shaders/render/renderViews.ts';
import { encodePng } from '../../../pipelines/core/png.ts';
import type { CliIo } from '../io.ts';
import { flag, has } from '../io.ts';

export const USAGE = `usage: atelier stylize --mesh <file|sample:NAME> --prompt "…" [--steps N] [--seed S]
                       [--method tdam|text2mesh] [--out out.glb|out.ply] [--views 4] [--preset interactive|paper]
                       [--lr 5e-4] [--width 256] [--depth 4] [--frequencies 256] [--target-vertices N]
                       [--clip micro-clip | --clip-dir DIR] [--text-embedding FILE] [--png before-after.png] [--json]`;

/**
 * Before | after strip: the input in gray and the stylized mesh, each from the front (+X, the
 * optimizer's view 0) and from 45° azimuth / 30° elevation, at the evaluation camera (r 2.5, FOV 45°).
 */
export function beforeAfterPng(before: { positions: Float32Array; indices: Uint32Array }, after: { positions: Float32Array; indices: Uint32Array; colors: Float32Array }, size = 128, text: Record<string, string> = {}): Uint8Array {
  const views = [{ azimuth: 0, elevation: 0.2, radius: 2.5, fov: Math.PI / 4 }, { azimuth: Math.PI / 4, elevation: Math.PI / 6, radius: 2.5, fov: Math.PI / 4 }];
  const gray = new Float32Array(before.positions.length).fill(0.5);
  const tiles = [renderViews({ ...before, colors: gray }, views, size).images, renderViews(after, views, size).images];
  const W = size * 4, S2 = size * size, data = new Uint8Array(W * size * 3);
  tiles.forEach((imgs, t) => {
    for (let v = 0; v < 2; v++) {
      for (let p = 0; p < S2; p++) {
        const x = (t * 2 + v) * size + (p % size), y = Math.floor(p / size);
        for (let c = 0; c < 3; c++) data[(y * W + x) * 3 + c] = Math.round(Math.min(1, Math.max(0, imgs[(v * 3 + c) * S2 + p])) * 255);
      }
    }
  });
  return encodePng({ width: W, height: size, channels: 3, data }, text);
}

/** A mesh from a file path or `sample:NAME`. */
export async function loadMeshArg(spec: string, targetVertices?: number): Promise<LoadedMesh> {
  if (spec.startsWith('sample:')) return sampleMesh(spec.slice(7), { targetVertices });
  return loadMesh(new Uint8Array(await readFile(spec)), spec, { targetVertices });
}

/** A CLIP for stylization: the image tower and a prompt encoder (raw embeddings). */
export interface NodeClip {
  id: string;
  sha256: string;
  vision: Uint8Array;
  encode(prompts: string[]): Promise<Float32Array[]>;
  dispose(): Promise<void>;
}

/** micro-CLIP-style directory (model.json + two graphs, sha256-checked), micro word tokenizer. */
export async function loadClipDir(rt: Runtime, dir: string): Promise<NodeClip> {
  const { json, vision, text } = await readClipDir(dir);
  const tok = MicroTokenizer.microworld({ contextLength: json.tokenizer.contextLength });
  const clip = await ClipModel.create(rt, { vision, text, tokenize: microTokenize(tok) });
  return {
    id: json.id, sha256: json.files.vision.sha256, vision,
    async encode(prompts) {
      const e = await clip.encodeTexts(prompts);
      return prompts.map((_, i) => e.slice(i * clip.dim, (i + 1) * clip.dim));
    },
    dispose: () => clip.dispose(),
  };
}

const num = (args: string[], name: string, dflt: number): number => {
  const v = flag(args, name);
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new Error(`--${name} needs a number, got '${v}'`);
  return n;
};

export async function run(args: string[], io: CliIo): Promise<number> {
  if (has(args, 'help') || has(args, 'h')) { io.out(USAGE); return 0; }
  const meshSpec = flag(args, 'mesh'), prompt = flag(args, 'prompt');
  if (!meshSpec || !prompt) { io.err(`stylize: --mesh and --prompt are required\n${USAGE}`); return 2; }
  const method = flag(args, 'method') ?? 'tdam';
  if (method !== 'tdam' && method !== 'text2mesh') { io.err(`stylize: --method must be tdam or text2mesh, got '${method}'`); return 2; }
  const preset = flag(args, 'preset') ?? 'interactive';
  if (!isXmeshPreset(preset)) { io.err(`stylize: --preset must be interactive or paper, got '${preset}'`); return 2; }
  const out = flag(args, 'out') ?? 'stylized.glb';
  if (!/\.(glb|ply)$/i.test(out)) { io.err(`stylize: --out must end in .glb or .ply, got '${out}'`); return 2; }
  const params: XmeshParams = {
    ...xmeshDefaults, method, preset,
    steps: num(args, 'steps', xmeshDefaults.steps), seed: num(args, 'seed', xmeshDefaults.seed), views: num(args, 'views', xmeshDefaults.views),
    lr: num(args, 'lr', xmeshDefaults.lr), width: num(args, 'width', xmeshDefaults.width), depth: num(args, 'depth', xmeshDefaults.depth),
    frequencies: num(args, 'frequencies', xmeshDefaults.frequencies),
  };
  const target = flag(args, 'target-vertices');
  const loaded = await loadMeshArg(meshSpec, target ? Number(target) : undefined);
  io.err(`mesh ${meshSpec}: ${loaded.info.vertices} vertices, ${loaded.info.triangles} triangles${loaded.info.subdivided ? ' (subdivided)' : ''}`);

  const rt = await createNodeRuntime();
  const clip = await loadClipDir(rt, flag(args, 'clip-dir') ?? join('assets', 'models', flag(args, 'clip') ?? 'micro-clip'));
  try {
    const embFile = flag(args, 'text-embedding');
    const textEmbedding = embFile ? Float32Array.from(JSON.parse(await readFile(embFile, 'utf8')) as number[]) : (await clip.encode([prompt]))[0];
    const clipInput: XmeshClipInput = { vision: decodeModel(clip.vision), textEmbedding, id: clip.id, sha256: clip.sha256 };
    let last = 0;
    const res: XmeshResult = await runXmesh(rt, { mesh: loaded.mesh, prompt, clip: clipInput }, params, {
      signal: new AbortController().signal,
      emit: (e) => {
        if (e.type === 'phase') io.err(`[${e.phase}] ${e.label ?? ''}`);
        if (e.type === 'step' && (e.k === e.n || Date.now() - last > 2000)) {
          last = Date.now();
          io.err(`step ${e.k}/${e.n}${e.rate ? ` ${e.rate.toFixed(2)} it/s` : ''}${e.etaS !== undefined ? ` eta ${Math.round(e.etaS)}s` : ''}`);
        }
        if (e.type === 'warning') io.err(`warning: ${e.message}`);
      },
    });
    const recipe = { ...res.recipe, mesh: meshSpec };
    const bytes = /\.ply$/i.test(out)
      ? exportPly({ positions: res.positions, indices: res.indices, colors: res.colors }, `atelier xmesh ${JSON.stringify(recipe)}`)
      : exportGlb({ positions: res.positions, indices: res.indices, colors: res.colors }, { recipe, name: prompt });
    await writeFile(out, bytes);
    const png = flag(args, 'png');
    if (png) await writeFile(png, beforeAfterPng(loaded.mesh, { positions: res.positions, indices: res.indices, colors: res.colors }, 128, { recipe: JSON.stringify(recipe) }));
    const first = res.losses[0], lastLoss = res.losses[res.losses.length - 1];
    io.err(`wrote ${out} (${bytes.length} bytes); loss ${first.toFixed(4)} → ${lastLoss.toFixed(4)}, ${res.msPerIter.toFixed(0)} ms/it`);
    if (has(args, 'json')) io.out(JSON.stringify({ out, lossFirst: first, lossLast: lastLoss, msPerIter: res.msPerIter, recipe }));
    return 0;
  } finally {
    await clip.dispose();
    await rt.dispose();
  }
}
