/** The caption task on the real-VLM path: a micro model exported under SmolVLM's per-layer contract, through the task registry. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeRuntime } from '../../models/runtime/backends/nodeCpu.ts';
import type { Runtime } from '../../models/runtime/Runtime.ts';
import { REAL_VLM_FILES } from '../../models/zoo/vlm/real/contract.ts';
import { MICRO_REAL_VLM, microRealVlmFiles } from '../../models/zoo/vlm/real/testFiles.ts';
import type { JobEvent } from '../core/events.ts';
import { encodePng } from '../core/png.ts';
import { executeTask } from '../registry.ts';
import type { CaptionResult } from './index.ts';
import type { RealVlmFiles } from './realRun.ts';

let rt: Runtime;
let real: RealVlmFiles;
const image = (() => {
  const w = 48, h = 40, data = new Uint8Array(w * h * 3);
  for (let i = 0; i < data.length; i++) data[i] = (i * 37) % 256;
  return encodePng({ width: w, height: h, channels: 3, data });
})();

beforeAll(async () => {
  rt = await createNodeRuntime({ threads: 1 });
  real = { id: 'micro-real-vlm', config: MICRO_REAL_VLM, files: microRealVlmFiles() };
});
afterAll(async () => { await rt.dispose(); });

async function job(input: Record<string, unknown>, params: Record<string, unknown>) {
  const events: JobEvent[] = [];
  const end = await executeTask({ task: 'caption', input: { image, real, ...input }, params }, rt, { signal: new AbortController().signal, emit: (e) => events.push(e) });
  return { end, events };
}
const result = (end: JobEvent) => (end as Extract<JobEvent, { type: 'complete' }>).result as CaptionResult;

describe('caption task, real VLM path', () => {
  it('answers with streamed text; a fixed exit drops the image tokens for later layers and saves FLOPs', async () => {
    const { end, events } = await job({ question: 'what color is the star?' }, { exit: 0, maxTokens: 3 });
    expect(end.type).toBe('complete');
    const r = result(end);
    expect(r.exitLayer).toBe(0);
    const S = r.layers[0].tokens;
    expect(r.layers.map((l) => l.tokens)).toEqual([S, S - MICRO_REAL_VLM.imageTokens, S - MICRO_REAL_VLM.imageTokens]);
    expect(r.flopsSaved).toBeGreaterThan(0);
    expect(r.recipe.model).toBe('micro-real-vlm');
    expect(events.filter((e) => e.type === 'partial-text')).toHaveLength(r.tokens);
    const none = result((await job({ question: 'what color is the star?' }, { exit: 'none', maxTokens: 3 })).end);
    expect(none.layers.every((l) => l.tokens === S)).toBe(true);
    expect(none.flopsSaved).toBeCloseTo(0, 9);
  });

  it('without gates, DyVTE says so and runs without exit', async () => {
    const { end, events } = await job({}, { exit: 'dyvte', maxTokens: 2 });
    expect(result(end).exitLayer).toBeNull();
    expect(events.some((e) => e.type === 'warning' && /no DyVTE gates/.test(e.message))).toBe(true);
  });

  it('refuses bad input and missing files with clear messages', async () => {
    const { [REAL_VLM_FILES.tokenizer]: _t, ...noTok } = real.files;
    const cases: [Record<string, unknown>, Record<string, unknown>, RegExp][] = [
      [{ question: '' }, {}, /question is empty/],
      [{ image: new TextEncoder().encode('not an image') }, {}, /not a PNG or JPEG/],
      [{}, { exit: 3 }, /exit layer must be an integer in 0…2/],
      [{ real: { ...real, files: noTok } }, {}, /tokenizer\.json was not provided/],
    ];
    for (const [input, params, msg] of cases) {
      const { end } = await job(input, params);
      expect(end.type).toBe('error');
      expect((end as Extract<JobEvent, { type: 'error' }>).message).toMatch(msg);
    }
  });
});
