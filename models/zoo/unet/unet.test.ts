import { describe, expect, it } from 'vitest';
import { gradCheck } from '../../graph/check/gradCheck.ts';
import { microUnetConfig, tinyUnetConfig } from './config.ts';
import { paramCount, unetGraph, unetTrainForward } from './unetGraph.ts';
import { runF32, unetFeeds } from './testing.ts';

describe('micro-UNet graph', () => {
  it('has the SD export I/O, diffusers names and fits the weight budget', () => {
    const c = microUnetConfig();
    const m = unetGraph(c);
    expect(m.graph.inputs.map((i) => i.name)).toEqual(['sample', 'timestep', 'encoder_hidden_states']);
    expect(m.graph.outputs.map((o) => o.name)).toEqual(['out_sample']);
    const inits = m.graph.initializers;
    for (const name of [
      'conv_in.weight', 'time_embedding.linear_1.weight', 'down_blocks.0.resnets.0.norm1.weight', 'down_blocks.0.resnets.0.time_emb_proj.weight',
      'down_blocks.1.attentions.0.transformer_blocks.0.attn2.to_k.weight', 'down_blocks.1.attentions.0.proj_in.weight',
      'mid_block.attentions.0.transformer_blocks.0.ff.net.0.proj.weight', 'up_blocks.2.resnets.1.conv_shortcut.weight',
      'up_blocks.0.upsamplers.0.conv.weight', 'conv_norm_out.weight', 'conv_out.weight',
    ]) expect(inits.has(name), name).toBe(true);
    // Cross-attention keys read the 128-wide text context.
    expect(inits.get('up_blocks.1.attentions.1.transformer_blocks.0.attn2.to_k.weight')!.dims).toEqual([128, 80]);
    const attn2 = m.graph.nodes.filter((n) => n.op === 'Softmax' && n.name.includes('attn2')).map((n) => n.name);
    expect(attn2).toContain('down_blocks.1.attentions.0.transformer_blocks.0.attn2/Softmax');
    expect(attn2.length).toBe(7); // 16² ×3, 8² ×3, mid 4²
    const weights = [...inits.values()].filter((t) => !t.name.includes('/')).reduce((s, t) => s + t.values.length, 0);
    expect(weights * 4).toBeLessThan(15e6);
  });

  it('runs a CFG-sized batch with symbolic batch and distinct outputs per item', async () => {
    const c = tinyUnetConfig();
    const feeds = unetFeeds(c, 2);
    const out = (await runF32(unetGraph(c, { seed: 3 }), feeds)).out_sample;
    expect(out.dims).toEqual([2, c.outChannels, c.sampleSize, c.sampleSize]);
    const half = out.data.length / 2;
    let diff = 0;
    for (let i = 0; i < half; i++) diff += Math.abs(out.data[i] - out.data[half + i]);
    expect(diff).toBeGreaterThan(1e-4);
    expect(out.data.every(Number.isFinite)).toBe(true);
  });

  it('train forward: loss is the ε-MSE of the inference graph', async () => {
    const c = tinyUnetConfig();
    const feeds = unetFeeds(c, 2);
    const target = { dims: feeds.sample.dims, data: feeds.sample.data.map((v) => v * 0.5) };
    const { model, params } = unetTrainForward(c, 2, 'seed');
    expect(paramCount(model, params)).toBeGreaterThan(1000);
    const loss = (await runF32(model, { ...feeds, target })).loss.data[0];
    const pred = (await runF32(unetGraph(c, { seed: 'seed' }), feeds)).out_sample.data;
    const mse = pred.reduce((s, p, i) => s + (p - target.data[i]) ** 2, 0) / pred.length;
    expect(loss).toBeCloseTo(mse, 5);
  });

  it('gradients through the whole tiny UNet match finite differences', async () => {
    const c = tinyUnetConfig();
    // outScale 1.5: the small-init output layers would otherwise make upstream gradients tiny; much
    // larger (3) makes the function so curved that the finite differences themselves are off by ~1 %.
    const { model } = unetTrainForward(c, 2, 'gc', 1.5);
    const feeds = unetFeeds(c, 2, 'gc');
    const target = { dims: feeds.sample.dims, data: new Float32Array(feeds.sample.data.length) };
    const wrt = [
      'conv_in.weight', 'time_embedding.linear_1.weight', 'down_blocks.0.resnets.0.norm1.weight',
      'down_blocks.0.attentions.0.transformer_blocks.0.attn1.to_q.weight', 'down_blocks.0.attentions.0.transformer_blocks.0.attn2.to_k.weight',
      'down_blocks.0.attentions.0.transformer_blocks.0.ff.net.0.proj.weight', 'mid_block.attentions.0.transformer_blocks.0.attn2.to_v.weight',
      'up_blocks.1.resnets.0.conv1.weight', 'up_blocks.0.upsamplers.0.conv.weight', 'conv_out.weight', 'encoder_hidden_states', 'sample',
    ];
    const r = await gradCheck(model, { wrt, feeds: { ...feeds, target }, output: 'loss', samples: 4 });
    expect(r.maxRelErr, JSON.stringify(r.worst)).toBeLessThan(1e-3);
  }, 60_000);
});
