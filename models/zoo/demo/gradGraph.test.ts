import { describe, expect, it } from 'vitest';
import { createNodeRuntime } from '../../runtime/backends/nodeCpu.ts';
import { makeGradParityCase } from './gradGraph.ts';

describe('hand-written gradient parity graph', () => {
  it('dW matches central finite differences of loss (float32 tolerances)', async () => {
    const rt = await createNodeRuntime({ threads: 1 });
    const c = makeGradParityCase();
    const s = await rt.createSession(c.model);
    const run = async (W: number[]) => {
      const feeds = Object.fromEntries(Object.entries({ ...c.feeds, W: { ...c.feeds.W, data: W } }).map(([k, f]) => [k, rt.tensor('float32', Float32Array.from(f.data), f.dims)]));
      const out = await s.run(feeds);
      return { loss: (await rt.read(out.loss))[0] as number, dW: Array.from((await rt.read(out.dW)) as Float32Array) };
    };
    const base = await run(c.feeds.W.data);
    const h = 1e-2;
    for (const i of [0, 7, 13, 30, 47]) {
      const up = c.feeds.W.data.slice(); up[i] += h;
      const dn = c.feeds.W.data.slice(); dn[i] -= h;
      const fd = ((await run(up)).loss - (await run(dn)).loss) / (2 * h);
      expect(Math.abs(fd - base.dW[i]), `dW[${i}] ${base.dW[i]} vs fd ${fd}`).toBeLessThan(2e-3);
    }
    await rt.dispose();
  });
});
