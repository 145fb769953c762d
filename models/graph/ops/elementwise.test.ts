import { describe, expect, it } from 'vitest';
import { GraphBuilder, type Value } from '../builder.ts';
import { type Feed, gradCheck, randAway, randU } from '../check/gradCheck.ts';
import * as E from './elementwise.ts';

/** eps: probe step; kinked ops (Clip, Max/Min ties) use a small one so ±2h never crosses the kink. */
type Case = { name: string; shapes: number[][]; f: (b: GraphBuilder, xs: Value[]) => Value; feed?: (dims: number[], seed: number) => Feed; eps?: number };

const positive = (dims: number[], seed: number) => randU(dims, seed, 0.5, 2);
const cases: Case[] = [
  { name: 'Add broadcast [2,3,4]+[3,1]', shapes: [[2, 3, 4], [3, 1]], f: (b, [x, y]) => E.add(b, x, y) },
  { name: 'Sub broadcast [4]-[2,3,4]', shapes: [[4], [2, 3, 4]], f: (b, [x, y]) => E.sub(b, x, y) },
  { name: 'Mul broadcast [2,1,4]*[3,1]', shapes: [[2, 1, 4], [3, 1]], f: (b, [x, y]) => E.mul(b, x, y) },
  { name: 'Div broadcast [2,3]/[1,3]', shapes: [[2, 3], [1, 3]], f: (b, [x, y]) => E.div(b, x, y), feed: positive },
  { name: 'Pow x^y (both)', shapes: [[2, 3], [3]], f: (b, [x, y]) => E.pow(b, x, y), feed: positive },
  { name: 'Pow x^2 (constant exponent)', shapes: [[5]], f: (b, [x]) => E.pow(b, x, 2) },
  { name: 'Sqrt', shapes: [[2, 3]], f: (b, [x]) => E.sqrt(b, x), feed: positive },
  { name: 'Exp', shapes: [[2, 3]], f: (b, [x]) => E.exp(b, x) },
  { name: 'Log', shapes: [[2, 3]], f: (b, [x]) => E.log(b, x), feed: positive },
  { name: 'Tanh', shapes: [[2, 3]], f: (b, [x]) => E.tanh(b, x) },
  { name: 'Erf', shapes: [[2, 3]], f: (b, [x]) => E.erf(b, x) },
  { name: 'Relu', shapes: [[3, 4]], f: (b, [x]) => E.relu(b, x) },
  { name: 'Sigmoid', shapes: [[3, 4]], f: (b, [x]) => E.sigmoid(b, x) },
  { name: 'Neg', shapes: [[3]], f: (b, [x]) => E.neg(b, x) },
  { name: 'Abs', shapes: [[3, 4]], f: (b, [x]) => E.abs(b, x) },
  { name: 'Reciprocal', shapes: [[3]], f: (b, [x]) => E.reciprocal(b, x), feed: positive },
  { name: 'Sin/Cos', shapes: [[3, 2]], f: (b, [x]) => E.mul(b, E.sin(b, x), E.cos(b, x)) },
  { name: 'LeakyRelu', shapes: [[3, 4]], f: (b, [x]) => E.leakyRelu(b, x, 0.2) },
  { name: 'Clip', shapes: [[4, 4]], f: (b, [x]) => E.clip(b, x, -0.5, 0.55), eps: 5e-3 },
  { name: 'Max broadcast', shapes: [[2, 3], [3]], f: (b, [x, y]) => E.max(b, x, y), eps: 5e-3 },
  { name: 'Min broadcast', shapes: [[2, 3], [2, 1]], f: (b, [x, y]) => E.min(b, x, y), eps: 5e-3 },
  { name: 'Where broadcast', shapes: [[2, 3], [3]], f: (b, [x, y]) => E.where(b, E.greater(b, x, 0), E.mul(b, x, x), y) },
  { name: 'Cast f32->f32 and Identity', shapes: [[3]], f: (b, [x]) => E.identity(b, E.cast(b, E.mul(b, x, x), 'float32')) },
  { name: 'GELU (Erf) and SiLU', shapes: [[2, 5]], f: (b, [x]) => E.add(b, E.gelu(b, x), E.silu(b, x)) },
  { name: 'value used twice (x*x + x)', shapes: [[4]], f: (b, [x]) => E.add(b, E.mul(b, x, x), x) },
  { name: 'Softplus', shapes: [[2, 3]], f: (b, [x]) => b.op('Softplus', [x])[0] },
  { name: 'Dropout (inference) is the identity', shapes: [[2, 3]], f: (b, [x]) => E.mul(b, b.op('Dropout', [x])[0], x) },
];

describe('opset-20 Gelu VJP vs finite differences', () => {
  for (const approximate of ['none', 'tanh']) {
    it(`Gelu approximate=${approximate}`, async () => {
      const b = new GraphBuilder('t', { opset: 20 });
      const x = b.input('x', 'float32', [3, 4]);
      b.output(b.op('Gelu', [x], { approximate })[0], 'out');
      const r = await gradCheck(b.build(), { wrt: ['x'], feeds: { x: randU([3, 4], 3, -2, 2) }, samples: 8 });
      expect(r.maxRelErr, JSON.stringify(r.worst)).toBeLessThan(1e-3);
      expect(r.fp32Islands).toEqual([]);
    });
  }
});

describe('elementwise VJPs vs central finite differences', () => {
  for (const c of cases) {
    it(c.name, async () => {
      const b = new GraphBuilder('t');
      const xs = c.shapes.map((s, i) => b.input(`in${i}`, 'float32', s));
      b.output(c.f(b, xs), 'out');
      const feeds = Object.fromEntries(c.shapes.map((s, i) => [`in${i}`, (c.feed ?? randAway)(s, 11 + i)]));
      const r = await gradCheck(b.build(), { wrt: xs.map((x) => x.name), feeds, samples: 6, eps: c.eps });
      expect(r.maxRelErr, JSON.stringify(r.worst)).toBeLessThan(1e-3);
      expect(r.fp32Islands).toEqual([]);
    });
  }
});
