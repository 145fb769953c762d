/**
 * The DyVTE benchmark: on `items` held-out Microworld items (test split: caption + questions),
 * accuracy, mean LM FLOPs and mean wall ms per request for no exit, a fixed exit after every
 * layer, and the learned gates. With no trained model in `dir` it runs on a random-init model
 * (and random gates) so the harness itself can be exercised; `trained` says which it was.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createNodeRuntime } from '../../runtime/backends/nodeCpu.ts';
import { encodeModel } from '../../graph/encode.ts';
import { gateGraph } from '../../zoo/dyvte/gateGraph.ts';
import { gateThreshold, vlmGraphsFromFiles } from '../../zoo/vlm/bundle.ts';
import { microVlmConfig } from '../../zoo/vlm/config.ts';
import { vlmInferenceGraphs } from '../../zoo/vlm/graphs.ts';
import { vlmTokenizer } from '../../zoo/vlm/text.ts';
import { type VlmGraphBytes, VlmModel } from '../../zoo/vlm/VlmModel.ts';
import { buildItemSet } from './evalSet.ts';
import { type PolicyScore, evaluatePolicy } from './evaluate.ts';
import { DEFAULT_VLM_DIR, readVlmDir } from './files.ts';
import { loadVisionTower } from './visionTower.ts';

export interface BenchRow { accuracy: number; flops: number; ms: number }
export type DyvteRow = BenchRow & {
  exit_rate: number;
  mean_exit_layer: number | null;
  flops_saved: number;
  /** The paper's observation that the exit point depends on the task: per item kind, accuracy and mean exit layer. */
  by_kind: Record<string, { n: number; accuracy: number; mean_exit_layer: number }>;
};
export interface DyvteBench {
  no_exit: BenchRow;
  fixed: (BenchRow & { layer: number })[];
  dyvte: DyvteRow | null;
  /** Extra gate thresholds (p(exit) > t), when asked for; `dyvte` runs at meta.threshold. */
  dyvte_thresholds?: (DyvteRow & { threshold: number })[];
  meta: {
    items: number; trained: boolean; gates: boolean; vision_trained: boolean; note?: string; best_fixed_at_or_below_dyvte_flops?: number | null;
    /** The gate threshold `dyvte` ran with: model.json's (chosen on the validation split), else the reference's 0.5. */
    threshold: number;
  };
}

const row = (s: PolicyScore): BenchRow => ({ accuracy: +s.accuracy.toFixed(4), flops: Math.round(s.flops), ms: +s.ms.toFixed(2) });

export async function dyvteBench(o: { dir?: string; items?: number; threads?: number; thresholds?: number[]; onProgress?: (what: string) => void } = {}): Promise<DyvteBench> {
  const dir = o.dir ?? DEFAULT_VLM_DIR, n = o.items ?? 500;
  const rt = await createNodeRuntime({ threads: o.threads });
  const trained = existsSync(join(dir, 'model.json'));
  let graphs: VlmGraphBytes, cfg, tower, visionTrained: boolean, threshold = 0.5;
  if (trained) {
    const { json, files } = await readVlmDir(dir);
    cfg = json.config;
    graphs = vlmGraphsFromFiles(json, files);
    visionTrained = json.visionTrained;
    threshold = gateThreshold(json);
    tower = { bytes: files[json.files.vision.name], trained: json.visionTrained, source: dir, tokens: cfg.visualTokens, width: cfg.visionWidth, imageSize: 64 };
  } else {
    cfg = microVlmConfig(vlmTokenizer().vocab.tokens.length);
    const g = vlmInferenceGraphs(cfg, 'bench-random');
    graphs = { projector: encodeModel(g.projector), embed: encodeModel(g.embed), layers: g.layers.map(encodeModel), head: encodeModel(g.head), gates: encodeModel(gateGraph(cfg, 'bench-random')) };
    tower = await loadVisionTower();
    visionTrained = tower.trained;
  }
  const vlm = await VlmModel.create(rt, cfg, graphs);
  try {
    const set = await buildItemSet(rt, tower, { split: 'test', seed: 'dyvte-bench', items: n });
    const run = async (label: string, p: Parameters<typeof evaluatePolicy>[2]) => {
      o.onProgress?.(label);
      return evaluatePolicy(vlm, set, p);
    };
    // Warm-up (first session runs allocate and specialise kernels), so the first policy's ms is not inflated.
    await evaluatePolicy(vlm, { ...set, items: set.items.slice(0, Math.min(4, set.items.length)) }, { kind: 'none' });
    const none = await run('no exit', { kind: 'none' });
    const fixed: DyvteBench['fixed'] = [];
    for (let K = 0; K < cfg.layers; K++) fixed.push({ layer: K, ...row(await run(`fixed exit after layer ${K}`, { kind: 'fixed', layer: K })) });
    const gated = (s: PolicyScore): DyvteRow => ({ ...row(s), exit_rate: +s.exitRate.toFixed(4), mean_exit_layer: s.meanExitLayer === null ? null : +s.meanExitLayer.toFixed(2), flops_saved: +(1 - s.flops / none.flops).toFixed(4),
      by_kind: Object.fromEntries(Object.entries(s.byKind).map(([k, e]) => [k, { n: e.n, accuracy: +e.accuracy.toFixed(4), mean_exit_layer: +e.meanExit.toFixed(2) }])),
    });
    let dyvte: DyvteBench['dyvte'] = null;
    const sweep: NonNullable<DyvteBench['dyvte_thresholds']> = [];
    if (vlm.hasGates) {
      dyvte = gated(await run(`DyVTE gates, p(exit) > ${threshold}`, { kind: 'gate', threshold }));
      for (const t of o.thresholds ?? []) sweep.push({ threshold: t, ...gated(await run(`DyVTE gates, p(exit) > ${t}`, { kind: 'gate', threshold: t })) });
    }
    const best = dyvte ? fixed.filter((f) => f.flops <= dyvte.flops).reduce<number | null>((m, f) => (m === null || f.accuracy > m ? f.accuracy : m), null) : null;
    const notes = [
      !trained && 'no trained micro-VLM found: random-init model and gates, numbers are meaningless (train: npm run train -- vlm, then -- dyvte-gates)',
      trained && !vlm.hasGates && 'model has no DyVTE gates yet (npm run train -- dyvte-gates)',
      !visionTrained && 'the image tower is a random-init stand-in for micro-CLIP',
    ].filter((x): x is string => typeof x === 'string');
    const note = notes.length ? notes.join('; ') : undefined;
    return { no_exit: row(none), fixed, dyvte, ...(sweep.length ? { dyvte_thresholds: sweep } : {}), meta: { items: set.items.length, trained, gates: vlm.hasGates, vision_trained: visionTrained, note, best_fixed_at_or_below_dyvte_flops: best, threshold } };
  } finally {
    await vlm.dispose();
    await rt.dispose();
  }
}
