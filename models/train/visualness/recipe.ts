/**
 * `npm run train -- visualness`: TIP-CLIP fine-tuning (tipTask.ts) of micro-CLIP's text tower,
 * then export of the shipped files to assets/models/visualness/:
 *   text_model.onnx   fine-tuned text encoder (public CLIP text export contract)
 *   visualness.onnx   scoring + attribution graph built from it (visualnessGraph.ts)
 *   model.json        NULL embedding, threshold (tuned on validation), config, training summary
 * Default recipe: 3 fine-tunes (--soup 3) of 600 steps from the same micro-CLIP, weights averaged.
 * Resumable: a checkpoint every --ckpt-every steps under the cache dir (one per soup member),
 * picked up unless --fresh.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { dirname, join } from 'node:path';
import { decodeModel } from '../../graph/decode.ts';
import { encodeModel } from '../../graph/encode.ts';
import { createNodeRuntime } from '../../runtime/backends/nodeCpu.ts';
import type { Runtime } from '../../runtime/Runtime.ts';
import { MicroTokenizer } from '../../text/tokenizer.ts';
import { normalizeBatch } from '../../vision/normalize.ts';
import { renderScene } from '../../data/microworld/renderScene.ts';
import { nullImage, visualnessExamples, type VisualnessExample } from '../../data/visualness/dataset.ts';
import { ClipModel, normalizeRows } from '../../zoo/clip/ClipModel.ts';
import { clipTextGraph, withWeights } from '../../zoo/clip/clipGraphs.ts';
import type { ClipConfig } from '../../zoo/clip/config.ts';
import { DataLoader } from '../DataLoader.ts';
import { Trainer } from '../Trainer.ts';
import { microTokenize } from '../clip/microTokenize.ts';
import { cacheRoot } from '../clip/samples.ts';
import { paramValues } from '../clip/task.ts';
import { classify, metrics, tuneThreshold, type Metrics } from './metrics.ts';
import { TipDataset, type TipTargets } from './tipDataset.ts';
import { tipTrainForward, tipTrainStep } from './tipTask.ts';
import { buildVisualnessGraph } from './visualnessGraph.ts';
import { TailAverage, averageWeights } from './weightAverage.ts';

interface Args { steps: number; batch: number; lr: number; train: number; val: number; clip: string; out: string; fresh: boolean; threads?: number; targets: TipTargets; ckptEvery: number; augment: boolean; articleSwap: boolean; ckpt?: string; rebuildGraph: boolean; seed: string; maskMax: number; maskVisual: number; soup: number; avgFrom: number }

function parseArgs(argv: string[]): Args {
  const a: Args = { steps: 600, batch: 64, lr: 3e-4, train: 4000, val: 400, clip: join('assets', 'models', 'micro-clip'), out: join('assets', 'models', 'visualness'), fresh: false, targets: 'literal', ckptEvery: 25, augment: true, articleSwap: false, rebuildGraph: false, seed: '', maskMax: 1, maskVisual: 0, soup: 3, avgFrom: 1 };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i], v = argv[i + 1];
    const num = () => { i++; const n = Number(v); if (!Number.isFinite(n)) throw new Error(`${k} needs a number, got '${v}'`); return n; };
    switch (k) {
      case '--steps': a.steps = num(); break;
      case '--batch': a.batch = num(); break;
      case '--lr': a.lr = num(); break;
      case '--train': a.train = num(); break;
      case '--val': a.val = num(); break;
      case '--threads': a.threads = num(); break;
      case '--ckpt-every': a.ckptEvery = num(); break;
      case '--clip': a.clip = v; i++; break;
      case '--out': a.out = v; i++; break;
      case '--ckpt': a.ckpt = v; i++; break;
      case '--targets': if (v !== 'literal' && v !== 'multi') throw new Error('--targets is literal or multi'); a.targets = v; i++; break;
      case '--seed': a.seed = v; i++; break;
      case '--mask-max': a.maskMax = num(); break;
      case '--mask-visual': a.maskVisual = num(); break;
      case '--soup': a.soup = num(); if (!Number.isInteger(a.soup) || a.soup < 1) throw new Error('--soup needs a whole number ≥ 1'); break;
      case '--avg-from': a.avgFrom = num(); if (a.avgFrom <= 0 || a.avgFrom > 1) throw new Error('--avg-from is a fraction of the steps in (0, 1]'); break;
      case '--fresh': a.fresh = true; break;
      case '--rebuild-graph': a.rebuildGraph = true; break;
      case '--no-augment': a.augment = false; break;
      case '--article-swap': a.articleSwap = true; break;
      case '--no-article-swap': a.articleSwap = false; break;
      default: throw new Error(`unknown option ${k} (options: --steps --batch --lr --train --val --threads --ckpt-every --ckpt --clip --out --targets --seed --mask-max --mask-visual --soup --avg-from --no-augment --article-swap --no-article-swap --fresh --rebuild-graph)`);
    }
  }
  return a;
}

const log = (m: string) => console.error(`[${new Date().toISOString().slice(11, 19)}] visualness: ${m}`);

export interface MicroClipFiles { config: ClipConfig; vision: Uint8Array; text: Uint8Array }

export async function readMicroClip(dir: string): Promise<MicroClipFiles> {
  const json = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8')) as { config: ClipConfig; files: { vision: { name: string }; text: { name: string } } };
  return { config: json.config, vision: new Uint8Array(await readFile(join(dir, json.files.vision.name))), text: new Uint8Array(await readFile(join(dir, json.files.text.name))) };
}

/** Unit-norm image embeddings of the NULL image and of each visual example's scene: [1 + visual, D] and the row of each example. */
export async function pairedEmbeddings(clip: ClipModel, ex: readonly VisualnessExample[], size: number): Promise<{ embeds: Float32Array; imageOf: Int32Array }> {
  const imgs = [nullImage(size)];
  const imageOf = new Int32Array(ex.length);
  ex.forEach((e, i) => {
    if (!e.visual || !e.scene) return;
    imageOf[i] = imgs.length;
    imgs.push(renderScene(e.scene).image);
  });
  const { data } = normalizeBatch(imgs);
  return { embeds: normalizeRows(await clip.encodeImages(data, imgs.length), clip.dim), imageOf };
}

/** S = 1 − cos(NULL, T) for each text, with a text session of the CLIP export contract. */
export async function tipScores(clip: ClipModel, nullUnit: Float32Array, texts: readonly string[]): Promise<number[]> {
  const t = normalizeRows(await clip.encodeTexts(texts), clip.dim);
  return texts.map((_, i) => {
    let s = 0;
    for (let k = 0; k < clip.dim; k++) s += t[i * clip.dim + k] * nullUnit[k];
    return 1 - s;
  });
}

export async function run(argv: string[]): Promise<number> {
  const a = parseArgs(argv);
  if (a.rebuildGraph) return rebuildGraph(a.out);
  const t0 = Date.now();
  if (!existsSync(join(a.clip, 'model.json'))) throw new Error(`micro-CLIP weights not found in ${a.clip} (run \`npm run train -- clip\` first)`);
  const mc = await readMicroClip(a.clip);
  const cfg = mc.config;
  const tok = MicroTokenizer.microworld({ contextLength: cfg.text.contextLength });
  const rt: Runtime = await createNodeRuntime({ threads: a.threads });
  const base = await ClipModel.create(rt, { vision: mc.vision, text: mc.text, tokenize: microTokenize(tok) });
  try {
    const train = visualnessExamples('train', a.train, undefined, cfg.vision.imageSize);
    const val = visualnessExamples('val', a.val, undefined, cfg.vision.imageSize);
    log(`${train.length} train / ${val.length} val sentences; rendering and embedding the paired scenes`);
    const { embeds, imageOf } = await pairedEmbeddings(base, train, cfg.vision.imageSize);
    const nullUnit = embeds.slice(0, base.dim);
    const forward = tipTrainForward(cfg, a.batch);
    const init = decodeModel(mc.text).graph.initializers;
    const { model, used } = withWeights(forward.model, new Map([...init].filter(([k, t]) => t.dtype === 'float32' && !k.includes('/'))));
    const untouched = forward.params.filter((p) => p !== 'logit_scale' && !used.includes(p));
    if (untouched.length) throw new Error(`micro-CLIP text export lacks ${untouched.slice(0, 4).join(', ')}`);
    const step = tipTrainStep({ model, params: forward.params }, {
      optimizer: { kind: 'adamw', weightDecay: 0.05, beta2: 0.98 },
      schedule: { kind: 'cosine', lr: a.lr, warmup: 20, total: a.steps, minLr: a.lr * 0.05 },
      clipNorm: 1,
    });
    // --ckpt lets experiments run side by side without resuming each other's checkpoint.
    const ckpt = a.ckpt ?? join(cacheRoot(), 'train', 'visualness.ckpt.onnx');
    await mkdir(dirname(ckpt), { recursive: true });
    // Soup (--soup K): K fine-tunes from the same micro-CLIP, each with its own augmentation draws and
    // batch order, their weights averaged (uniform "model soup"); one run alone varies by several F1
    // points on held-out templates. --avg-from F also averages each run's weights over its last
    // (1 − F) of steps (every 10 steps), a checkpoint average along the cosine tail.
    const members: Map<string, Float32Array>[] = [];
    const losses: number[] = [];
    let items = 0;
    for (let k = 0; k < a.soup; k++) {
      const seed = k === 0 ? a.seed : `${a.seed}+${k}`;
      const ds = new TipDataset(train.map((e) => e.text), imageOf, train.map((e) => e.visual), embeds, base.dim, tok, { targets: a.targets, augment: a.augment, articleSwap: a.articleSwap, maskMax: a.maskMax, maskVisual: a.maskVisual, seed: `tip-augment${seed}` });
      items = ds.size;
      log(`run ${k + 1}/${a.soup}: ${ds.size} training items (${a.augment ? 'with' : 'without'} unknown-word variants)`);
      const path = k === 0 ? ckpt : `${ckpt}.${k}`;
      const trainer = await Trainer.create({ graph: step, loader: new DataLoader(ds, { batchSize: a.batch, seed: `visualness:order${seed}` }), threads: a.threads, checkpoint: { path, every: a.ckptEvery }, meta: { model: 'visualness' } });
      try {
        if (!a.fresh && existsSync(path)) { await trainer.resume(path); log(`resumed at step ${trainer.step}`); }
        const tail = new TailAverage(forward.params, a.avgFrom < 1 ? Math.floor(a.avgFrom * a.steps) : a.steps);
        const runLosses: number[] = [];
        trainer.o.onStep = (r) => {
          runLosses.push(r.loss);
          if (r.step % 10 === 0) {
            tail.add(r.step, (p) => trainer.value(p));
            log(`step ${r.step}/${a.steps} loss ${(runLosses.slice(-10).reduce((x, y) => x + y, 0) / Math.min(10, runLosses.length)).toFixed(4)} ${((Date.now() - t0) / 60000).toFixed(1)} min`);
          }
        };
        await trainer.run(a.steps);
        losses.push(...runLosses.slice(-20));
        members.push(paramValues(model, forward.params, (p) => tail.count ? tail.mean(p) : trainer.value(p)));
      } finally {
        await trainer.dispose();
      }
    }
    const weights = averageWeights(members);
    const textModel = withWeights(clipTextGraph(cfg, 0, { metadata: { model: 'visualness', base: 'micro-clip' } }), weights).model;
    const textBytes = encodeModel(textModel);
    const tuned = await ClipModel.create(rt, { vision: mc.vision, text: textBytes, tokenize: microTokenize(tok) });
    let threshold: number, valMetrics: Metrics;
    try {
      const s = await tipScores(tuned, nullUnit, val.map((e) => e.text));
      threshold = tuneThreshold(s, val.map((e) => e.visual)).threshold;
      valMetrics = metrics(classify(s, threshold), val.map((e) => e.visual));
    } finally {
      await tuned.dispose();
    }
    const scorer = encodeModel(buildVisualnessGraph(textModel, nullUnit, { heads: cfg.text.heads }).model);
    await writeVisualnessModel(a.out, { cfg, textBytes, scorer, nullUnit, threshold, training: { steps: a.steps, soup: a.soup, avgFrom: a.avgFrom, batch: a.batch, lr: a.lr, targets: a.targets, augment: a.augment, articleSwap: a.articleSwap, maskMax: a.maskMax, maskVisual: a.maskVisual, seed: a.seed, trainItems: items, trainSentences: train.length, finalLoss: +(losses.slice(-20).reduce((x, y) => x + y, 0) / Math.max(1, Math.min(20, losses.length))).toFixed(4), minutes: +((Date.now() - t0) / 60000).toFixed(1), frozenVision: true, baseClip: { dir: a.clip, textSha256: sha256(mc.text), visionSha256: sha256(mc.vision) } }, validation: { ...round(valMetrics) } });
    log(`wrote ${a.out}: threshold ${threshold.toFixed(4)}, val F1 ${valMetrics.f1.toFixed(3)} (${((Date.now() - t0) / 60000).toFixed(1)} min)`);
    return 0;
  } finally {
    await base.dispose();
    await rt.dispose();
  }
}

/**
 * `--rebuild-graph`: rebuild visualness.onnx from the text_model.onnx and NULL embedding already in
 * `dir` (no training), for when only the attribution recipe of visualnessGraph.ts changed.
 * The scores stay bit-for-bit the same function of the same weights; only the relevance output changes.
 */
async function rebuildGraph(dir: string): Promise<number> {
  const json = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8')) as VisualnessModelJson;
  const text = new Uint8Array(await readFile(join(dir, json.files.text.name)));
  if (sha256(text) !== json.files.text.sha256) throw new Error(`${dir}/${json.files.text.name} does not match the sha256 in model.json`);
  const scorer = encodeModel(buildVisualnessGraph(decodeModel(text), Float32Array.from(json.nullEmbedding), { heads: json.heads }).model);
  await atomicWrite(join(dir, json.files.scorer.name), scorer);
  json.files.scorer = { name: json.files.scorer.name, bytes: scorer.length, sha256: sha256(scorer) };
  await atomicWrite(join(dir, 'model.json'), `${JSON.stringify(json, null, 1)}\n`);
  log(`rebuilt ${dir}/${json.files.scorer.name} from ${json.files.text.name} (${scorer.length} bytes)`);
  return 0;
}

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const round = <T extends object>(o: T): T => JSON.parse(JSON.stringify(o, (_k, v) => (typeof v === 'number' ? +v.toFixed(4) : v))) as T;

export interface VisualnessModelJson {
  id: string;
  base: string;
  config: ClipConfig;
  tokenizer: { kind: 'microworld-words'; contextLength: number };
  files: { scorer: { name: string; bytes: number; sha256: string }; text: { name: string; bytes: number; sha256: string } };
  /** Unit-norm NULL image embedding (micro-CLIP's frozen vision tower on nullImage()). */
  nullEmbedding: number[];
  threshold: number;
  heads: number;
  training: Record<string, unknown>;
  validation: Record<string, unknown>;
}

async function atomicWrite(path: string, bytes: Uint8Array | string): Promise<void> {
  await writeFile(`${path}.tmp`, bytes);
  await rename(`${path}.tmp`, path);
}

export async function writeVisualnessModel(dir: string, o: { cfg: ClipConfig; textBytes: Uint8Array; scorer: Uint8Array; nullUnit: Float32Array; threshold: number; training: Record<string, unknown>; validation: Record<string, unknown> }): Promise<VisualnessModelJson> {
  await mkdir(dir, { recursive: true });
  await atomicWrite(join(dir, 'text_model.onnx'), o.textBytes);
  await atomicWrite(join(dir, 'visualness.onnx'), o.scorer);
  const json: VisualnessModelJson = {
    id: 'visualness', base: 'micro-clip', config: o.cfg,
    tokenizer: { kind: 'microworld-words', contextLength: o.cfg.text.contextLength },
    files: {
      scorer: { name: 'visualness.onnx', bytes: o.scorer.length, sha256: sha256(o.scorer) },
      text: { name: 'text_model.onnx', bytes: o.textBytes.length, sha256: sha256(o.textBytes) },
    },
    nullEmbedding: [...o.nullUnit].map((x) => +x.toFixed(7)), threshold: +o.threshold.toFixed(5), heads: o.cfg.text.heads,
    training: o.training, validation: o.validation,
  };
  await atomicWrite(join(dir, 'model.json'), `${JSON.stringify(json, null, 1)}\n`);
  return json;
}
