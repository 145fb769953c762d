/**
 * Playwright helpers for driving the studio like a user: open it with a clean layout, drag by
 * a delta, read window geometry, find jobs by status. Specs read as user stories on top.
 */
import { expect, type Locator, type Page, type TestInfo } from '@playwright/test';

export type Box = { x: number; y: number; width: number; height: number };

/** Open the studio with empty localStorage (so a previous run's layout cannot leak in). */
export async function openFreshStudio(page: Page, query = ''): Promise<void> {
  await page.goto(`/${query}`);
  await page.evaluate(() => localStorage.clear());
  await page.reload();
  await expect(page.getByTestId('studio')).toBeVisible();
}

export async function box(l: Locator): Promise<Box> {
  const b = await l.boundingBox();
  if (!b) throw new Error('element has no bounding box (not visible?)');
  return b;
}

/** Press on the centre of `l`, move by (dx, dy) in steps, release. */
export async function dragBy(page: Page, l: Locator, dx: number, dy: number): Promise<void> {
  const b = await box(l);
  const x = b.x + b.width / 2;
  const y = b.y + b.height / 2;
  await page.mouse.move(x, y);
  await page.mouse.down();
  await page.mouse.move(x + dx / 2, y + dy / 2, { steps: 4 });
  await page.mouse.move(x + dx, y + dy, { steps: 4 });
  await page.mouse.up();
}

export function expectBoxClose(actual: Box, expected: Box, tol = 2): void {
  for (const k of ['x', 'y', 'width', 'height'] as const) {
    expect(Math.abs(actual[k] - expected[k]), `${k}: ${actual[k]} vs ${expected[k]}`).toBeLessThanOrEqual(tol);
  }
}

export const windowLoc = (page: Page, kind: string): Locator => page.getByTestId(`window-${kind}`);

/** Ids of job rows in the Queue window with the given status, in display order. */
export async function jobIds(page: Page, status?: string): Promise<string[]> {
  const sel = status ? `li.job-row[data-status="${status}"]` : 'li.job-row';
  const ids = await page.locator(sel).evaluateAll((els) => els.map((e) => e.getAttribute('data-testid') ?? ''));
  return ids.map((t) => t.replace(/^job-/, ''));
}

/** Save a screenshot as a test artifact (test-results/<test>/<name>.png) and attach it to the report. */
export async function snap(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const path = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path });
  await testInfo.attach(name, { path, contentType: 'image/png' });
}
