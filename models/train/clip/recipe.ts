/**
 * `npm run train -- clip` and `npm run train -- clip-eval`: micro-CLIP in two stages through the
 * train-step graph and the Trainer — the image tower alone on Microworld's attribute labels
 * (`--pretrain-stem` steps of the conv stem on shape and pattern, then `--pretrain` steps of the whole
 * tower on every head, logit-adjusted; `pretrainTower`), then the symmetric InfoNCE loss on Microworld
 * pairs with the attribute heads kept on (`--aux`) and logit-adjusted zero-shot prompt heads
 * (`--prompt-heads`, promptHeads.ts). See README.md beside this file for why and the numbers.
 * The two variants differ only in seeds (init, data, batch order), so clip-eval is an
 * independent model that pipelines optimized against micro-CLIP can be scored with.
 *
 * Resumable: a checkpoint (params + AdamW state + loader position) is written every
 * `--ckpt-every` steps under the cache directory and picked up by the next run unless --fresh.
 * Every `--eval-every` steps the current weights are exported and evaluated on a small
 * held-out set (one JSON line per evaluation on stdout, for the log).
 */
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { MicroTokenizer } from '../../text/tokenizer.ts';
import { createNodeRuntime } from '../../runtime/backends/nodeCpu.ts';
import { ClipModel } from '../../zoo/clip/ClipModel.ts';
import { type ClipConfig, CONV_TOWER, microClipConfig } from '../../zoo/clip/config.ts';
import { AUX_ATTRIBUTES, type AuxAttribute, type AuxPriors, auxHeads, auxPriors } from './auxLabels.ts';
import { MaterialPromptTable, promptHeads } from './promptHeads.ts';
import { AttributeDataset } from './attributeDataset.ts';
import { DataLoader } from '../DataLoader.ts';
import { Trainer } from '../Trainer.ts';
import { ClipPairDataset } from './dataset.ts';
import { type ClipEvalResult, evaluateClip, loadEvalSets, meetsTargets } from './evaluate.ts';
import { exportClip, writeClipModel } from './export.ts';
import { microTokenize } from './microTokenize.ts';
import { type ClipSample, type SampleAttrs, cacheRoot, loadOrGenerate } from './samples.ts';
import { clipAttributeStep, clipStemAttributeStep, clipTrainStep, paramValues } from './task.ts';
import type { ClipTrainForward } from '../../zoo/clip/clipGraphs.ts';
import type { TrainStepGraph } from '../../graph/optim/trainStep.ts';

export interface ClipVariant {
  id: 'micro-clip' | 'micro-clip-eval';
  seed: string;
}

export const VARIANTS: Record<string, ClipVariant> = {
  clip: { id: 'micro-clip', seed: 'micro-clip-v1' },
  'clip-eval': { id: 'micro-clip-eval', seed: 'micro-clip-eval-v1' },
};

interface Args {
  steps: number; batch: number; lr: number; warmup: number; out: string; fresh: boolean; threads?: number;
  scenes: number; singles: number; meshes: number; cfScenes: number; cfMeshes: number; hard: number; templates: number; stem: boolean | number[] | NonNullable<ClipConfig['stem']>; aux: number; pretrain: number; pretrainStem: number; towerSingles: number; priors: boolean; promptHeads: number; stemHeads: AuxAttribute[]; fadedMeshes: number; fadeMax: number; layers?: number; evalEvery: number; ckptEvery: number; progress: boolean;
}

function parseArgs(argv: string[], v: ClipVariant): Args {
  const a: Args = {
    steps: 2500, batch: 64, lr: 1e-3, warmup: 100, out: join('assets', 'models', v.id), fresh: false,
    scenes: 6000, singles: 3000, meshes: 3000, cfScenes: 2000, cfMeshes: 1000, hard: 0.5, templates: 1, stem: CONV_TOWER, aux: 1, pretrain: 1000, pretrainStem: 2000, towerSingles: 20000, priors: true, promptHeads: 1, stemHeads: ['shape', 'pattern'], fadedMeshes: 1500, fadeMax: 0.75, evalEvery: 250, ckptEvery: 25, progress: process.stderr.isTTY ?? false,
  };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i], val = argv[i + 1];
    const num = () => { i++; const n = Number(val); if (!Number.isFinite(n)) throw new Error(`${k} needs a number, got '${val}'`); return n; };
    switch (k) {
      case '--steps': a.steps = num(); break;
      case '--batch': a.batch = num(); break;
      case '--lr': a.lr = num(); break;
      case '--warmup': a.warmup = num(); break;
      case '--threads': a.threads = num(); break;
      case '--scenes': a.scenes = num(); break;
      case '--singles': a.singles = num(); break;
      case '--meshes': a.meshes = num(); break;
      case '--cf-scenes': a.cfScenes = num(); break;
      case '--cf-meshes': a.cfMeshes = num(); break;
      case '--hard': a.hard = num(); break;
      case '--templates': a.templates = num(); break;
      case '--stem': a.stem = true; break;
      case '--stem-channels': a.stem = String(val).split(',').map(Number); i++; if (a.stem.some((n) => !(n > 0))) throw new Error(`--stem-channels needs e.g. 32,64, got '${val}'`); break;
      case '--no-stem': a.stem = false; break;
      case '--tower': a.stem = val === 'conv' ? CONV_TOWER : val === 'vit' ? false : (() => { throw new Error(`--tower is conv or vit, got '${val}'`); })(); i++; break;
      case '--aux': a.aux = num(); break;
      case '--pretrain': a.pretrain = num(); break;
      case '--pretrain-stem': a.pretrainStem = num(); break;
      case '--tower-singles': a.towerSingles = num(); break;
      case '--no-priors': a.priors = false; break;
      case '--prompt-heads': a.promptHeads = num(); break;
      case '--stem-heads': a.stemHeads = String(val).split(',') as AuxAttribute[]; i++; if (!a.stemHeads.every((h) => AUX_ATTRIBUTES.includes(h))) throw new Error(`--stem-heads takes some of ${AUX_ATTRIBUTES.join(',')}, got '${val}'`); break;
      case '--faded-meshes': a.fadedMeshes = num(); break;
      case '--fade-max': a.fadeMax = num(); break;
      case '--layers': a.layers = num(); break;
      case '--eval-every': a.evalEvery = num(); break;
      case '--ckpt-every': a.ckptEvery = num(); break;
      case '--out': a.out = val; i++; break;
      case '--fresh': a.fresh = true; break;
      case '--progress': a.progress = true; break;
      default: throw new Error(`unknown option ${k} (options: --steps --batch --lr --warmup --threads --scenes --singles --meshes --cf-scenes --cf-meshes --hard --templates --stem --stem-channels --no-stem --tower conv|vit --aux --pretrain --pretrain-stem --tower-singles --no-priors --prompt-heads --stem-heads --faded-meshes --fade-max --layers --eval-every --ckpt-every --out --fresh --progress)`);
    }
  }
  return a;
}

const log = (m: string) => console.error(`[${new Date().toISOString().slice(11, 19)}] ${m}`);

export async function runClipRecipe(argv: string[], v: ClipVariant): Promise<number> {
  const a = parseArgs(argv, v);
  const t0 = Date.now();
  const tok = MicroTokenizer.microworld();
  const base: ClipConfig = microClipConfig(tok.vocab.tokens.length, tok.vocab.eotId, tok.contextLength, a.stem);
  const cfg: ClipConfig = a.layers ? { ...base, vision: { ...base.vision, layers: a.layers } } : base;
  const S = cfg.vision.imageSize;
  const samples = await loadOrGenerate({ split: 'train', seed: `${v.seed}:data`, scenes: a.scenes, singles: a.singles, meshes: a.meshes, cfScenes: a.cfScenes, cfMeshes: a.cfMeshes, size: S, templates: true }, log);
  const evalSets = await loadEvalSets(S, { scenes: 120, meshes: 80, retrieval: 100 }, log);
  const ckpt = join(cacheRoot(), 'train', `${v.id}.ckpt.onnx`);
  const resuming = !a.fresh && existsSync(ckpt);
  const towerSamples = a.towerSingles > 0 && a.pretrain + a.pretrainStem > 0
    ? [...await loadOrGenerate({ split: 'train', seed: `${v.seed}:tower-data`, scenes: a.towerSingles, singles: a.towerSingles, meshes: 0, size: S }, log), ...samples]
    : samples;
  // Counted on every labeled training image, stage 1's extra singles included (also when stage 2
  // resumes: the priors are part of its targets); stage 2 reuses them. Faded meshes are not counted.
  const priors = a.priors ? auxPriors(towerSamples.map((s) => s.attrs)) : undefined;
  // Stage 1 (skipped when stage 2 resumes: its checkpoint holds every weight).
  const init = a.pretrain + a.pretrainStem > 0 && !resuming ? await pretrainTower(a, cfg, v, towerSamples, priors) : undefined;
  // Stage 2 only: mesh renders faded toward gray (samples.ts `fadedMeshes`), from their own stream.
  const pairSamples = a.fadedMeshes > 0
    ? [...samples, ...await loadOrGenerate({ split: 'train', seed: `${v.seed}:faded-data`, scenes: 0, meshes: 0, fadedMeshes: a.fadedMeshes, fadeMax: a.fadeMax, size: S }, log)]
    : samples;
  const usePrompts = a.aux > 0 && a.promptHeads > 0, materialPrompts = new MaterialPromptTable();
  const ds = new ClipPairDataset(pairSamples, tok, {
    hardNegatives: a.hard, templateRepeat: a.templates, aux: a.aux > 0, ...(priors ? { priors } : {}),
    ...(usePrompts ? { extra: (attrs: readonly SampleAttrs[]) => ({ select_material: materialPrompts.select(attrs) }) } : {}),
  });
  log(`${pairSamples.length} images, ${ds.size} pairs; building the train-step graph (batch ${a.batch})`);
  const { forward, step } = clipTrainStep(cfg, a.batch, {
    optimizer: { kind: 'adamw', weightDecay: 0.05, beta2: 0.98 },
    schedule: { kind: 'cosine', lr: a.lr, warmup: a.warmup, total: a.steps, minLr: a.lr * 0.02 },
    clipNorm: 1,
    seed: `${v.seed}:init`,
    ...(a.aux > 0 ? { aux: auxHeads(a.aux, { priors: a.priors }) } : {}),
    ...(usePrompts ? { prompts: promptHeads(tok, a.promptHeads, a.priors, materialPrompts) } : {}),
    ...(init ? { init } : {}),
  });
  const loader = new DataLoader(ds, { batchSize: a.batch, seed: `${v.seed}:order` });
  const rt = await createNodeRuntime({ threads: a.threads });
  const weights = (t: Trainer) => paramValues(forward.model, forward.params, (p) => t.value(p));
  let last: ClipEvalResult | undefined;
  const evaluate = async (t: Trainer, stepNo: number) => {
    const e = exportClip(cfg, weights(t));
    const clip = await ClipModel.create(rt, { vision: e.vision, text: e.text, tokenize: microTokenize(tok) });
    try {
      last = await evaluateClip(clip, evalSets);
    } finally {
      await clip.dispose();
    }
    const { details: _d, ...metrics } = last;
    console.log(JSON.stringify({ step: stepNo, minutes: +((Date.now() - t0) / 60000).toFixed(1), ...round(metrics) }));
  };
  const trainer = await Trainer.create({
    graph: step, loader, threads: a.threads, progress: a.progress,
    checkpoint: { path: ckpt, every: a.ckptEvery }, evalEvery: a.evalEvery, onEval: evaluate,
    meta: { model: v.id, config: JSON.stringify(cfg) },
  });
  if (resuming) {
    await trainer.resume(ckpt);
    log(`resumed from ${ckpt} at step ${trainer.step}`);
  }
  const losses: number[] = [];
  trainer.o.onStep = (r) => {
    losses.push(r.loss);
    if (r.step % 10 === 0) log(`step ${r.step}/${a.steps} loss ${mean(losses.slice(-10)).toFixed(4)} lr ${r.lr.toExponential(2)} |g| ${r.gradNorm.toFixed(2)} ${((Date.now() - t0) / 60000).toFixed(1)} min`);
  };
  const startStep = trainer.step;
  try {
    await trainer.run(a.steps);
    if (!last || trainer.step === startStep) await evaluate(trainer, trainer.step);
    const minutes = (Date.now() - t0) / 60000;
    const e = exportClip(cfg, weights(trainer), { model: v.id });
    const evalFinal = last!;
    const json = await writeClipModel(a.out, v.id, cfg, e, {
      training: {
        steps: trainer.step, batch: a.batch, lr: a.lr, auxWeight: a.aux, towerPretrainSteps: a.pretrain, stemPretrainSteps: a.pretrainStem, towerSingles: a.towerSingles, logitAdjustment: a.priors, promptHeads: a.promptHeads, stemHeads: a.stemHeads, hardNegatives: a.hard, templateRepeat: a.templates, counterfactualGroups: { scenes: a.cfScenes, meshes: a.cfMeshes }, fadedMeshes: a.fadedMeshes, fadeMax: a.fadeMax, images: pairSamples.length, pairs: ds.size,
        minutesThisRun: +minutes.toFixed(1), resumedFrom: startStep, finalLoss: +mean(losses.slice(-20)).toFixed(4), seed: v.seed,
      },
      evaluation: { note: 'small in-training eval (120 scenes, 80 meshes, 100 retrieval); run `npm run eval -- clip --json` for the full one', ...round(evalFinal) },
    });
    const verdict = meetsTargets(evalFinal);
    log(`wrote ${a.out} (vision ${json.files.vision.bytes} B, text ${json.files.text.bytes} B) in ${minutes.toFixed(1)} min; targets ${verdict.ok ? 'met' : `missed: ${verdict.misses.join(', ')}`}`);
    return 0;
  } finally {
    await trainer.dispose();
    await rt.dispose();
  }
}

/**
 * Stage 1: the image tower alone, on the attribute heads (auxLabels.ts), in two phases:
 *  a. the conv stem alone with shape and pattern heads on its pooled features (`--pretrain-stem`
 *     steps, `--stem-heads`, single-object scenes only): a GroupNorm CNN learns shape several
 *     times faster without a fresh ViT above it, and once learned first, shape survives the color
 *     head (PyTorch control: 0.91 seen / 0.82 held-out vs 0.80 / 0.45 when every head starts
 *     together). Pattern learned first survives it too (PyTorch, 750 + 750 steps: held-out pattern
 *     0.80 with shape and pattern first vs ~0.65 with shape alone first; 0.945 pattern alone);
 *  b. the whole tower with every head on the image embedding (`--pretrain` steps), from a's stem.
 * With `priors` every head is logit-adjusted by the attribute it is held out with (clipGraphs.ts
 * `AuxHeads.priors`), so no head learns "purple is never a star" from the training split.
 * Why a stage at all: in the contrastive loss shape gets a small share of a batch's gradient and
 * the tower leaves chance on it only after ~1,000 steps. The heads and tower then start stage 2
 * by name. Each phase resumes from its own checkpoint.
 */
async function pretrainTower(a: Args, cfg: ClipConfig, v: ClipVariant, samples: readonly ClipSample[], priors?: AuxPriors): Promise<Map<string, Float32Array>> {
  const optimizer = { kind: 'adamw', weightDecay: 0.05, beta2: 0.98 } as const;
  let init: Map<string, Float32Array> | undefined;
  if (a.pretrainStem > 0) {
    const only = a.stemHeads;
    const ds = new AttributeDataset(samples, { heads: only, ...(priors ? { priors } : {}) });
    const { forward, step } = clipStemAttributeStep(cfg, a.batch, {
      optimizer, schedule: { kind: 'cosine', lr: a.lr, warmup: 50, total: a.pretrainStem, minLr: a.lr * 0.1 }, clipNorm: 1,
      seed: `${v.seed}:init`, aux: auxHeads(1, { only, priors: !!priors }),
    });
    init = await runPhase(a, v, 'stem', ds, forward, step, a.pretrainStem, `stage 1a: conv stem on the ${only.join(' and ')} heads, ${ds.size} images`);
  }
  if (a.pretrain > 0) {
    const ds = new AttributeDataset(samples, priors ? { priors } : {});
    const { forward, step } = clipAttributeStep(cfg, a.batch, {
      optimizer, schedule: { kind: 'cosine', lr: a.lr, warmup: 50, total: a.pretrain, minLr: a.lr * 0.1 }, clipNorm: 1,
      seed: `${v.seed}:init`, aux: auxHeads(1, { priors: !!priors }), ...(init ? { init } : {}),
    });
    init = await runPhase(a, v, 'tower', ds, forward, step, a.pretrain, `stage 1b: image tower on ${AUX_ATTRIBUTES.length} attribute heads, ${ds.size} images`);
  }
  return init!;
}

async function runPhase(a: Args, v: ClipVariant, phase: string, ds: AttributeDataset, forward: ClipTrainForward, step: TrainStepGraph, steps: number, what: string): Promise<Map<string, Float32Array>> {
  const ckpt = join(cacheRoot(), 'train', `${v.id}.${phase}.ckpt.onnx`);
  const t = await Trainer.create({
    graph: step, loader: new DataLoader(ds, { batchSize: a.batch, seed: `${v.seed}:${phase}-order` }), threads: a.threads, progress: a.progress,
    checkpoint: { path: ckpt, every: a.ckptEvery }, meta: { model: v.id, stage: phase, config: forward.model.metadata?.config ?? '' },
  });
  try {
    if (!a.fresh && existsSync(ckpt)) await t.resume(ckpt);
    log(`${what}, ${steps} steps${t.step ? ` (resumed at ${t.step})` : ''}`);
    const losses: number[] = [];
    t.o.onStep = (r) => {
      losses.push(r.loss);
      if (r.step % 50 === 0) log(`${phase} step ${r.step}/${steps} loss ${mean(losses.slice(-50)).toFixed(4)} (Σ of the heads' CE) lr ${r.lr.toExponential(2)}`);
    };
    await t.run(steps);
    return paramValues(forward.model, forward.params, (p) => t.value(p));
  } finally {
    await t.dispose();
  }
}

const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / Math.max(1, xs.length);

function round<T extends object>(o: T): T {
  return JSON.parse(JSON.stringify(o, (_k, v) => (typeof v === 'number' ? +v.toFixed(4) : v))) as T;
}
