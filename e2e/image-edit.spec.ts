/**
 * Image Edit, generate mode, on WebGPU with the micro stack: type a prompt, generate with few
 * steps, see live previews while it runs, get a result with its recipe, hover a prompt token and
 * see its cross-attention heatmap over the image; then send the image to Caption.
 */
import { expect, test } from '@playwright/test';
import { openFreshStudio, snap } from './helpers/studio.ts';

test.use({ viewport: { width: 1440, height: 900 }, actionTimeout: 15_000 });

test('Image Edit: generate with live previews, hover a token to see its heatmap', async ({ page }, testInfo) => {
  await openFreshStudio(page);
  await page.waitForFunction(() => window.__atelier !== undefined);
  const probe = await page.evaluate(() => window.__atelier!.probe());
  expect(probe.backend, `WebGPU expected, fell back: ${probe.fallbackReason ?? ''}`).toBe('webgpu');

  await page.getByTestId('dock-image-edit').click();
  await page.getByTestId('win-max-image-edit').click();
  const ws = page.getByTestId('workspace-image-edit');
  await ws.getByTestId('ie-prompt').fill('a red star on grass');
  await ws.getByTestId('ie-seed').fill('3');
  await ws.getByTestId('ie-steps').fill('4');
  await ws.getByTestId('ie-guidance').fill('5');
  await ws.getByTestId('ie-generate').click();

  await expect(ws.getByTestId('ie-preview')).toBeVisible({ timeout: 120_000 });
  await expect(ws.getByTestId('ie-preview-step')).toContainText(/step \d/);
  await snap(page, testInfo, 'image-edit-preview');

  await expect(ws.getByTestId('ie-image')).toBeVisible({ timeout: 150_000 });
  await expect(ws.getByTestId('ie-error')).toHaveCount(0);
  const recipe = ws.getByTestId('ie-recipe');
  await expect(recipe).toContainText('a red star on grass');
  await expect(recipe).toContainText('seed 3 · 4 steps · guidance 5');
  await expect(recipe).toContainText('webgpu');
  await expect(ws.locator('.result-thumb')).toHaveCount(1);

  // Hover "star" (position 3 after <sot>, a, red): its map is drawn over the image.
  const star = ws.locator('[data-token="star"]');
  await expect(star).toBeVisible();
  await expect(ws.getByTestId('ie-heatmap')).toHaveCount(0);
  await star.hover();
  const heat = ws.getByTestId('ie-heatmap');
  await expect(heat).toBeVisible();
  // The overlay has real content: opaque where attention is high, varying across the image.
  const alpha = await heat.evaluate((c) => {
    const cv = c as HTMLCanvasElement;
    const d = cv.getContext('2d')!.getImageData(0, 0, cv.width, cv.height).data;
    let lo = 255, hi = 0;
    for (let i = 3; i < d.length; i += 4) { lo = Math.min(lo, d[i]); hi = Math.max(hi, d[i]); }
    return { lo, hi };
  });
  expect(alpha.hi).toBeGreaterThan(alpha.lo);
  await snap(page, testInfo, 'image-edit-heatmap');
  await ws.getByTestId('ie-tokens').hover({ position: { x: 1, y: 1 } });
  await page.mouse.move(5, 5);
  await expect(ws.getByTestId('ie-heatmap')).toHaveCount(0);

  await ws.getByTestId('ie-send-caption').click();
  const cap = page.getByTestId('workspace-caption');
  await expect(cap).toBeVisible();
  await expect(cap.getByTestId('cap-drop-name')).toContainText('a red star on grass');
});
