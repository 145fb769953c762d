/**
 * Caption workspace with the micro-VLM: pick a held-out Microworld scene, caption it (the answer
 * streams in), see the per-layer strip with where the visual tokens exited and the FLOPs saved;
 * then ask a question about the same image, and see an empty question refused.
 */
import { expect, test } from '@playwright/test';
import { openFreshStudio, snap } from './helpers/studio.ts';

test.use({ viewport: { width: 1440, height: 900 }, actionTimeout: 15_000 });

test('Caption: caption a Microworld scene, see the exit layer and the FLOPs saved', async ({ page }, testInfo) => {
  await openFreshStudio(page);
  await page.getByTestId('dock-caption').click();
  await page.getByTestId('win-max-caption').click();
  const ws = page.getByTestId('workspace-caption');
  await ws.getByTestId('cap-drop-sample').click();
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
  await ws.getByTestId('cap-question').fill('what color is the star?');
  await ws.getByTestId('cap-run').click();
  await expect(ws.getByTestId('cap-layers')).toBeVisible({ timeout: 150_000 });
  await expect(ws.getByTestId('cap-answer')).not.toBeEmpty();
  await expect(page.getByTestId('workspace-caption').getByText('Answer to “what color is the star?”')).toBeVisible();
});
