import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ScriptedStudioClient } from './scriptedClient.ts';
import { connectClient, useStudio } from './studioStore.ts';
import { clipModels, modelProbeActions, parseTexts, useModelProbe } from './modelProbeStore.ts';
import { microworldImage } from './captionImage.ts';
import type { ModelView } from '../worker/StudioClient.ts';

const view = (id: string, task: string, title: string, cached = false): ModelView => ({ id, task, title, bytes: 1, cached, needs: {}, source: 'assets', status: 'idle' });
const models = [
  view('micro-clip-vision', 'clip', 'micro-CLIP (vision)', true), view('micro-clip-text', 'clip', 'micro-CLIP (text)', true),
  view('lonely-vision', 'clip', 'Lonely (vision)'), view('demo-mlp', 'demo', 'Demo'),
];

let client: ScriptedStudioClient;
let stop: () => void;
beforeEach(async () => {
  client = new ScriptedStudioClient({
    'clip-probe': async (spec) => {
      const texts = (spec.input as { texts: string[] }).texts;
      return { texts, similarities: texts.map((_, i) => 0.1 * i), probs: texts.map(() => 1 / texts.length), best: texts.length - 1, imageSize: 64, dim: 128, tokenCounts: texts.map(() => 3), ms: 5 };
    },
  }, { models });
  stop = connectClient(client);
  await client.listModels();
  useStudio.setState({ models: await client.listModels() });
  modelProbeActions.reset();
});
afterEach(() => { stop(); client.dispose(); });

describe('model probe store', () => {
  it('pairs CLIP towers by id and ignores incomplete pairs and other tasks', () => {
    expect(clipModels(models)).toEqual([{ id: 'micro-clip', title: 'micro-CLIP', vision: 'micro-clip-vision', text: 'micro-clip-text', cached: true }]);
  });

  it('probes the chosen CLIP with the image and one text per line', async () => {
    modelProbeActions.open('micro-clip');
    modelProbeActions.setImage(microworldImage(0));
    // A sample's own captions are offered as texts.
    expect(parseTexts(useModelProbe.getState().texts)[0]).toBe(microworldImage(0).captions![0]);
    modelProbeActions.setTexts('a red star\n\n  a blue ring  \n');
    const id = modelProbeActions.run()!;
    await client.whenDone(id);
    const input = client.specs[0].input as { vision: string; text: string; texts: string[]; image: { width: number; data: Uint8Array } };
    expect(input).toMatchObject({ vision: 'micro-clip-vision', text: 'micro-clip-text', texts: ['a red star', 'a blue ring'] });
    expect(input.image.data.length).toBe(input.image.width * input.image.width * 3);
    expect(useModelProbe.getState()).toMatchObject({ running: false, result: { best: 1, texts: ['a red star', 'a blue ring'] } });
  });

  it('says what is missing instead of enqueuing', () => {
    expect(modelProbeActions.run()).toBeUndefined();
    expect(useModelProbe.getState().error).toMatch(/CLIP-type model/);
    modelProbeActions.open('micro-clip');
    expect(modelProbeActions.run()).toBeUndefined();
    expect(useModelProbe.getState().error).toMatch(/Drop an image/);
    modelProbeActions.setImage(microworldImage(0));
    modelProbeActions.setTexts(' \n ');
    expect(modelProbeActions.run()).toBeUndefined();
    expect(useModelProbe.getState().error).toMatch(/at least one text/);
    expect(client.specs).toHaveLength(0);
  });
});
