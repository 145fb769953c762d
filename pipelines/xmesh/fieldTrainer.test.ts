/**
 * The train-step graph's WebGPU-motivated surgery keeps the optimizer exact: no Sum node is left
 * (the EP has none), the Add tree's grad norm equals √Σ g² of the gradient graph's own outputs, and
 * the outputs lead with the carried tensors in FieldTrainer's fetch order.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeModel } from '../../models/graph/encode.ts';
import { gradName } from '../../models/graph/autodiff.ts';
import { nextName } from '../../models/graph/optim/names.ts';
import { createNodeRuntime } from '../../models/runtime/backends/nodeCpu.ts';
import type { Runtime, Tensor } from '../../models/runtime/Runtime.ts';
import { Prng } from '../../models/data/microworld/prng.ts';
import { FieldTrainer, GRAD_COLORS, GRAD_OFFSETS, stepLr, styleFieldGradModel, styleFieldTrainStep } from './fieldTrainer.ts';
import { fieldInput } from './geometry.ts';
import { buildStyleField } from './styleField.ts';
import { uvSphere } from './testing.ts';

let rt: Runtime;
beforeAll(async () => { rt = await createNodeRuntime({ threads: 1 }); });
afterAll(async () => { await rt.dispose(); });

describe('style field train step', () => {
  const mesh = uvSphere(4, 6);
  const N = mesh.positions.length / 3, D = 6;
  const field = buildStyleField({ method: 'tdam', vertices: N, textDim: D, width: 8, depth: 1, headDepth: 1, frequencies: 4, sigma: 2, rank: 3, reduction: 4, seed: 'ft' });
  const r = new Prng('ft-test');
  const fixed = { points: fieldInput(mesh.positions, { symmetry: true, standardize: true }), text_embed: Float32Array.from({ length: D }, () => r.normal(0, 1)) };
  const dC = Float32Array.from({ length: N * 3 }, () => r.normal(0, 1)), dO = Float32Array.from({ length: N * 3 }, () => r.normal(0, 1));

  it('has no Sum node and lists the carried outputs first, then lr and grad norm', () => {
    const ts = styleFieldTrainStep(field);
    expect(ts.model.graph.nodes.some((n) => n.op === 'Sum')).toBe(false);
    const names = ts.model.graph.outputs.map((o) => o.name);
    expect(names.slice(0, ts.carried.length + 2)).toEqual([...ts.carried.map(nextName), 'optim.lr', 'optim.grad_norm']);
  });

  it("reports the gradient graph's global norm (the Add tree sums every parameter)", async () => {
    const grads = await rt.createSession(encodeModel(styleFieldGradModel(field)));
    const feeds: Record<string, Tensor> = {
      points: rt.tensor('float32', fixed.points, [N, 3]), text_embed: rt.tensor('float32', fixed.text_embed, [1, D]),
      [GRAD_COLORS]: rt.tensor('float32', dC, [N, 3]), [GRAD_OFFSETS]: rt.tensor('float32', dO, [N, 3]),
    };
    for (const p of field.params) {
      const t = field.model.graph.initializers.get(p)!;
      feeds[p] = rt.tensor('float32', Float32Array.from(t.values as Float32Array), t.dims);
    }
    const out = await grads.run(feeds, field.params.map(gradName));
    let sq = 0;
    for (const p of field.params) for (const g of (await rt.read(out[gradName(p)])) as Float32Array) sq += g * g;
    await grads.dispose();
    const tr = await FieldTrainer.create(rt, field, fixed);
    const { gradNorm } = await tr.step(dC, dO);
    await tr.dispose();
    expect(sq).toBeGreaterThan(0);
    expect(gradNorm).toBeCloseTo(Math.sqrt(sq), 4);
  });

  it('follows StepLR with the period it is given (the bench compresses the reference schedule to its run length)', async () => {
    const sched = { lr: 1e-3, decay: 0.5, every: 2 };
    const tr = await FieldTrainer.create(rt, field, fixed, sched);
    const lrs: number[] = [];
    for (let s = 0; s < 5; s++) lrs.push((await tr.step(dC, dO)).lr);
    await tr.dispose();
    [1e-3, 1e-3, 5e-4, 5e-4, 2.5e-4].forEach((want, s) => expect(lrs[s]).toBeCloseTo(want, 9));
    expect(lrs.map((_, s) => stepLr(sched, s))).toEqual([1e-3, 1e-3, 5e-4, 5e-4, 2.5e-4]);
  });
});
