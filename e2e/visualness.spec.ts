/**
 * Text Visualness as a user meets it: open the workspace, type a short text, and see per-sentence
 * bars, labels and word highlights computed in the worker with the committed TIP-CLIP model; move
 * the threshold slider and watch labels flip without a re-run; then see the inline chip in the
 * Mesh Stylize prompt field update as the prompt changes.
 */
import { expect, test } from '@playwright/test';
import { openFreshStudio, snap, windowLoc } from './helpers/studio.ts';

test.use({ viewport: { width: 1440, height: 900 }, actionTimeout: 15_000 });

test('text visualness: type → per-sentence scores, highlights, threshold; chip in another prompt field', async ({ page }, testInfo) => {
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await openFreshStudio(page);

  await page.getByTestId('dock-visualness').click();
  await expect(windowLoc(page, 'visualness')).toBeVisible();
  await page.getByTestId('titlebar-visualness').locator('.title').dblclick();
  const ws = page.getByTestId('workspace-visualness');
  const input = ws.getByTestId('visualness-input');
  await input.fill('');
  await input.pressSequentially('A red kite flies over the green hills. The meeting was postponed until next week.', { delay: 5, timeout: 90_000 });

  const rows = ws.getByTestId('visualness-sentence');
  await expect(rows).toHaveCount(2, { timeout: 90_000 });
  await expect(rows.nth(0)).toHaveAttribute('data-visual', 'true');
  await expect(rows.nth(1)).toHaveAttribute('data-visual', 'false');
  const s0 = Number(await rows.nth(0).getAttribute('data-score'));
  const s1 = Number(await rows.nth(1).getAttribute('data-score'));
  expect(s0).toBeGreaterThan(s1);

  // Word highlights: the most relevant word of the visual sentence has relevance 1 and a tinted background.
  const words = rows.nth(0).getByTestId('visualness-word');
  await expect(words.first()).toBeVisible();
  const rel = (await words.evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-relevance')))));
  expect(Math.max(...rel)).toBeCloseTo(1, 3);
  const top = words.nth(rel.indexOf(Math.max(...rel)));
  expect(await top.evaluate((e) => getComputedStyle(e).backgroundColor)).not.toBe('rgba(0, 0, 0, 0)');
  await expect(ws.getByTestId('visualness-document')).toContainText('document');
  await snap(page, testInfo, 'visualness-workspace');

  // Threshold above both scores: both rows become "not visual" without a new job.
  await ws.getByTestId('visualness-threshold').fill(String(Math.min(2, s0 + 0.01)));
  await expect(rows.nth(0)).toHaveAttribute('data-visual', 'false');
  await ws.getByTestId('visualness-threshold-reset').click();
  await expect(rows.nth(0)).toHaveAttribute('data-visual', 'true');

  // Bad input: emoji only → a message, no crash.
  await input.fill('🙂🚀');
  await expect(ws.getByTestId('visualness-message')).toContainText('no words', { timeout: 30_000 });

  // The chip in another workspace's prompt field (Mesh Stylize), updating as the prompt changes.
  await page.getByTestId('dock-xmesh').click();
  const xm = page.getByTestId('workspace-xmesh');
  const prompt = xm.getByTestId('xmesh-prompt');
  const chip = xm.getByTestId('visualness-chip');
  await prompt.fill('a vase made of red brick');
  await expect(chip).toContainText(/^visual \d/, { timeout: 60_000 });
  await expect(xm.getByTestId('visualness-chip-least')).toContainText('least:');
  await snap(page, testInfo, 'visualness-chip-xmesh');
  await prompt.fill('');
  // typed key by key (the chip must follow typing); generous timeout: the worker keeps scoring while keys arrive, and a loaded CI box is slow
  await prompt.pressSequentially('the meeting was postponed until next week', { delay: 5, timeout: 90_000 });
  await expect(chip).toContainText('not visual', { timeout: 60_000 });

  expect(pageErrors).toEqual([]);
});
