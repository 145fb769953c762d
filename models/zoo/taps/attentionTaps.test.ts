import { describe, expect, it } from 'vitest';
import { GraphBuilder } from '../../graph/builder.ts';
import type { Model } from '../../graph/ir.ts';
import { tinyUnetConfig } from '../unet/config.ts';
import { unetGraph } from '../unet/unetGraph.ts';
import { type F32, randnF32, runF32, unetFeeds } from '../unet/testing.ts';
import { INJECT_ALPHA, TOKEN_SCALE, findAttentionLayers, tapAttention } from './attentionTaps.ts';

const c = tinyUnetConfig();
const unet = unetGraph(c, { seed: 'taps', outScale: 1.5 });
const feeds = unetFeeds(c, 2, 'taps');
const K = c.contextLength;
const maxDiff = (a: Float32Array, b: Float32Array) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);
const fill = (dims: number[], v: number): F32 => ({ dims, data: new Float32Array(dims.reduce((a, b) => a * b, 1)).fill(v) });

/** Torch-export style node names: '/down_blocks.0/attentions.0/transformer_blocks.0/attn2/Softmax'. */
function torchNames(m: Model): Model {
  const nodes = m.graph.nodes.map((n) => ({ ...n, name: `/${n.name.replace(/\.(?=(attentions|transformer_blocks|attn[12])\b)/g, '/')}` }));
  return { ...m, graph: { ...m.graph, nodes } };
}

describe('attention taps', () => {
  it('finds attn1/attn2 by diffusers path, in our names and in torch-export names', () => {
    const ours = findAttentionLayers(unet);
    expect(ours.map((l) => `${l.path}:${l.kind}`)).toEqual([
      'down_blocks.0.attentions.0.transformer_blocks.0.attn1:self', 'down_blocks.0.attentions.0.transformer_blocks.0.attn2:cross',
      'mid_block.attentions.0.transformer_blocks.0.attn1:self', 'mid_block.attentions.0.transformer_blocks.0.attn2:cross',
      'up_blocks.1.attentions.0.transformer_blocks.0.attn1:self', 'up_blocks.1.attentions.0.transformer_blocks.0.attn2:cross',
      'up_blocks.1.attentions.1.transformer_blocks.0.attn1:self', 'up_blocks.1.attentions.1.transformer_blocks.0.attn2:cross',
    ]);
    expect(ours[1]).toMatchObject({ rank: 4, queries: 16, keys: K });
    const torch = torchNames(unet);
    expect(torch.graph.nodes.find((n) => n.op === 'Softmax')!.name).toBe('/down_blocks.0/attentions.0/transformer_blocks.0/attn1/Softmax');
    expect(findAttentionLayers(torch).map((l) => l.path)).toEqual(ours.map((l) => l.path));
  });

  it('tapping a tapped graph reuses its exposed maps', () => {
    const once = tapAttention(unet, { cross: { expose: 'mean' } });
    const twice = tapAttention(once.model, { cross: { expose: 'mean' } });
    expect(twice.model.graph.outputs.map((o) => o.name)).toEqual(once.model.graph.outputs.map((o) => o.name));
    expect(twice.layers.map((l) => l.output)).toEqual(once.layers.map((l) => l.output));
  });

  it('exposes cross-attention maps that sum to 1 over tokens, and self maps over pixels', async () => {
    const { model, layers } = tapAttention(unet, { cross: { expose: 'mean' }, self: { expose: 'mean' } });
    const out = await runF32(model, feeds);
    // The model's own output is untouched by exposing.
    expect(maxDiff(out.out_sample.data, (await runF32(unet, feeds)).out_sample.data)).toBe(0);
    for (const l of layers) {
      const p = out[l.output!];
      expect(p.dims).toEqual([2, l.queries, l.keys]);
      for (let r = 0; r < p.data.length / l.keys!; r++) {
        let s = 0;
        for (let k = 0; k < l.keys!; k++) s += p.data[r * l.keys! + k];
        expect(s).toBeCloseTo(1, 5);
      }
    }
  });

  it('per-head maps average to the mean maps; maxQueries limits self-attention layers', async () => {
    const heads = tapAttention(unet, { cross: { expose: 'heads' } });
    const mean = tapAttention(unet, { cross: { expose: 'mean' } });
    const a = await runF32(heads.model, feeds), b = await runF32(mean.model, feeds);
    const l = heads.layers[0];
    const h = a[l.output!], m = b[l.output!];
    expect(h.dims).toEqual([2, c.heads, l.queries, K]);
    const per = l.queries! * K;
    for (let i = 0; i < 2 * per; i++) {
      const bi = Math.floor(i / per), j = i % per;
      expect(m.data[i]).toBeCloseTo((h.data[(bi * 2) * per + j] + h.data[(bi * 2 + 1) * per + j]) / 2, 6);
    }
    const agg = tapAttention(unet, { cross: { expose: 'mean', aggregate: [{ name: 'xattn4x4_mean', queries: 16 }] } });
    const ao = await runF32(agg.model, feeds);
    const at4 = agg.layers.filter((x) => x.queries === 16);
    expect(at4.length).toBe(3); // down_blocks.0 and the two up_blocks.1 layers (4×4)
    for (let i = 0; i < ao.xattn4x4_mean.data.length; i++) {
      expect(ao.xattn4x4_mean.data[i]).toBeCloseTo(at4.reduce((s, x) => s + ao[x.output!].data[i], 0) / 3, 6);
    }
    expect(() => tapAttention(unet, { cross: { expose: 'mean', aggregate: [{ name: 'none', queries: 99 }] } })).toThrow(/99 queries/);
    const sagg = tapAttention(unet, { self: { expose: 'mean', aggregate: [{ name: 'sattn4x4_mean', queries: 16 }] } });
    const so = await runF32(sagg.model, feeds);
    expect(so.sattn4x4_mean.dims).toEqual([2, 16, 16]);
    const s16 = sagg.layers.filter((x) => x.queries === 16);
    expect(so.sattn4x4_mean.data[5]).toBeCloseTo(s16.reduce((s, x) => s + so[x.output!].data[5], 0) / s16.length, 6);
    const small = tapAttention(unet, { self: { expose: 'mean', maxQueries: 4 } });
    expect(small.layers.map((x) => x.path)).toEqual(['mid_block.attentions.0.transformer_blocks.0.attn1']);
  });

  it('injection: own maps with α = 1 reproduce the output; other maps change only the items with α = 1', async () => {
    const exposed = tapAttention(unet, { cross: { expose: 'heads' } });
    const own = await runF32(exposed.model, feeds);
    const { model, layers } = tapAttention(unet, { cross: { inject: true } });
    const inj = (pick: (l: (typeof layers)[number]) => F32) => Object.fromEntries(layers.map((l) => [l.injectInput!, pick(l)]));
    const same = await runF32(model, { ...feeds, ...inj((l) => own[`${l.path}.probs`]), [INJECT_ALPHA.cross]: fill([2, 1, 1, 1], 1) });
    expect(maxDiff(same.out_sample.data, own.out_sample.data)).toBeLessThan(1e-5);
    // Uniform maps (attend to every token equally), injected into item 1 only.
    const uniform = inj((l) => fill([2, c.heads, l.queries!, K], 1 / K));
    const alpha = { dims: [2, 1, 1, 1], data: Float32Array.of(0, 1) };
    const out = (await runF32(model, { ...feeds, ...uniform, [INJECT_ALPHA.cross]: alpha })).out_sample.data;
    const half = out.length / 2;
    expect(maxDiff(out.subarray(0, half), own.out_sample.data.subarray(0, half))).toBeLessThan(1e-5);
    expect(maxDiff(out.subarray(half), own.out_sample.data.subarray(half))).toBeGreaterThan(1e-3);
  });

  it('self-attention injection of the model\'s own maps is the identity; other maps change the output', async () => {
    const own = await runF32(tapAttention(unet, { self: { expose: 'heads' } }).model, feeds);
    const { model, layers } = tapAttention(unet, { self: { inject: true } });
    const feedsOwn = Object.fromEntries(layers.map((l) => [l.injectInput!, own[`${l.path}.probs`]]));
    const ones = fill([2, 1, 1, 1], 1);
    expect(maxDiff((await runF32(model, { ...feeds, ...feedsOwn, [INJECT_ALPHA.self]: ones })).out_sample.data, own.out_sample.data)).toBeLessThan(1e-5);
    const uniform = Object.fromEntries(layers.map((l) => [l.injectInput!, fill([2, c.heads, l.queries!, l.keys!], 1 / l.keys!)]));
    expect(maxDiff((await runF32(model, { ...feeds, ...uniform, [INJECT_ALPHA.self]: ones })).out_sample.data, own.out_sample.data)).toBeGreaterThan(1e-3);
  });

  it('token re-weighting: ones are the identity; scaling a token changes only that item', async () => {
    const base = (await runF32(unet, feeds)).out_sample.data;
    const { model } = tapAttention(unet, { cross: { reweight: true } });
    const ones = (await runF32(model, { ...feeds, [TOKEN_SCALE]: fill([2, 1, 1, K], 1) })).out_sample.data;
    expect(maxDiff(ones, base)).toBeLessThan(1e-6);
    const scale = fill([2, 1, 1, K], 1);
    scale.data[K + 1] = 5; // item 1, token 1 ×5
    const out = (await runF32(model, { ...feeds, [TOKEN_SCALE]: scale })).out_sample.data;
    const half = out.length / 2;
    expect(maxDiff(out.subarray(0, half), base.subarray(0, half))).toBeLessThan(1e-6);
    expect(maxDiff(out.subarray(half), base.subarray(half))).toBeGreaterThan(1e-4);
  });

  it('handles rank-3 [B·H, T, K] maps of diffusers exports (heads given)', async () => {
    // A stand-in for SD's attention: scores [B·H, T, K] under a torch-style module path.
    const b = new GraphBuilder('sd_like');
    const s = b.input('scores', 'float32', [4, 3, 5]);
    const p = b.addNode({ name: '/up_blocks.1/attentions.2/transformer_blocks.0/attn2/Softmax', op: 'Softmax', inputs: [s.name], outputs: ['/up_blocks.1/attentions.2/transformer_blocks.0/attn2/Softmax_output_0'], attrs: { axis: { kind: 'int', value: -1 } } })[0];
    b.output(b.op('Mul', [p, b.constant([2], [])])[0], 'y');
    const m = b.build();
    const { model, layers } = tapAttention(m, { cross: { expose: 'mean', inject: true }, heads: 2 });
    expect(layers[0].path).toBe('up_blocks.1.attentions.2.transformer_blocks.0.attn2');
    const scores = randnF32([4, 3, 5], 'scores');
    const out = await runF32(model, { scores, [layers[0].injectInput!]: fill([4, 3, 5], 0.2), [INJECT_ALPHA.cross]: { dims: [4, 1, 1], data: Float32Array.of(0, 0, 1, 1) } });
    const mean = out[layers[0].output!];
    expect(mean.dims).toEqual([2, 3, 5]);
    const sm = (r: number) => { const row = scores.data.subarray(r * 5, r * 5 + 5); const e = row.map((v) => Math.exp(v)); const z = e.reduce((a, v) => a + v, 0); return e.map((v) => v / z); };
    // item 0 = heads 0,1 → rows (h·3 + t); mean over the two heads.
    expect(mean.data[0]).toBeCloseTo((sm(0)[0] + sm(3)[0]) / 2, 5);
    expect(out.y.data[2 * 15]).toBeCloseTo(0.4, 6); // injected (α = 1) for batch·head rows 2, 3
    expect(out.y.data[0]).toBeCloseTo(2 * sm(0)[0], 5);
  });
});
