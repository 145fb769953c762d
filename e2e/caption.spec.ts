/**
 * Caption workspace with the micro-VLM: pick a held-out Microworld scene, caption it (the answer
 * streams in), see the per-layer strip with where the visual tokens exited and the FLOPs saved;
 * then ask a question about the same image. Bad input (a non-image file, an empty or a 5,000-character
 * question) gets a clear message.
 */
import { expect, test } from '@playwright/test';
import { openFreshStudio, snap } from './helpers/studio.ts';

test.use({ viewport: { width: 1440, height: 900 }, actionTimeout: 15_000 });

test('Caption: caption a Microworld scene, see the exit layer and the FLOPs saved', async ({ page }, testInfo) => {
  await openFreshStudio(page);
  await page.getByTestId('dock-caption').click();
  await page.getByTestId('win-max-caption').click();
  const ws = page.getByTestId('workspace-caption');
  // A non-image file is refused with a sentence, not a crash.
  await ws.getByTestId('cap-drop-file').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not an image at all') });
  await expect(ws.getByTestId('cap-drop-error')).toContainText('notes.txt');
  await expect(ws.getByTestId('cap-drop-error')).toContainText(/image/i);
  await ws.getByTestId('cap-drop-sample').click();
  await expect(ws.getByTestId('cap-drop-error')).toHaveCount(0);
  await expect(ws.getByTestId('cap-drop-image')).toBeVisible();

  // Streaming: the answer element gets text before the job finishes (watched from the page).
  await page.evaluate(() => {
    const el = document.querySelector('[data-testid="cap-answer"]')!;
    (window as unknown as { __partials: string[] }).__partials = [];
    new MutationObserver(() => {
      if (el.classList.contains('streaming') && el.textContent) (window as unknown as { __partials: string[] }).__partials.push(el.textContent);
    }).observe(el, { childList: true, subtree: true, characterData: true, attributes: true });
  });
  await ws.getByTestId('cap-run').click();
  const layers = ws.getByTestId('cap-layers');
  await expect(layers).toBeVisible({ timeout: 150_000 });
  await expect(ws.getByTestId('cap-error')).toHaveCount(0);
  const answer = (await ws.getByTestId('cap-answer').textContent()) ?? '';
  expect(answer.trim().length).toBeGreaterThan(0);
  const partials = await page.evaluate(() => (window as unknown as { __partials: string[] }).__partials);
  expect(partials.length).toBeGreaterThan(0);

  const exit = await layers.getAttribute('data-exit-layer');
  expect(exit).toMatch(/^\d+$/);
  await expect(ws.getByTestId(`cap-layer-${exit}`)).toHaveClass(/exit/);
  await expect(ws.getByTestId('cap-exit-layer')).toContainText(`after layer ${exit}`);
  const saved = Number(((await ws.getByTestId('cap-flops-saved').textContent()) ?? '').replace('%', ''));
  expect(saved).toBeGreaterThan(0);
  await snap(page, testInfo, 'caption');

  await ws.getByTestId('cap-mode-ask').click();
  await ws.getByTestId('cap-question').fill('   ');
  await ws.getByTestId('cap-run').click();
  await expect(ws.getByTestId('cap-error')).toContainText('Type a question');
  await ws.getByTestId('cap-question').fill('is the star green? '.repeat(264).slice(0, 5000));
  await ws.getByTestId('cap-run').click();
  await expect(ws.getByTestId('cap-error')).toContainText('5,000 characters');
  await ws.getByTestId('cap-question').fill('what color is the star?');
  await ws.getByTestId('cap-run').click();
  await expect(ws.getByTestId('cap-layers')).toBeVisible({ timeout: 150_000 });
  await expect(ws.getByTestId('cap-answer')).not.toBeEmpty();
  await expect(page.getByTestId('workspace-caption').getByText('Answer to “what color is the star?”')).toBeVisible();
});

test('Caption: the real VLM is listed with its needs and refuses an incomplete export by name', async ({ page }) => {
  await openFreshStudio(page);
  await page.getByTestId('dock-models').click();
  const row = page.getByTestId('model-smolvlm-256m-layerwise');
  await expect(row).toContainText('SmolVLM-256M');
  await expect(row).toContainText(/memory/);
  await page.getByTestId('dock-caption').click();
  const ws = page.getByTestId('workspace-caption');
  await ws.getByTestId('cap-model').selectOption('real');
  await expect(ws.getByTestId('cap-real')).toContainText('decoder_layer_0');
  await ws.getByTestId('cap-real-files').setInputFiles({ name: 'tokenizer.json', mimeType: 'application/json', buffer: Buffer.from('{}') });
  await expect(ws.getByTestId('cap-real-error')).toContainText('vision_encoder.onnx is missing');
  await ws.getByTestId('cap-model').selectOption('micro');
  await expect(ws.getByTestId('cap-real')).toHaveCount(0);
});
