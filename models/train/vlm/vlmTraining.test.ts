import { describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-node';
import { encodeModel } from '../../graph/encode.ts';
import { Prng } from '../../data/microworld/prng.ts';
import { sceneSample } from '../../data/microworld/index.ts';
import { createNodeRuntime } from '../../runtime/backends/nodeCpu.ts';
import type { VlmConfig } from '../../zoo/vlm/config.ts';
import { vlmGraphsFromWeights } from '../../zoo/vlm/bundle.ts';
import { encodePrompt, vlmTokenizer } from '../../zoo/vlm/text.ts';
import { VlmModel } from '../../zoo/vlm/VlmModel.ts';
import { DataLoader } from '../DataLoader.ts';
import { Trainer } from '../Trainer.ts';
import { VlmDataset, encodeItem } from './dataset.ts';
import { gateLabelsFor } from './labels.ts';
import { type VlmItem, sceneItems, scoreItem } from './items.ts';
import { vlmTrainForward, vlmTrainStep } from './task.ts';

const V = vlmTokenizer().vocab.tokens.length;
const cfg: VlmConfig = { visionWidth: 8, visualTokens: 4, vocabSize: V, width: 16, layers: 2, heads: 2, mlpRatio: 2, maxPositions: 56, layerNormEps: 1e-5, gateHidden: 8 };
const items: VlmItem[] = [
  { scene: 0, kind: 'color', prompt: 'what color is the star?', answer: 'red' },
  { scene: 1, kind: 'count', prompt: 'how many objects are there?', answer: 'two' },
  { scene: 0, kind: 'caption', prompt: 'what objects are there?', answer: 'a red star and a blue ring' },
  { scene: 1, kind: 'left-of', prompt: 'is the ring left of the square?', answer: 'no' },
];
const visual = new Prng('v').fillNormal(new Float32Array(2 * cfg.visualTokens * cfg.visionWidth), 1);

describe('VLM training data', () => {
  it('items: caption + questions with exact answers from the scene graph, reproducible', () => {
    const a = sceneItems('test', 0, 5), b = sceneItems('test', 0, 5);
    expect(a.items).toEqual(b.items);
    expect(a.items[0]).toMatchObject({ kind: 'caption', prompt: 'what objects are there?' });
    const colorQ = sceneItems('train', 0, 0, 50).items.find((i) => i.kind === 'color');
    if (colorQ) {
      const shape = /what color is the (\w+)\?/.exec(colorQ.prompt)![1];
      const scene = sceneSample('train', 0, 0).scene;
      expect(scene.objects.find((o) => o.shape === shape)!.color).toBe(colorQ.answer);
    }
  });

  it('scores answers by exact match and captions by attribute recall', () => {
    const scene = sceneSample('test', 0, 3).scene;
    const cap = sceneItems('test', 0, 3).items[0];
    expect(scoreItem(cap, scene, cap.answer)).toBe(1);
    expect(scoreItem(cap, scene, '')).toBe(0);
    const o = scene.objects[0];
    const partial = scoreItem(cap, scene, `a ${o.color} thing`);
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(1);
    expect(scoreItem(items[0], scene, 'red')).toBe(1);
    expect(scoreItem(items[0], scene, 'red.')).toBe(1);
    expect(scoreItem(items[0], scene, 'dark red')).toBe(0);
  });

  it('collate: right-padded [prompt ‖ answer], labels only on answer predictions, summing to 1 over the batch', () => {
    const ds = new VlmDataset(cfg, items, visual);
    const b = ds.collate([0, 2]);
    const T = ds.textLen;
    const e0 = encodeItem(items[0]), e2 = encodeItem(items[2]);
    expect(T).toBe(Math.max(...items.map((i) => encodeItem(i).prompt.length + encodeItem(i).answer.length)));
    expect(Array.from(b.input_ids.data.slice(0, e0.prompt.length + e0.answer.length), Number)).toEqual([...e0.prompt, ...e0.answer]);
    const lab = b.labels.data as Float32Array;
    let total = 0, rows = 0;
    for (let r = 0; r < 2; r++) for (let t = 0; t < T - 1; t++) {
      const row = lab.subarray((r * (T - 1) + t) * V, (r * (T - 1) + t + 1) * V);
      const s = row.reduce((a, x) => a + x, 0);
      total += s;
      if (s > 0) rows++;
    }
    expect(total).toBeCloseTo(1, 5);
    expect(rows).toBe(e0.answer.length + e2.answer.length);
    // Row prompt.length − 1 of item 0 predicts its first answer word.
    expect(lab[(e0.prompt.length - 1) * V + e0.answer[0]]).toBeGreaterThan(0);
    expect(Array.from(b.visual_tokens.data.slice(0, 4) as Float32Array)).toEqual(Array.from(visual.slice(0, 4)));
  });
});

describe('VLM training step', () => {
  it('the train forward loss is the mean answer-token CE of the batch', async () => {
    const ds = new VlmDataset(cfg, items, visual);
    const f = vlmTrainForward(cfg, 2, ds.textLen, 's', { logits: true });
    const s = await ort.InferenceSession.create(encodeModel(f.model));
    const b = ds.collate([0, 1]);
    const out = await s.run(Object.fromEntries(Object.entries(b).map(([k, t]) => [k, new ort.Tensor(t.dtype, t.data, t.dims)])));
    const z = out.logits.data as Float32Array, S = cfg.visualTokens + ds.textLen;
    let ce = 0, n = 0;
    [0, 1].forEach((r) => {
      const e = encodeItem(items[r]), seq = [...e.prompt, ...e.answer];
      for (let t = e.prompt.length; t < seq.length; t++) {
        const row = z.subarray((r * S + cfg.visualTokens + t - 1) * V, (r * S + cfg.visualTokens + t) * V);
        const m = Math.max(...row);
        ce += Math.log(row.reduce((a, x) => a + Math.exp(x - m), 0)) + m - row[seq[t]];
        n++;
      }
    });
    expect((out.loss.data as Float32Array)[0]).toBeCloseTo(ce / n, 4);
    await s.release();
  });

  it('exit-robust input: exit_after = K per item equals the "visual keys blocked after K" graph; = L is the plain model', async () => {
    const ds = new VlmDataset(cfg, items, visual, 0, undefined, 1);
    const b = ds.collate([0, 1]);
    const ea = b.exit_after.data as Float32Array;
    expect(Array.from(ea).every((k) => Number.isInteger(k) && k >= 0 && k < cfg.layers)).toBe(true); // p = 1: every item exits
    expect(Array.from(ds.collate([0, 1]).exit_after.data as Float32Array)).toEqual(Array.from(ea)); // replayable
    const f = vlmTrainForward(cfg, 2, ds.textLen, 's', { logits: true, exitInput: true });
    const s = await ort.InferenceSession.create(encodeModel(f.model));
    const feeds = Object.fromEntries(Object.entries(b).map(([k, t]) => [k, new ort.Tensor(t.dtype, t.data, t.dims)]));
    const run = async (exitAfter: number[]) => (await s.run({ ...feeds, exit_after: new ort.Tensor('float32', Float32Array.from(exitAfter), [2]) })).logits.data as Float32Array;
    const ref = async (maskAfter?: number) => {
      const { vlmFullGraph } = await import('../../zoo/vlm/graphs.ts');
      const r = await ort.InferenceSession.create(encodeModel(vlmFullGraph(cfg, 's', ds.textLen, maskAfter)));
      const out = (await r.run({ visual_tokens: new ort.Tensor('float32', (b.visual_tokens.data as Float32Array).slice(0, cfg.visualTokens * cfg.visionWidth), [1, cfg.visualTokens, cfg.visionWidth]), input_ids: new ort.Tensor('int64', (b.input_ids.data as BigInt64Array).slice(0, ds.textLen), [1, ds.textLen]) })).logits.data as Float32Array;
      await r.release();
      return out;
    };
    const close = (a: Float32Array, bb: Float32Array) => Math.max(...Array.from(bb, (x, i) => Math.abs(x - a[i])));
    expect(close(await run([0, 2]), await ref(0))).toBeLessThan(1e-4);
    expect(close(await run([2, 2]), await ref())).toBeLessThan(1e-4);
    expect(close(await run([0, 2]), await ref())).toBeGreaterThan(1e-4);
    await s.release();
  });

  it('overfits four items: loss falls and the trained weights drop into the per-layer executor', async () => {
    const ds = new VlmDataset(cfg, items, visual);
    const { forward, step } = vlmTrainStep(cfg, 4, ds.textLen, { optimizer: { kind: 'adamw', weightDecay: 0 }, schedule: { kind: 'constant', lr: 1e-2 }, seed: 's' });
    const trainer = await Trainer.create({ graph: step, loader: new DataLoader(ds, { batchSize: 4, seed: 0 }), threads: 1 });
    const hist = await trainer.run(40);
    expect(hist[hist.length - 1].loss).toBeLessThan(0.3 * hist[0].loss);
    const weights = new Map(forward.params.map((p) => [p, Float32Array.from(trainer.value(p))]));
    await trainer.dispose();
    const rt = await createNodeRuntime({ threads: 1 });
    const vlm = await VlmModel.create(rt, cfg, vlmGraphsFromWeights(cfg, weights));
    const per = cfg.visualTokens * cfg.visionWidth;
    const st = await vlm.prefill(visual.subarray(0, per), encodePrompt(items[0].prompt).ids, { policy: { kind: 'none' } });
    const best = st.logits.reduce((bi, v, i, a) => (v > a[bi] ? i : bi), 0);
    expect(vlmTokenizer().vocab.tokens[best]).toBe('red');
    vlm.release(st);
    await vlm.dispose();
    await rt.dispose();
  });
});

describe('DyVTE gate labels', () => {
  it('one row per layer with a 2d feature; exiting after the last layer changes nothing, so it is always safe', async () => {
    const rt = await createNodeRuntime({ threads: 1 });
    const { vlmInferenceGraphs } = await import('../../zoo/vlm/graphs.ts');
    const g = vlmInferenceGraphs(cfg, 'labels');
    const vlm = await VlmModel.create(rt, cfg, { projector: encodeModel(g.projector), embed: encodeModel(g.embed), layers: g.layers.map(encodeModel), head: encodeModel(g.head) });
    const rows = await gateLabelsFor(vlm, visual.subarray(0, cfg.visualTokens * cfg.visionWidth), encodeItem(items[2]));
    expect(rows.map((r) => r.layer)).toEqual([0, 1]);
    expect(rows.every((r) => r.feature.length === 2 * cfg.width)).toBe(true);
    expect(rows[1]).toMatchObject({ label: 1, agreement: 1 });
    expect(rows[1].ceRatio).toBeCloseTo(1, 5);
    // Strict rule: even the identical model is unsafe when B must beat A by a margin.
    const strict = await gateLabelsFor(vlm, visual.subarray(0, cfg.visualTokens * cfg.visionWidth), encodeItem(items[2]), { agree: 0.99, ceRatio: 0.5 });
    expect(strict[1].label).toBe(0);
    await vlm.dispose();
    await rt.dispose();
  });
});

describe('gate training pieces', () => {
  it('GateRows collates one-hot keep/exit labels; the host gate forward agrees with the gate graph', async () => {
    const { GateRows, gateAccuracy } = await import('./gatesRecipe.ts');
    const { gateGraph, GATE_EXIT } = await import('../../zoo/dyvte/gateGraph.ts');
    const rng = new Prng('gates');
    const rows = Array.from({ length: 12 }, (_, i) => ({ feature: rng.fillNormal(new Float32Array(2 * cfg.width), 1), layer: i % cfg.layers, label: 0 as 0 | 1, agreement: 1, ceRatio: 1 }));
    const m = gateGraph(cfg, 'g');
    const s = await ort.InferenceSession.create(encodeModel(m));
    const b = new GateRows(rows, 2 * cfg.width).collate(rows.map((_, i) => i));
    const out = await s.run({ features: new ort.Tensor('float32', b.features.data, b.features.dims), layer: new ort.Tensor('int64', b.layer.data, b.layer.dims) });
    const z = out.logits.data as Float32Array;
    rows.forEach((r, i) => { r.label = z[i * 2 + GATE_EXIT] > z[i * 2 + 1 - GATE_EXIT] ? 1 : 0; });
    expect(new Set(rows.map((r) => r.label)).size).toBe(2); // both classes occur, so the check can fail
    const w = new Map([...m.graph.initializers].filter(([k]) => k.startsWith('visual_gates.')).map(([k, t]) => [k, t.values as Float32Array]));
    expect(gateAccuracy(rows, w, cfg.width, cfg.gateHidden)).toBe(1);
    expect(Array.from(new GateRows(rows, 2 * cfg.width).collate([0]).labels.data as Float32Array)).toEqual(rows[0].label ? [0, 1] : [1, 0]);
    await s.release();
  });
});
