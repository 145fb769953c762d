import { describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-node';
import { encodeModel } from '../../graph/encode.ts';
import type { Scene } from '../../data/microworld/scene.ts';
import { MicroTokenizer } from '../../text/tokenizer.ts';
import { microClipConfig } from '../../zoo/clip/config.ts';
import type { UnetConfig } from '../../zoo/unet/config.ts';
import { UnetDataset, type UnetSamples } from './datasets.ts';
import { GROUND_WEIGHT, groundInput, groundNouns, groundedScenes, poolMask } from './grounding.ts';
import { unetTextTrainForward } from './unetRecipe.ts';

const L = 6;
const clip = microClipConfig(20, 2, L);
clip.text = { ...clip.text, width: 8, layers: 1, heads: 2 };
const u: UnetConfig = {
  sampleSize: 4, inChannels: 2, outChannels: 2, blockOutChannels: [8, 8], downBlockTypes: ['CrossAttnDownBlock2D', 'DownBlock2D'],
  upBlockTypes: ['UpBlock2D', 'CrossAttnUpBlock2D'], layersPerBlock: 1, heads: 2, crossAttentionDim: 8, contextLength: L, groups: 2, numTrainTimesteps: 1000,
};

const obj = (shape: string, cx: number) => ({ shape, cx, cy: 10 }) as unknown as Scene['objects'][number];

describe('token grounding', () => {
  it('binds each shape word to the one object of that shape, and leaves a shape two objects share ungrounded', () => {
    const scene = { objects: [obj('star', 5), obj('ring', 30), obj('star', 50)] } as unknown as Scene;
    const words = [{ text: 'a', position: 1 }, { text: 'red', position: 2 }, { text: 'star', position: 3 }, { text: 'ring', position: 6 }];
    expect(groundNouns(scene, words)).toEqual([[6, 1]]);
    expect(groundNouns({ objects: [obj('star', 5)] } as unknown as Scene, words)).toEqual([[3, 0]]);
  });

  it('pools masks by area', () => {
    const m = new Float32Array(16);
    m[0] = 1; m[1] = 1; m[4] = 1; m[5] = 1; m[15] = 1; // top-left 2×2 block full, one pixel of the bottom-right block
    expect([...poolMask(m, 4, 2)]).toEqual([1, 0, 0, 0.25]);
  });

  it('renders the recipe scenes with masks whose grounded nouns sit on real objects', () => {
    const tok = MicroTokenizer.microworld({ contextLength: 32 });
    const g = groundedScenes({ seed: 'g-test', scenes: 8, size: 64, latent: 16, singles: 2 }, (c) => tok.encode(c).words);
    expect(g.samples.map((s) => s.objects).slice(0, 2)).toEqual([1, 1]);
    expect(g.grounding.nounsOf.length).toBe(g.samples.reduce((a, s) => a + s.captions.length, 0));
    // A single-object scene: every caption that names its shape grounds it on object 0, whose mask is non-empty.
    const first = g.grounding.nounsOf.slice(0, g.samples[0].captions.length);
    expect(first.filter((n) => n.length).length).toBeGreaterThan(3);
    for (const n of first.flat()) expect(n[1]).toBe(0);
    const mask = g.grounding.masks.subarray(0, 256);
    const area = mask.reduce((a, v) => a + v, 0);
    expect(area).toBeGreaterThan(1);
    expect(area).toBeLessThan(128);
  });

  it('batches carry the noun column of the mask at every resolution, and nothing for the empty prompt', () => {
    const masks = new Float32Array(2 * 16);
    masks.fill(1, 0, 4); // object 0 of sample 0: top row of a 4×4 grid
    masks.fill(1, 16 + 12, 32); // object 0 of sample 1: bottom row
    const d: UnetSamples = {
      latents: new Float32Array(2 * 2 * 16), latentDims: [2, 4, 4], captionIds: new Int32Array(2 * L).fill(3), captionsOf: [[0], [1]],
      emptyIds: new Int32Array(L).fill(1), contextLength: L, groundSizes: [4, 2],
      grounding: { size: 4, masks, firstObject: [0, 1], nounsOf: [[[2, 0]], [[4, 0]]] },
    };
    const b = new UnetDataset(d, 's', 0).collate([0, 1]);
    const t4 = b[groundInput(4)].data as Float32Array, t2 = b[groundInput(2)].data as Float32Array, w = b[GROUND_WEIGHT].data as Float32Array;
    expect(b[groundInput(4)].dims).toEqual([2, 16, L]);
    expect([...w]).toEqual([0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0]);
    expect(Array.from({ length: 16 }, (_, q) => t4[q * L + 2])).toEqual([1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(Array.from({ length: 4 }, (_, q) => t2[(4 + q) * L + 4])).toEqual([0, 0, 0.5, 0.5]);
    const dropped = new UnetDataset(d, 's', 1).collate([0, 1]);
    expect([...(dropped[GROUND_WEIGHT].data as Float32Array)].every((v) => v === 0)).toBe(true);
  });

  it('the loss is 0 when the mask covers the whole map, 1 when it covers nothing, and only weighted columns count', async () => {
    const B = 2;
    const fwd = unetTextTrainForward(u, clip, B, 'g', 1);
    expect(fwd.groundSizes.sort()).toEqual([2, 4]);
    const s = await ort.InferenceSession.create(encodeModel(fwd.model), { intraOpNumThreads: 1 });
    try {
      const f32 = (dims: number[], v: number) => new ort.Tensor('float32', new Float32Array(dims.reduce((a, c) => a * c, 1)).fill(v), dims);
      const base = {
        sample: f32([B, 2, 4, 4], 0.1), timestep: new ort.Tensor('float32', Float32Array.of(10, 500), [B]),
        input_ids: new ort.Tensor('int64', BigInt64Array.from({ length: B * L }, (_, i) => BigInt(i % 5)), [B, L]), target: f32([B, 2, 4, 4], 0),
      };
      const weight = new Float32Array(B * L); weight[1] = 1; weight[L + 3] = 1;
      const run = async (m: number) => (await s.run({
        ...base, [groundInput(4)]: f32([B, 16, L], m), [groundInput(2)]: f32([B, 4, L], m), [GROUND_WEIGHT]: new ort.Tensor('float32', weight, [B, 1, L]),
      })) as Record<string, ort.Tensor>;
      const full = await run(1), none = await run(0);
      expect((full.ground_loss.data as Float32Array)[0]).toBeCloseTo(0, 4);
      expect((none.ground_loss.data as Float32Array)[0]).toBeCloseTo(1, 4);
      const eps = (none.eps_loss.data as Float32Array)[0];
      expect((none.loss.data as Float32Array)[0]).toBeCloseTo(eps + 1, 4);
    } finally {
      await s.release();
    }
  });
});
