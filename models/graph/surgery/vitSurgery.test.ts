import { describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-node';
import type { Model } from '../ir.ts';
import { encodeModel } from '../encode.ts';
import { GraphBuilder } from '../builder.ts';
import { vitDefaults, vitTower, type VitConfig } from '../../zoo/vit.ts';
import { exposeOutputs } from './exposeOutputs.ts';
import { cutGraph } from './cutGraph.ts';
import { constantFold } from './constantFold.ts';
import { evaluateWithOrtNode } from './evaluateOrt.ts';

const cfg: VitConfig = { ...vitDefaults, imageSize: 8, patchSize: 4, width: 8, layers: 3, heads: 2, headDim: 3 };

function vit(): Model {
  const b = new GraphBuilder('vit');
  const px = b.input('pixel_values', 'float32', [2, 3, 8, 8]);
  b.output(vitTower(b, px, cfg, 1).logits!, 'logits');
  return b.build();
}

const pixels = () => new ort.Tensor('float32', Float32Array.from({ length: 384 }, (_, i) => Math.cos(i * 0.21)), [2, 3, 8, 8]);

async function run(m: Model, feeds: Record<string, ort.Tensor>) {
  const s = await ort.InferenceSession.create(encodeModel(m));
  const out = await s.run(feeds);
  await s.release();
  return out;
}

describe('surgery on a ViT', () => {
  it('exposes attention maps with inferred shapes', async () => {
    const m = exposeOutputs(vit(), /self_attn\/Softmax/);
    const maps = m.graph.outputs.slice(1);
    expect(maps).toHaveLength(3);
    expect(maps[0].shape).toEqual([2, 2, 5, 5]);
    const out = await run(m, { pixel_values: pixels() });
    const p = out[maps[2].name].data as Float32Array;
    expect(p.subarray(0, 5).reduce((a, v) => a + v, 0)).toBeCloseTo(1, 5); // rows are distributions
  });

  it('cuts encoder layer 1 out; fed the full model\'s activations it reproduces them', async () => {
    const cut = cutGraph(vit(), { layers: 'encoder.layers', from: 1, to: 1 });
    expect(cut.graph.inputs).toHaveLength(1);
    expect(cut.graph.outputs).toHaveLength(1);
    expect(cut.graph.inputs[0].shape).toEqual([10, 8]);
    expect([...cut.graph.initializers.keys()].filter((k) => !k.includes('/')).every((k) => k.startsWith('encoder.layers.1.'))).toBe(true);
    const full = await run(exposeOutputs(vit(), [cut.graph.inputs[0].name, cut.graph.outputs[0].name]), { pixel_values: pixels() });
    const part = await run(cut, { [cut.graph.inputs[0].name]: full[cut.graph.inputs[0].name] });
    const want = full[cut.graph.outputs[0].name].data as Float32Array;
    [...(part[cut.graph.outputs[0].name].data as Float32Array)].forEach((v, i) => expect(v).toBeCloseTo(want[i], 5));
  });

  it('constant-folds the class-token shape math and keeps the logits', async () => {
    const m = vit();
    const { model: f, folded } = await constantFold(m, { evaluate: evaluateWithOrtNode });
    expect(f.graph.nodes.some((n) => n.op === 'Shape')).toBe(false);
    expect(folded.length).toBeGreaterThan(0);
    expect(f.graph.nodes.length).toBeLessThan(m.graph.nodes.length);
    const a = (await run(m, { pixel_values: pixels() })).logits.data as Float32Array;
    const b = (await run(f, { pixel_values: pixels() })).logits.data as Float32Array;
    [...b].forEach((v, i) => expect(v).toBeCloseTo(a[i], 5));
  });
});
