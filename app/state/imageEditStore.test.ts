import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ScriptedStudioClient } from './scriptedClient.ts';
import { connectClient } from './studioStore.ts';
import { imageEditActions, recipeProblem, selectedResult, useImageEdit } from './imageEditStore.ts';
import { attentionOf, heatmapRgba, mapPeak, promptTokens, rampColor } from './imageEditAttention.ts';
import type { JobSpec } from '../worker/StudioClient.ts';

const gate = () => { let open!: () => void; const p = new Promise<void>((r) => (open = r)); return { p, open }; };

/** text2image stand-in: two previews, then an 8×8 image with a 4×4 attention map per context position. */
function t2i(release: Promise<void>) {
  return async (spec: JobSpec, emit: (e: never) => void) => {
    const p = spec.params as { steps: number };
    for (let k = 1; k <= 2; k++) {
      (emit as (e: unknown) => void)({ type: 'preview', kind: 'image', width: 8, height: 8, rgba: new Uint8ClampedArray(256).fill(k * 10), step: k });
      (emit as (e: unknown) => void)({ type: 'step', k, n: p.steps });
    }
    (emit as (e: unknown) => void)({ type: 'warning', message: 'no maps from layer 2' });
    await release;
    const keys = 12, S = 4, maps = new Float32Array(keys * S * S);
    for (let k = 0; k < keys; k++) maps[k * S * S + (k % (S * S))] = 1; // token k peaks at cell k mod 16
    return { width: 8, height: 8, rgb: new Uint8Array(192).fill(7), png: new Uint8Array([1, 2]), recipe: { pipeline: 'text2image', model: 'micro-sd' }, attention: { maps, size: S, keys }, seconds: 0.5 };
  };
}

let client: ScriptedStudioClient;
let stop: () => void;
let g: ReturnType<typeof gate>;
beforeEach(() => {
  g = gate();
  client = new ScriptedStudioClient({ text2image: t2i(g.p), other: async (_s, emit) => { (emit as (e: unknown) => void)({ type: 'step', k: 1, n: 1 }); return 1; } });
  stop = connectClient(client);
  imageEditActions.reset();
});
afterEach(() => { stop(); client.dispose(); });

describe('image edit store', () => {
  it('generates with the form recipe, streams previews and steps, then appends and selects the result', async () => {
    imageEditActions.set({ prompt: ' a red star on grass ', negativePrompt: 'blurry', seed: 11, steps: 6, guidance: 4 });
    const id = imageEditActions.generate()!;
    expect(client.specs[0]).toMatchObject({ task: 'text2image', input: { prompt: 'a red star on grass', negativePrompt: 'blurry' }, params: { seed: 11, steps: 6, guidance: 4 } });
    await new Promise((r) => setTimeout(r, 0));
    let s = useImageEdit.getState();
    expect(s.running).toBe(true);
    expect(s.preview?.step).toBe(2);
    expect(s.preview?.rgba[0]).toBe(20);
    expect(s.step).toEqual({ k: 2, n: 6 });
    g.open();
    await client.whenDone(id);
    s = useImageEdit.getState();
    expect(s.running).toBe(false);
    expect(s.results).toHaveLength(1);
    const r = selectedResult(s)!;
    expect(r.recipe).toMatchObject({ prompt: 'a red star on grass', seed: 11, steps: 6, guidance: 4, model: 'micro-sd' });
    expect(r.attention?.keys).toBe(12);
    expect(s.warnings).toEqual(['no maps from layer 2']);
  });

  it('random seed mode draws a seed and shows it; a failed job shows its error', async () => {
    client.dispose();
    client = new ScriptedStudioClient({ text2image: async () => { throw new Error("model 'micro-unet' is not available"); } });
    stop(); stop = connectClient(client);
    imageEditActions.set({ seedMode: 'random', seed: 1 });
    const id = imageEditActions.generate()!;
    const seed = (client.specs[0].params as { seed: number }).seed;
    expect(useImageEdit.getState().seed).toBe(seed);
    await client.whenDone(id);
    expect(useImageEdit.getState()).toMatchObject({ running: false, error: expect.stringContaining('not available') });
  });

  it('refuses a bad recipe with a message and enqueues nothing', () => {
    imageEditActions.set({ prompt: '   ' });
    expect(imageEditActions.generate()).toBeUndefined();
    expect(useImageEdit.getState().error).toBe('Type a prompt');
    expect(client.specs).toHaveLength(0);
    expect(recipeProblem({ prompt: 'x', negativePrompt: '', seed: 1, steps: 0, guidance: 5 })).toMatch(/Steps/);
    expect(recipeProblem({ prompt: 'x', negativePrompt: '', seed: -1, steps: 4, guidance: 5 })).toMatch(/Seed/);
    expect(recipeProblem({ prompt: 'x', negativePrompt: '', seed: 1, steps: 4, guidance: 50 })).toMatch(/Guidance/);
  });

  it('cancel stops the running job without an error', async () => {
    const id = imageEditActions.generate()!;
    imageEditActions.cancel();
    await client.whenDone(id);
    expect(useImageEdit.getState()).toMatchObject({ running: false, error: undefined, phase: 'canceled', results: [] });
  });
});

describe('attention heatmaps', () => {
  const S = 4, keys = 6;
  const maps = new Float32Array(keys * S * S);
  maps[2 * S * S + 1 * S + 3] = 0.9; // token 2 peaks at (x=3, y=1)
  maps[2 * S * S] = 0.1;
  const att = { maps, size: S, keys };

  it('reads well-formed maps only', () => {
    expect(attentionOf({ attention: att })).toBe(att);
    expect(attentionOf({ attention: { maps: new Float32Array(3), size: S, keys } })).toBeUndefined();
    expect(attentionOf({})).toBeUndefined();
  });

  it('labels words with their context positions (after <sot>) and drops words the context cuts', () => {
    const t = promptTokens('a red star on grass', 32);
    expect(t.map((x) => x.text)).toEqual(['a', 'red', 'star', 'on', 'grass']);
    expect(t.map((x) => x.position)).toEqual([1, 2, 3, 4, 5]);
    expect(promptTokens('a red star on grass', 4).map((x) => x.text)).toEqual(['a', 'red']);
  });

  it('colours a token map: peak brightest and most opaque, upsampled to the image size', () => {
    expect(mapPeak(att, 2)).toEqual([3, 1]);
    const W = 8, px = heatmapRgba(att, 2, W, W);
    expect(px.length).toBe(W * W * 4);
    const alpha = (x: number, y: number) => px[(y * W + x) * 4 + 3];
    // Map cell (3,1) covers image pixels x 6..7, y 2..3.
    let best = 0, bx = -1, by = -1;
    for (let y = 0; y < W; y++) for (let x = 0; x < W; x++) if (alpha(x, y) > best) { best = alpha(x, y); bx = x; by = y; }
    expect([bx >= 6, by >= 2 && by <= 3]).toEqual([true, true]);
    expect(alpha(0, 7)).toBeLessThan(best);
    expect(rampColor(0)).toEqual([0, 0, 4]);
    expect(rampColor(1)).toEqual([252, 255, 164]);
    expect(() => heatmapRgba(att, keys, W, W)).toThrow(RangeError);
  });
});
