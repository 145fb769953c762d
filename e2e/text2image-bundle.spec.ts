/**
 * The micro diffusion stack is self-contained in the served build: a text2image job (wasm, two
 * steps, so it stays cheap) fetches its text encoder from models/micro-unet/ — the copy of the tower
 * the UNet was trained on — and never micro-CLIP's, which is retrained on its own schedule.
 */
import { expect, test } from '@playwright/test';
import { openFreshStudio } from './helpers/studio.ts';

test('text2image fetches micro-unet-text from the UNet folder, not micro-CLIP\'s', async ({ page }) => {
  test.setTimeout(300_000);
  const onnx: string[] = [];
  page.on('request', (r) => { if (r.url().endsWith('.onnx')) onnx.push(new URL(r.url()).pathname); });
  await openFreshStudio(page);
  await page.waitForFunction(() => window.__atelier !== undefined);
  const job = await page.evaluate(async () => {
    const r = await window.__atelier!.runJob({ task: 'text2image', backend: 'wasm', input: { prompt: 'a red star on grass', seed: 3, steps: 2, guidance: 5 }, params: { previewEvery: 0 } });
    const res = r.result as { recipe?: { models?: Record<string, string> }; width?: number } | undefined;
    return { status: r.status, error: r.error, models: res?.recipe?.models, width: res?.width };
  });
  expect(job.error).toBeUndefined();
  expect(job.status).toBe('done');
  expect(job.width).toBe(64);
  expect(job.models?.textEncoder).toBe('micro-unet-text');
  expect(onnx).toContain('/models/micro-unet/text_model.onnx');
  expect(onnx.filter((p) => p.startsWith('/models/micro-clip'))).toEqual([]);
});
