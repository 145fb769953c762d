/**
 * Acceptance check (issue 5): one full iteration's parameter gradient — style field → displace +
 * renormalize → render → augment → CLIP-shaped image tower → −cos loss, and back through every
 * adjoint and the style field's gradient graph — against central finite differences of the same
 * deterministic iteration (tiny mesh, tiny random-weight CLIP-shaped graph).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gradName } from '../../models/graph/autodiff.ts';
import { encodeModel } from '../../models/graph/encode.ts';
import { initializersToInputs } from '../../models/graph/surgery/initializersToInputs.ts';
import { createNodeRuntime } from '../../models/runtime/backends/nodeCpu.ts';
import type { Runtime, Session } from '../../models/runtime/Runtime.ts';
import { signedVolume } from '../../models/data/microworld/meshes.ts';
import { Prng } from '../../models/data/microworld/prng.ts';
import { ClipGuidance } from './clipGuidance.ts';
import { GRAD_COLORS, GRAD_OFFSETS, styleFieldGradModel } from './fieldTrainer.ts';
import { fieldInput } from './geometry.ts';
import { iterationGradients, type FrozenVisibility, type PassPlan } from './iteration.ts';
import { buildStyleField, type StyleFieldConfig } from './styleField.ts';
import { tinyClipVision, uvSphere } from './testing.ts';

const mesh = uvSphere(4, 6);
const N = mesh.positions.length / 3;
const D = 8;
let rt: Runtime;

beforeAll(async () => { rt = await createNodeRuntime({ threads: 1 }); });
afterAll(async () => { await rt.dispose(); });

it('the tiny sphere winds outward', () => {
  expect(signedVolume(mesh)).toBeGreaterThan(0);
});

describe.each(['tdam', 'text2mesh'] as const)('one full iteration, %s', (method) => {
  it('parameter gradient matches central finite differences', async () => {
    const cfg: StyleFieldConfig = { method, vertices: N, textDim: D, width: 8, depth: 1, headDepth: 1, frequencies: 4, sigma: 1, rank: 2, reduction: 2, seed: 3 };
    const field = buildStyleField(cfg);
    // Random (non-zero) values everywhere, so every parameter — including the zero-initialized
    // last layers and V — lies on a path with a non-zero gradient.
    const r = new Prng('fd-params');
    const params = new Map<string, Float32Array>();
    for (const p of field.params) {
      const t = field.model.graph.initializers.get(p)!;
      params.set(p, Float32Array.from({ length: t.values.length }, () => r.range(-0.6, 0.6)));
    }
    const text = Float32Array.from({ length: D }, () => r.normal(0, 1));
    const normals = Float32Array.from(mesh.positions); // unit sphere: position = normal
    const fixed: Record<string, Float32Array> = { points: fieldInput(mesh.positions, { symmetry: true, standardize: true }) };
    if (method === 'tdam') fixed.text_embed = text; else fixed.normals = normals;

    const fwd = await rt.createSession(encodeModel(initializersToInputs(field.model, field.params).model));
    const gradSession = await rt.createSession(encodeModel(styleFieldGradModel(field)));
    const guidance = await ClipGuidance.create(rt, tinyClipVision(16, D), 2, Float32Array.from({ length: D }, () => r.normal(0, 1)));
    const passes: PassPlan = { global: 1, local: 1, localScale: 0.4, geometry: 1 };

    const feeds = (ps: Map<string, Float32Array>) => {
      const f: Record<string, ReturnType<Runtime['tensor']>> = {};
      for (const [k, v] of Object.entries(fixed)) f[k] = rt.tensor('float32', v, [k === 'text_embed' ? 1 : N, k === 'text_embed' ? D : 3]);
      for (const p of field.params) f[p] = rt.tensor('float32', ps.get(p)!, field.model.graph.initializers.get(p)!.dims);
      return f;
    };
    const run = async (s: Session, ps: Map<string, Float32Array>, extra: Record<string, Float32Array> = {}, fetch?: string[]) => {
      const f = feeds(ps);
      for (const [k, v] of Object.entries(extra)) f[k] = rt.tensor('float32', v, [N, 3]);
      return s.run(f, fetch);
    };
    const iterate = async (ps: Map<string, Float32Array>, freezeVisibility?: FrozenVisibility) => {
      const o = await run(fwd, ps, {}, ['colors', 'offsets']);
      return iterationGradients(guidance, {
        positions: mesh.positions, indices: mesh.indices, passes, seed: 11, freezeVisibility,
        colors: (await rt.read(o.colors)) as Float32Array, offsets: (await rt.read(o.offsets)) as Float32Array,
      });
    };

    const base = await iterate(params);
    const frozen = base.visibility;
    expect(frozen.color).toHaveLength(2);
    expect(frozen.geometry).toHaveLength(2);
    expect(Number.isFinite(base.loss)).toBe(true);
    const grads = await run(gradSession, params, { [GRAD_COLORS]: base.dColors, [GRAD_OFFSETS]: base.dOffsets }, field.params.map(gradName));

    // Visibility frozen at the base point (what the hard-raster adjoint is exact for): every
    // parameter, incl. those that move vertices. Color-head parameters do not move geometry, so
    // for them the plain (re-rasterizing) iteration must agree too.
    const checked: [string, boolean][] = method === 'tdam'
      ? [['color.out.weight', false], ['color.out.weight', true], ['disp.out.weight', true], ['trunk.0.weight', true], ['tdam.channel.fc1.V', true], ['tdam.spatial.fc2.hyper.weight', true]]
      : [['color.out.weight', false], ['color.out.weight', true], ['disp.out.weight', true], ['trunk.0.weight', true], ['trunk.1.bias', true]];
    let compared = 0;
    for (const [name, freeze] of checked) {
      // Frozen visibility makes the loss smooth in every parameter, so a larger step keeps fp32
      // round-off (~1e-7 of a loss of order 1) well below the displacement gradients (~1e-3).
      const h = freeze ? 1e-2 : 2e-3;
      const a = (await rt.read(grads[gradName(name)])) as Float32Array;
      // The entries with the largest analytic gradient, so the comparison is well above fp32 noise.
      const order = [...a.keys()].sort((i, j) => Math.abs(a[j]) - Math.abs(a[i])).slice(0, 3);
      for (const i of order) {
        const at = async (d: number) => {
          const ps = new Map(params);
          const v = Float32Array.from(params.get(name)!);
          v[i] += d;
          ps.set(name, v);
          return (await iterate(ps, freeze ? frozen : undefined)).loss;
        };
        const numeric = ((await at(h)) - (await at(-h))) / (2 * h);
        const rel = Math.abs(numeric - a[i]) / Math.max(Math.abs(a[i]), Math.abs(numeric), 1e-3);
        expect(rel, `${name}[${i}] (frozen visibility: ${freeze}): analytic ${a[i]}, numeric ${numeric}`).toBeLessThan(0.05);
        compared++;
      }
    }
    expect(compared).toBe(checked.length * 3);
    await fwd.dispose();
    await gradSession.dispose();
    await guidance.dispose();
  });
});
