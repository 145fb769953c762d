import { describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-node';
import { GraphBuilder } from '../graph/builder.ts';
import { encodeModel } from '../graph/encode.ts';
import { numel } from '../graph/dtype.ts';
import { type VitConfig, VIT_BENCH, softmaxCrossEntropy, vitDefaults, vitForwardFlops, vitParamCount, vitTokens, vitTower } from './vit.ts';

const tiny: VitConfig = { ...vitDefaults, imageSize: 8, patchSize: 4, width: 8, layers: 2, heads: 2, headDim: 3 };

function build(c: VitConfig, batch: number | string) {
  const b = new GraphBuilder('vit');
  const px = b.input('pixel_values', 'float32', [batch, c.channels, c.imageSize, c.imageSize]);
  const labels = b.input('labels', 'float32', [batch, c.headDim]);
  const out = vitTower(b, px, c, 7);
  b.output(out.logits!, 'logits');
  b.output(out.pooled, 'pooled');
  b.output(softmaxCrossEntropy(b, out.logits!, labels), 'loss');
  return b.build();
}

describe('vit', () => {
  it('has CLIP-style parameter names and the counted number of parameters', () => {
    const m = build(tiny, 2);
    const names = [...m.graph.initializers.values()].filter((t) => t.dtype === 'float32' && t.dims.length > 0 && !t.name.includes('/'));
    const total = names.reduce((a, t) => a + numel(t.dims), 0);
    expect(total).toBe(vitParamCount(tiny));
    const keys = names.map((t) => t.name);
    for (const k of ['embeddings.patch_embedding.weight', 'embeddings.class_embedding', 'embeddings.position_embedding.weight', 'pre_layrnorm.weight',
      'encoder.layers.1.self_attn.q_proj.weight', 'encoder.layers.1.self_attn.out_proj.bias', 'encoder.layers.0.layer_norm2.bias',
      'encoder.layers.0.mlp.fc1.weight', 'encoder.layers.0.mlp.fc2.bias', 'post_layernorm.weight', 'head.weight', 'head.bias']) expect(keys).toContain(k);
    expect(vitParamCount(VIT_BENCH)).toBeGreaterThan(1.8e6);
    expect(vitParamCount(VIT_BENCH)).toBeLessThan(2.6e6);
  });

  it('runs in onnxruntime-node with a symbolic batch; samples are independent; loss is the CE of the logits', async () => {
    const s = await ort.InferenceSession.create(encodeModel(build(tiny, 'batch')));
    const px = new Float32Array(2 * 3 * 64).map((_, i) => Math.sin(i * 0.37));
    const labels = new Float32Array([1, 0, 0, 0, 0, 1]);
    const out = await s.run({ pixel_values: new ort.Tensor('float32', px, [2, 3, 8, 8]), labels: new ort.Tensor('float32', labels, [2, 3]) });
    expect(out.logits.dims).toEqual([2, 3]);
    expect(out.pooled.dims).toEqual([2, 8]);
    const z = out.logits.data as Float32Array;
    let ce = 0;
    for (let r = 0; r < 2; r++) {
      const row = [...z.subarray(r * 3, r * 3 + 3)];
      const lse = Math.log(row.reduce((a, v) => a + Math.exp(v), 0));
      ce += (lse - row[r === 0 ? 0 : 2]) / 2;
    }
    expect(out.loss.data[0]).toBeCloseTo(ce, 5);
    const one = await s.run({ pixel_values: new ort.Tensor('float32', px.slice(192), [1, 3, 8, 8]), labels: new ort.Tensor('float32', labels.slice(3), [1, 3]) });
    [...(one.logits.data as Float32Array)].forEach((v, i) => expect(v).toBeCloseTo(z[3 + i], 5));
    // Pooled features are layer-normed: zero mean per sample.
    const pooled = out.pooled.data as Float32Array;
    expect(Math.abs(pooled.subarray(0, 8).reduce((a, v) => a + v, 0))).toBeLessThan(1e-4);
    await s.release();
  });

  it('counts forward FLOPs as 2·MACs of conv, projections, attention, MLP and head', () => {
    const T = vitTokens(tiny);
    expect(T).toBe(5);
    const expected = 2 * 4 * 8 * 48 + 2 * (2 * T * 64 * 4 + 2 * T * T * 8 * 2 + 2 * T * 8 * 32 * 2) + 2 * 8 * 3;
    expect(vitForwardFlops(tiny)).toBe(expected);
  });
});
