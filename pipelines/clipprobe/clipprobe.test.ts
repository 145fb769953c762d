import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../models/runtime/Runtime.ts';
import { createNodeRuntime } from '../../models/runtime/backends/nodeCpu.ts';
import { encodeModel } from '../../models/graph/encode.ts';
import { MicroTokenizer, toBigInt64 } from '../../models/text/tokenizer.ts';
import { clipTextGraph, clipVisionGraph } from '../../models/zoo/clip/clipGraphs.ts';
import { ClipModel, cosineMatrix, normalizeRows } from '../../models/zoo/clip/ClipModel.ts';
import { type ClipConfig, microClipConfig } from '../../models/zoo/clip/config.ts';
import { preprocessImage } from '../../models/vision/preprocess.ts';
import type { Rgb8 } from '../../models/vision/normalize.ts';
import { bytesProvider } from '../text2image/bytesProvider.ts';
import type { JobEvent, TerminalEvent } from '../core/events.ts';
import { executeTask } from '../registry.ts';
import type { ClipProbeResult } from './index.ts';

const tok = MicroTokenizer.microworld({ contextLength: 12 });
function tinyConfig(dim: number): ClipConfig {
  const c = microClipConfig(tok.vocab.tokens.length, tok.vocab.eotId, 12);
  c.vision = { ...c.vision, imageSize: 16, patchSize: 8, width: 8, layers: 1, heads: 2, headDim: dim };
  c.text = { ...c.text, width: 8, layers: 1, heads: 2 };
  c.projectionDim = dim;
  return c;
}
const cfg = tinyConfig(8);
const bytes = {
  'tiny-vision': encodeModel(clipVisionGraph(cfg, 'probe-v')),
  'tiny-text': encodeModel(clipTextGraph(cfg, 'probe-t')),
  'wide-text': encodeModel(clipTextGraph(tinyConfig(6), 'probe-w')),
};

/** A 20×24 gradient image (not square and not the tower size, so preprocessing resizes and crops). */
function image(seed: number): Rgb8 {
  const width = 20, height = 24, data = new Uint8Array(width * height * 3);
  for (let i = 0; i < width * height; i++) for (let c = 0; c < 3; c++) data[i * 3 + c] = (i * (c + 1) * 7 + seed * 31) % 256;
  return { width, height, data };
}

let rt: Runtime;
let models: ReturnType<typeof bytesProvider>;
beforeAll(async () => {
  rt = await createNodeRuntime({ threads: 1 });
  models = bytesProvider(rt, bytes);
});
afterAll(async () => {
  await models.dispose();
  await rt.dispose();
});

async function probe(input: Record<string, unknown>): Promise<{ end: TerminalEvent; events: JobEvent[] }> {
  const events: JobEvent[] = [];
  const end = await executeTask({ task: 'clip-probe', input: { vision: 'tiny-vision', text: 'tiny-text', ...input } }, rt, {
    signal: new AbortController().signal, models, emit: (e) => events.push(e),
  });
  return { end, events };
}

const texts = ['a red star', 'a blue ring on grass', 'a green heart'];

describe('clip-probe', () => {
  it('matches ClipModel embeddings + cosine, with softmax probabilities and the best text', async () => {
    const img = image(1);
    const { end, events } = await probe({ image: img, texts });
    expect(end.type, JSON.stringify(end)).toBe('complete');
    const r = (end as { result: ClipProbeResult }).result;
    expect(r.texts).toEqual(texts);
    expect([r.imageSize, r.dim]).toEqual([16, 8]);

    // Reference through the zoo's ClipModel (its own tokenizer batch + encode path).
    const clip = await ClipModel.create(rt, {
      vision: bytes['tiny-vision'], text: bytes['tiny-text'],
      tokenize: (t) => { const e = tok.encodeBatch(t); return { ids: toBigInt64(e.ids), attentionMask: toBigInt64(e.attentionMask), length: 12 }; },
    });
    const iv = normalizeRows(await clip.encodeImages(preprocessImage(img, 16), 1), 8);
    const tv = normalizeRows(await clip.encodeTexts(texts), 8);
    const ref = cosineMatrix(iv, tv, 8);
    await clip.dispose();
    r.similarities.forEach((s, j) => expect(s).toBeCloseTo(ref[j], 5));

    expect(r.probs.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
    const best = r.similarities.indexOf(Math.max(...r.similarities));
    expect(r.best).toBe(best);
    expect(r.probs.indexOf(Math.max(...r.probs))).toBe(best);
    // Softmax of 100·cos: the ratio of two probabilities is exp(100·Δcos).
    expect(Math.log(r.probs[0] / r.probs[1])).toBeCloseTo(100 * (r.similarities[0] - r.similarities[1]), 3);
    expect(r.tokenCounts).toEqual(texts.map((t) => tok.encode(t).attentionMask.reduce((a, b) => a + b, 0)));
    expect(events.filter((e) => e.type === 'metric').length).toBe(3);
  });

  it('gives identical texts identical scores and a different image different scores', async () => {
    const a = (await probe({ image: image(1), texts: ['a red star', 'a red star'] })).end as { result: ClipProbeResult };
    expect(a.result.similarities[0]).toBeCloseTo(a.result.similarities[1], 6);
    expect(a.result.probs[0]).toBeCloseTo(0.5, 6);
    const b = (await probe({ image: image(9), texts: ['a red star', 'a red star'] })).end as { result: ClipProbeResult };
    expect(Math.abs(b.result.similarities[0] - a.result.similarities[0])).toBeGreaterThan(1e-4);
  });

  it('drops blank texts and rejects bad input with clear messages', async () => {
    const r = (await probe({ image: image(1), texts: ['  ', 'a red star', ''] })).end as { result: ClipProbeResult };
    expect(r.result.texts).toEqual(['a red star']);
    expect(r.result.probs).toEqual([1]);
    const noText = (await probe({ image: image(1), texts: [' '] })).end;
    expect(noText).toMatchObject({ type: 'error', message: expect.stringContaining('at least one text') });
    const badImage = (await probe({ image: { width: 4, height: 4, data: new Uint8Array(5) }, texts })).end;
    expect(badImage).toMatchObject({ type: 'error', message: expect.stringContaining('RGB image') });
    const mismatch = (await probe({ image: image(1), texts, text: 'wide-text' })).end;
    expect(mismatch).toMatchObject({ type: 'error', message: expect.stringContaining('do not belong together') });
    const missing = (await probe({ image: image(1), texts, vision: 'nope' })).end;
    expect(missing).toMatchObject({ type: 'error', message: expect.stringContaining("no model 'nope'") });
  });
});
