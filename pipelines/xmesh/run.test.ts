/** The xmesh loop end to end on a tiny mesh and a tiny random-weight CLIP-shaped tower. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeRuntime } from '../../models/runtime/backends/nodeCpu.ts';
import type { Runtime } from '../../models/runtime/Runtime.ts';
import { Prng } from '../../models/data/microworld/prng.ts';
import { CanceledError, type ProgressEvent } from '../core/events.ts';
import { PauseGate } from '../core/pauseGate.ts';
import { run, xmeshDefaults, type XmeshInput, type XmeshParams } from './index.ts';
import { tinyClipText, tinyClipVision, uvSphere } from './testing.ts';
import { encodeModel } from '../../models/graph/encode.ts';

let rt: Runtime;
beforeAll(async () => { rt = await createNodeRuntime({ threads: 1 }); });
afterAll(async () => { await rt.dispose(); });

const D = 8;
const r = new Prng('run-test');
const input: XmeshInput = {
  mesh: uvSphere(6, 8),
  prompt: 'a red sphere',
  clip: { vision: tinyClipVision(16, D), textEmbedding: Float32Array.from({ length: D }, () => r.normal(0, 1)), id: 'tiny' },
};
const small: Partial<XmeshParams> = { width: 16, depth: 1, frequencies: 8, views: 2, previewEvery: 5, sigma: 2, lr: 1e-2 };

describe.each(['tdam', 'text2mesh'] as const)('xmesh run (%s)', (method) => {
  it('optimizes: the loss goes down, events and a result with the recipe come out', async () => {
    const events: ProgressEvent[] = [];
    const ctl = new AbortController();
    const res = await run(rt, input, { ...xmeshDefaults, ...small, method, steps: 30 }, { signal: ctl.signal, emit: (e) => events.push(e) });
    const losses = res.losses;
    expect(losses).toHaveLength(30);
    const mean = (a: number[]) => a.reduce((x, y) => x + y, 0) / a.length;
    expect(mean(losses.slice(-8))).toBeLessThan(mean(losses.slice(0, 8)));
    expect(events.filter((e) => e.type === 'step')).toHaveLength(30);
    expect(events.filter((e) => e.type === 'metric' && e.name === 'loss')).toHaveLength(30);
    const meshPreviews = events.filter((e) => e.type === 'preview' && e.kind === 'mesh');
    expect(meshPreviews.length).toBe(7); // steps 0, 5, …, 25 and the final one
    expect(res.colors.every((c) => c >= 0 && c <= 1)).toBe(true); // tanh can round to ±1 in fp32
    // Stylized: colors moved away from the initial gray, geometry displaced but still unit-sphere normalized.
    expect(Math.max(...res.colors.map((c) => Math.abs(c - 0.5)))).toBeGreaterThan(0.01);
    const radii = Array.from({ length: res.positions.length / 3 }, (_, i) => Math.hypot(res.positions[i * 3], res.positions[i * 3 + 1], res.positions[i * 3 + 2]));
    expect(Math.max(...radii)).toBeCloseTo(1, 5);
    expect(res.recipe).toMatchObject({ pipeline: 'xmesh', prompt: 'a red sphere', clip: { id: 'tiny', imageSize: 16, dim: D } });
    expect(res.recipe.params.method).toBe(method);
    expect(res.recipe.fieldState).toBe('cpu'); // node-cpu; 'gpu-buffer' on WebGPU (e2e/xmesh.spec.ts)
  });
});

it('honours cancel between iterations', async () => {
  const ctl = new AbortController();
  let steps = 0;
  const p = run(rt, input, { ...xmeshDefaults, ...small, steps: 50 }, {
    signal: ctl.signal,
    emit: (e) => { if (e.type === 'step' && ++steps === 2) ctl.abort(); },
  });
  await expect(p).rejects.toBeInstanceOf(CanceledError);
  expect(steps).toBe(2);
});

it('encodes the prompt with the text tower when given text + inputIds (same as passing the embedding)', async () => {
  const text = encodeModel(tinyClipText(D));
  const inputIds = BigInt64Array.from([6n, 2n, 3n, 7n]);
  const s = await rt.createSession(text);
  const e = Float32Array.from((await rt.read((await s.run({ input_ids: rt.tensor('int64', inputIds, [1, 4]) }, ['text_embeds'])).text_embeds)) as Float32Array);
  await s.dispose();
  const params = { ...xmeshDefaults, ...small, steps: 3 };
  const ctx = () => ({ signal: new AbortController().signal, emit: () => {} });
  const a = await run(rt, { ...input, clip: { vision: input.clip.vision, text, inputIds } }, params, ctx());
  const b = await run(rt, { ...input, clip: { vision: input.clip.vision, textEmbedding: e } }, params, ctx());
  expect(a.losses).toEqual(b.losses);
  await expect(run(rt, { ...input, clip: { vision: input.clip.vision } }, params, ctx())).rejects.toThrow(/textEmbedding, or text/);
});

describe('pause', () => {
  it('stops between iterations, keeps its state, and resumes to the same result as an uninterrupted run', async () => {
    const params = { ...xmeshDefaults, ...small, method: 'tdam' as const, steps: 8 };
    const straight = await run(rt, input, params, { signal: new AbortController().signal, emit: () => {} });

    const gate = new PauseGate();
    const events: ProgressEvent[] = [];
    let onPaused!: () => void;
    const paused = new Promise<void>((r) => { onPaused = r; });
    const resumed = run(rt, input, params, {
      signal: new AbortController().signal, pause: gate,
      emit: (e) => {
        events.push(e);
        if (e.type === 'step' && e.k === 3) gate.pause();
        if (e.type === 'phase' && e.phase === 'paused') onPaused();
      },
    });
    await paused;
    const steps = () => events.filter((e) => e.type === 'step').length;
    expect(steps()).toBe(3);
    expect(events.at(-1)).toMatchObject({ type: 'phase', phase: 'paused', label: 'paused at iteration 3/8' });
    // While the gate is closed no iteration runs.
    await new Promise((r) => setTimeout(r, 200));
    expect(steps()).toBe(3);
    gate.resume();
    const res = await resumed;
    expect(steps()).toBe(8);
    expect(res.losses).toEqual(straight.losses);
    expect(res.colors).toEqual(straight.colors);
    expect(res.offsets).toEqual(straight.offsets);
    const phases = events.filter((e) => e.type === 'phase').map((e) => (e as { phase: string }).phase);
    expect(phases.filter((p) => p === 'paused')).toHaveLength(1);
    expect(phases.slice(-2)).toEqual(['paused', 'steps']);
  });

  it('cancel while paused ends the run with CanceledError', async () => {
    const gate = new PauseGate();
    gate.pause();
    const ctl = new AbortController();
    const p = run(rt, input, { ...xmeshDefaults, ...small, steps: 5 }, {
      signal: ctl.signal, pause: gate,
      emit: (e) => { if (e.type === 'phase' && e.phase === 'paused') ctl.abort(); },
    });
    await expect(p).rejects.toBeInstanceOf(CanceledError);
  });
});
