/**
 * CLIP probe in the Models window on micro-CLIP: open the probe from the model's row, take a
 * held-out Microworld scene ("a black moon" on blue), score true and false texts, and see the
 * bars with softmax percentages ranking the true text first. The false texts change the colour:
 * micro-CLIP's zero-shot colour accuracy is 0.90 while its shape accuracy is still near chance
 * (see `npm run eval -- clip`), and this spec checks the probe, not the model's weak spot.
 */
import { expect, test } from '@playwright/test';
import { openFreshStudio, snap } from './helpers/studio.ts';

test.use({ viewport: { width: 1440, height: 900 }, actionTimeout: 15_000 });

test('Models window: probe micro-CLIP with a Microworld scene and several texts', async ({ page }, testInfo) => {
  await openFreshStudio(page);
  await page.getByTestId('dock-models').click();
  await page.getByTestId('win-max-models').click();
  await page.getByTestId('model-probe-micro-clip').click();
  const probe = page.getByTestId('model-probe');
  await expect(probe).toBeVisible();

  // The second sample of the held-out split is a single black moon on a blue background.
  await probe.getByTestId('probe-drop-sample').click();
  await probe.getByTestId('probe-drop-sample').click();
  await expect(probe.getByTestId('probe-drop-name')).toContainText('#1');
  await expect(probe.getByTestId('probe-texts')).toHaveValue(/a black moon/);

  const texts = ['a black moon', 'a white moon', 'a red moon', 'a yellow moon'];
  await probe.getByTestId('probe-texts').fill(texts.join('\n'));
  await probe.getByTestId('probe-run').click();
  const results = probe.getByTestId('probe-results');
  await expect(results).toBeVisible({ timeout: 120_000 });
  await expect(probe.getByTestId('probe-error')).toHaveCount(0);

  const rows = await results.locator('.probe-bar').evaluateAll((els) => els.map((e) => ({
    text: e.querySelector('.text')?.textContent ?? '', sim: Number(e.getAttribute('data-similarity')), prob: Number(e.getAttribute('data-prob')),
  })));
  expect(rows.map((r) => r.text)).toEqual(texts);
  expect(rows.reduce((a, r) => a + r.prob, 0)).toBeCloseTo(1, 2);
  for (const r of rows) expect(Math.abs(r.sim)).toBeLessThanOrEqual(1.0001);
  expect(await results.getAttribute('data-best')).toBe('0');
  expect(rows[0].sim).toBeGreaterThan(Math.max(...rows.slice(1).map((r) => r.sim)));
  await expect(probe.getByTestId('probe-row-0')).toContainText('%');
  await probe.scrollIntoViewIfNeeded();
  await snap(page, testInfo, 'model-probe');
});
