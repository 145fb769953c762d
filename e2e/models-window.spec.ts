/**
 * The Models window with the broken-model fixtures (?fixtures=1): pressing Load on each one
 * shows that model's own specific error on its row; the demo model loads with visible
 * per-file and total progress, then Delete removes it and the storage readout drops.
 */
import { expect, test, type Page } from '@playwright/test';
import { openFreshStudio, snap } from './helpers/studio.ts';

test.use({ viewport: { width: 1440, height: 900 }, actionTimeout: 15_000 });

/** What each failure's message must talk about (beyond being non-empty and distinct). */
const EXPECTED: Record<string, RegExp> = {
  unreachable: /unreachable|fetch|connect|network|refused|could not/i,
  'sha256-mismatch': /sha-?256/i,
  truncated: /truncat|bytes/i,
  'not-onnx': /onnx/i,
  'io-mismatch': /input|output|contract/i,
  'needs-f16': /f16|float16|half/i,
};

async function modelIds(page: Page): Promise<string[]> {
  await page.waitForFunction(() => window.__atelier !== undefined);
  return page.evaluate(async () => (await window.__atelier!.client.listModels()).map((m) => m.id));
}

test('Models window: each broken fixture shows its own error; demo loads with progress, deletes, storage drops', async ({ page }, testInfo) => {
  await openFreshStudio(page);
  const plain = new Set(await modelIds(page));
  expect(plain.has('demo-mlp')).toBe(true);

  await openFreshStudio(page, '?fixtures=1');
  const fixtures = (await modelIds(page)).filter((id) => !plain.has(id));
  expect(fixtures.length).toBeGreaterThanOrEqual(Object.keys(EXPECTED).length);

  await page.getByTestId('dock-models').click();
  await page.getByTestId('win-max-models').click();
  const messages = new Map<string, string>();
  const codes = new Map<string, string>();
  for (const id of fixtures) {
    const row = page.getByTestId(`model-${id}`);
    await row.scrollIntoViewIfNeeded();
    await page.getByTestId(`model-load-${id}`).click();
    const err = page.getByTestId(`model-error-${id}`);
    await expect(err).toBeVisible({ timeout: 60_000 });
    await expect(row).toHaveAttribute('data-status', 'error');
    const code = (await err.getAttribute('data-code')) ?? '';
    const text = (await page.getByTestId(`model-error-message-${id}`).innerText()).trim();
    expect(code, `${id} reports a specific code`).not.toBe('unknown');
    expect(text.length, `${id} has a message`).toBeGreaterThan(10);
    if (EXPECTED[code]) expect(text, `${id} (${code})`).toMatch(EXPECTED[code]);
    messages.set(id, text);
    codes.set(id, code);
  }
  // Every required failure kind appears, each on its own model, and no two rows say the same thing.
  expect([...new Set(codes.values())].sort()).toEqual(expect.arrayContaining(Object.keys(EXPECTED).sort()));
  expect(new Set(codes.values()).size).toBe(fixtures.length);
  expect(new Set(messages.values()).size).toBe(fixtures.length);
  // Errors stay attached to their own rows (loading another model did not clear them).
  for (const id of fixtures) await expect(page.getByTestId(`model-error-message-${id}`)).toHaveText(messages.get(id)!);
  await snap(page, testInfo, 'models-fixture-errors');

  // The demo model: progress events reach the window, then it is cached; storage goes up.
  const demo = page.getByTestId('model-demo-mlp');
  await demo.scrollIntoViewIfNeeded();
  const storage = page.getByTestId('storage');
  const cachedBefore = Number(await storage.getAttribute('data-cached'));
  await page.evaluate(() => {
    const seen: { loaded: number; total: number; files: number }[] = [];
    (window as unknown as { __progress: typeof seen }).__progress = seen;
    window.__atelier!.client.onModels((ms) => {
      const p = ms.find((m) => m.id === 'demo-mlp')?.progress;
      if (p) seen.push({ loaded: p.loaded, total: p.total, files: Object.keys(p.files).length });
    });
  });
  await page.getByTestId('model-load-demo-mlp').click();
  await expect(demo).toHaveAttribute('data-status', 'ready', { timeout: 60_000 });
  await expect(page.getByTestId('model-cached-demo-mlp')).toHaveText('Cached');
  await expect(page.getByTestId('model-error-demo-mlp')).toHaveCount(0);
  const progress = await page.evaluate(() => (window as unknown as { __progress: { loaded: number; total: number; files: number }[] }).__progress);
  expect(progress.length).toBeGreaterThan(0);
  const last = progress[progress.length - 1];
  expect(last.total).toBeGreaterThan(0);
  expect(last.loaded).toBe(last.total);
  expect(last.files).toBeGreaterThanOrEqual(1);
  for (let i = 1; i < progress.length; i++) expect(progress[i].loaded).toBeGreaterThanOrEqual(progress[i - 1].loaded);
  // The window shows the finished total and per-file bars.
  const bars = page.getByTestId('model-progress-demo-mlp');
  await expect(bars).toBeVisible();
  await expect(bars.getByRole('progressbar').first()).toHaveAttribute('aria-valuenow', '100');
  await expect(page.getByTestId('model-file-demo-mlp').first()).toBeVisible();
  await expect.poll(async () => Number(await storage.getAttribute('data-cached'))).toBeGreaterThan(cachedBefore);
  const cachedLoaded = Number(await storage.getAttribute('data-cached'));
  const usageText = await page.getByTestId('storage-usage').innerText();
  await snap(page, testInfo, 'models-demo-loaded');

  await page.getByTestId('model-delete-demo-mlp').click();
  await expect(page.getByTestId('model-cached-demo-mlp')).toHaveText('Not cached');
  await expect(demo).toHaveAttribute('data-status', 'idle');
  await expect.poll(async () => Number(await storage.getAttribute('data-cached'))).toBeLessThan(cachedLoaded);
  await expect(page.getByTestId('storage-usage')).not.toHaveText(usageText);
  await snap(page, testInfo, 'models-demo-deleted');
});
