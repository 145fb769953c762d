/** The caption task through the registry: streamed partial text, one terminal event, cancel, bad input codes. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sceneSample } from '../../models/data/microworld/index.ts';
import { createNodeRuntime } from '../../models/runtime/backends/nodeCpu.ts';
import type { Runtime } from '../../models/runtime/Runtime.ts';
import { encodeWeights } from '../../models/zoo/vlm/bundle.ts';
import { tinyVlm } from '../../models/zoo/vlm/testModel.ts';
import type { JobEvent } from '../core/events.ts';
import { encodePng } from '../core/png.ts';
import { executeTask } from '../registry.ts';
import type { CaptionResult } from './index.ts';
import type { MicroVlmFiles } from './params.ts';

let rt: Runtime;
let model: MicroVlmFiles;
let image: Uint8Array;
beforeAll(async () => {
  rt = await createNodeRuntime({ threads: 1 });
  const t = tinyVlm('pipeline');
  const entry = (name: string, b: Uint8Array) => ({ name, bytes: b.length, sha256: 'unchecked-in-memory' });
  const weights = encodeWeights(t.weights, t.dims), gates = encodeWeights(t.gates, t.dims);
  model = {
    json: { id: 'tiny-vlm', config: t.config, visionTrained: false, files: { vision: entry('vision.onnx', t.vision), weights: entry('weights.onnx', weights), gates: entry('gates.onnx', gates) } },
    files: { 'vision.onnx': t.vision, 'weights.onnx': weights, 'gates.onnx': gates },
  };
  const img = sceneSample('test', 0, 2).image;
  image = encodePng({ width: img.width, height: img.height, channels: 3, data: img.data });
});
afterAll(async () => { await rt.dispose(); });

async function job(input: Record<string, unknown>, params: Record<string, unknown> = {}, signal = new AbortController().signal) {
  const events: JobEvent[] = [];
  const end = await executeTask({ task: 'caption', input: { image, model, ...input }, params }, rt, { signal, emit: (e) => events.push(e) });
  return { end, events };
}

describe('loadMicroVlmFiles', () => {
  it('loads model.json and its files through a fetcher, checking sizes and sha256', async () => {
    const { createHash } = await import('node:crypto');
    const { loadMicroVlmFiles } = await import('./loadFiles.ts');
    const store: Record<string, Uint8Array> = { ...model.files };
    const entry = (name: string) => ({ name, bytes: store[name].length, sha256: createHash('sha256').update(store[name]).digest('hex') });
    const json = { ...model.json, files: { vision: entry('vision.onnx'), weights: entry('weights.onnx'), gates: entry('gates.onnx') } };
    store['model.json'] = new TextEncoder().encode(JSON.stringify(json));
    const fetchBytes = async (n: string) => { const b = store[n]; if (!b) throw new Error(`404 ${n}`); return b; };
    const m = await loadMicroVlmFiles(fetchBytes);
    expect(Object.keys(m.files).sort()).toEqual(['gates.onnx', 'vision.onnx', 'weights.onnx']);
    store['weights.onnx'] = store['weights.onnx'].slice(0, 10);
    await expect(loadMicroVlmFiles(fetchBytes)).rejects.toThrow(/weights.onnx has 10 bytes/);
    store['weights.onnx'] = Uint8Array.from(model.files['weights.onnx'], (x, i) => (i === 0 ? x ^ 1 : x));
    await expect(loadMicroVlmFiles(fetchBytes)).rejects.toThrow(/does not match its sha256/);
    await expect(loadMicroVlmFiles(async () => { throw new Error('404'); })).rejects.toThrow(/model.json could not be read/);
  });
});

describe('caption task (pipelines/dyvte)', () => {
  it('streams growing partial text and ends with exactly one complete event whose text is the last partial', async () => {
    const { end, events } = await job({ question: 'what color is the circle?' }, { exit: 'none', maxTokens: 5 });
    expect(end.type).toBe('complete');
    const terminal = events.filter((e) => e.type === 'complete' || e.type === 'error' || e.type === 'canceled');
    expect(terminal).toHaveLength(1);
    const partial = events.filter((e): e is Extract<JobEvent, { type: 'partial-text' }> => e.type === 'partial-text');
    const r = (end as Extract<JobEvent, { type: 'complete' }>).result as CaptionResult;
    expect(partial.length).toBe(r.tokens);
    expect(partial[partial.length - 1].text).toBe(r.text);
    expect(events.some((e) => e.type === 'metric' && e.name === 'exit_layer' && e.value === -1)).toBe(true);
  });

  it('dyvte exit reports the per-layer gate probabilities and FLOPs saved', async () => {
    const { end } = await job({}, { exit: 'dyvte', maxTokens: 3 });
    const r = (end as Extract<JobEvent, { type: 'complete' }>).result as CaptionResult;
    expect(r.layers[0].pExit).toBeGreaterThanOrEqual(0);
    expect(r.layers[0].pExit).toBeLessThanOrEqual(1);
    expect(r.recipe.gates).toBe('unchecked-in-memory');
  });

  it('cancels between tokens', async () => {
    const ac = new AbortController();
    const events: JobEvent[] = [];
    const end = await executeTask({ task: 'caption', input: { image, model }, params: { exit: 'none', maxTokens: 20 } }, rt, {
      signal: ac.signal,
      emit: (e) => { events.push(e); if (e.type === 'partial-text') ac.abort(); },
    });
    expect(end.type).toBe('canceled');
    expect(events.filter((e) => e.type === 'partial-text')).toHaveLength(1);
  });

  it('bad input ends in an error event with a code and a sentence', async () => {
    const cases: [Record<string, unknown>, Record<string, unknown>, RegExp, string][] = [
      [{ image: new TextEncoder().encode('hello') }, {}, /not a PNG or JPEG/, 'not-an-image'],
      [{ question: '' }, {}, /question is empty/, 'empty-question'],
      [{ question: 'x'.repeat(5000) }, {}, /5,000 characters/, 'question-too-long'],
      [{}, { exit: 9 }, /exit layer must be an integer in 0…1/, 'bad-param'],
      [{}, { temperature: -1 }, /temperature must be in \[0, 5\]/, 'bad-param'],
    ];
    for (const [input, params, msg, code] of cases) {
      const { end } = await job(input, params);
      expect(end).toMatchObject({ type: 'error', code });
      expect((end as Extract<JobEvent, { type: 'error' }>).message).toMatch(msg);
    }
  });
});
