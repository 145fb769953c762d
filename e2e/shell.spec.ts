/**
 * The studio shell as a user meets it: every workspace from the dock; a window moved, resized,
 * minimized, maximized and closed; the palette; the demo job run to completion next to a
 * second job canceled while queued; queued jobs reordered; the layout restored after a reload.
 * Screenshots of each stage are saved as artifacts; ATELIER_README_SHOT=1 also refreshes
 * docs/screenshot.png (the README picture).
 */
import { existsSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { emptyLayout, LAYOUT_VERSION, openWindow, setWindowRect } from '../app/state/layout.ts';
import { LAYOUT_STORAGE_KEY } from '../app/state/layoutStore.ts';
import type { WindowKind } from '../app/state/windowKinds.ts';
import { box, dragBy, expectBoxClose, jobIds, openFreshStudio, snap, windowLoc } from './helpers/studio.ts';

const WORKSPACES = ['xmesh', 'image-edit', 'storyboard', 'visualness', 'caption'];

test.use({ viewport: { width: 1440, height: 900 }, actionTimeout: 15_000 });

test('studio shell: windows, dock, palette, queue outcomes, persisted layout', async ({ page }, testInfo) => {
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await openFreshStudio(page);
  await expect(page.getByTestId('desktop-empty')).toBeVisible();

  // Status bar: the probe's adapter when WebGPU is used, otherwise the fallback reason.
  await expect(page.getByTestId('status-backend')).toBeVisible({ timeout: 60_000 });
  const backend = await page.getByTestId('status-backend').getAttribute('data-backend');
  if (backend === 'webgpu') {
    await expect(page.getByTestId('status-adapter')).not.toHaveText(/none$/);
    await expect(page.getByTestId('status-f16')).toHaveText(/f16\s*(yes|no)/);
  } else {
    await expect(page.getByTestId('status-fallback')).not.toBeEmpty();
  }

  await test.step('launch every workspace from the dock', async () => {
    for (const kind of WORKSPACES) {
      await page.getByTestId(`dock-${kind}`).click();
      await expect(windowLoc(page, kind)).toBeVisible();
      await expect(page.getByTestId(`workspace-${kind}`)).toBeVisible();
      await expect(windowLoc(page, kind)).toHaveAttribute('data-focused', 'true');
    }
    await snap(page, testInfo, '01-workspaces');
  });

  await test.step('move, resize, minimize, maximize, close', async () => {
    const win = windowLoc(page, 'caption');
    const b0 = await box(win);
    await dragBy(page, page.getByTestId('titlebar-caption').locator('.title'), -140, 60);
    const b1 = await box(win);
    expectBoxClose(b1, { ...b0, x: b0.x - 140, y: b0.y + 60 });

    await dragBy(page, page.getByTestId('resize-se-caption'), 90, 40);
    const b2 = await box(win);
    expectBoxClose(b2, { ...b1, width: b1.width + 90, height: b1.height + 40 });

    // Clicking a window lower in the stack raises it.
    await page.getByTestId('titlebar-xmesh').locator('.title').click();
    await expect(windowLoc(page, 'xmesh')).toHaveAttribute('data-focused', 'true');
    await expect(win).toHaveAttribute('data-focused', 'false');

    // The dock raises a window that is behind others (its title bar is covered now).
    await page.getByTestId('dock-caption').click();
    await expect(win).toHaveAttribute('data-focused', 'true');
    await page.getByTestId('win-min-caption').click();
    await expect(win).toBeHidden();
    await expect(windowLoc(page, 'xmesh')).toHaveAttribute('data-focused', 'true');
    await page.getByTestId('dock-caption').click();
    await expect(win).toBeVisible();
    expectBoxClose(await box(win), b2);

    await page.getByTestId('win-max-caption').click();
    await expect(win).toHaveAttribute('data-maximized', 'true');
    expectBoxClose(await box(win), await box(page.getByTestId('desktop')));
    await snap(page, testInfo, '02-maximized');
    await page.getByTestId('titlebar-caption').dblclick();
    await expect(win).toHaveAttribute('data-maximized', 'false');
    expectBoxClose(await box(win), b2);
    // Dragging the title bar of a maximized window restores its size and moves it.
    await page.getByTestId('win-max-caption').click();
    await dragBy(page, page.getByTestId('titlebar-caption').locator('.title'), 200, 120);
    await expect(win).toHaveAttribute('data-maximized', 'false');
    const b3 = await box(win);
    expect([Math.round(b3.width), Math.round(b3.height)]).toEqual([Math.round(b2.width), Math.round(b2.height)]);
    await page.getByTestId('win-max-caption').click();
    await page.getByTestId('win-max-caption').click();
    expectBoxClose(await box(win), b3);

    await page.getByTestId('win-close-caption').click();
    await expect(win).toHaveCount(0);
    // Keyboard: Alt+W closes whichever window has focus.
    const focusedId = await page.locator('.window[data-focused="true"]').getAttribute('data-testid');
    expect(focusedId).toBeTruthy();
    await page.keyboard.press('Alt+w');
    await expect(page.getByTestId(focusedId!)).toHaveCount(0);
  });

  await test.step('menu bar runs commands from the same registry, by mouse and keyboard', async () => {
    await page.getByTestId('menu-Window').click();
    await expect(page.getByTestId('menuitem-window.close')).toBeVisible();
    await page.getByTestId('menuitem-window.open.models').click();
    await expect(page.getByTestId('menu-dropdown-Window')).toBeHidden();
    await expect(windowLoc(page, 'models')).toHaveAttribute('data-focused', 'true');
    // Keyboard: the first item has focus; Right switches menus; Enter runs; Esc closes.
    await page.getByTestId('menu-Studio').click();
    await page.keyboard.press('ArrowRight');
    await expect(page.getByTestId('menu-dropdown-Window')).toBeVisible();
    await expect(page.getByTestId('menuitem-window.open.xmesh')).toBeFocused();
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('menu-dropdown-Window')).toBeHidden();
    await page.keyboard.press('Alt+w');
    await expect(windowLoc(page, 'models')).toHaveCount(0);
  });

  await test.step('command palette (Ctrl+K) runs a command; Shift+? shows the shortcuts', async () => {
    await page.keyboard.press('Control+k');
    await expect(page.getByTestId('palette')).toBeVisible();
    // Typing '?' in the palette types it; it does not open the cheat sheet.
    await page.keyboard.type('?');
    await expect(page.getByTestId('palette-input')).toHaveValue('?');
    await expect(page.getByTestId('cheatsheet')).toHaveCount(0);
    await page.getByTestId('palette-input').fill('open queue');
    await snap(page, testInfo, '03-palette');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('palette')).toBeHidden();
    await expect(windowLoc(page, 'queue')).toHaveAttribute('data-focused', 'true');

    await page.keyboard.press('Shift+?');
    await expect(page.getByTestId('cheatsheet')).toContainText('Command Palette');
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('cheatsheet')).toBeHidden();
  });

  await test.step('demo job runs to done; a second one is canceled while queued', async () => {
    await page.keyboard.press('F3');
    await page.getByTestId('palette-input').fill('run demo');
    await page.keyboard.press('Enter');
    await expect(page.locator('li.job-row')).toHaveCount(1);

    await page.getByTestId('queue-run-demo').click();
    await expect(page.locator('li.job-row')).toHaveCount(2);
    const [queued] = await jobIds(page, 'queued');
    expect(queued).toBeTruthy();
    await page.getByTestId(`job-cancel-${queued}`).click();
    await expect(page.getByTestId(`job-${queued}`)).toHaveAttribute('data-status', 'canceled');
    await expect(page.getByTestId(`job-status-${queued}`)).toHaveText('Canceled');

    const [first] = (await jobIds(page)).filter((id) => id !== queued);
    // Progress is visible while it runs: k/40 in the row and in the status bar.
    await expect(page.getByTestId(`job-steps-${first}`)).toHaveText(/^\d+\/40$/, { timeout: 60_000 });
    await expect(page.getByTestId(`job-${first}`)).toHaveAttribute('data-status', 'done', { timeout: 120_000 });
    await expect(page.getByTestId(`job-status-${first}`)).toHaveText('Done');
    // A toast reports the finished job (the canceled one stays quiet: the user did that).
    await expect(page.getByTestId('toast').filter({ hasText: 'Demo job finished' })).toHaveCount(1);
    await expect(page.getByTestId('toast')).toHaveCount(1);
    await expect(page.getByTestId(`job-steps-${first}`)).toHaveText('40/40');
    await expect(page.getByTestId('status-job')).toHaveText(/Idle/);
    await snap(page, testInfo, '04-queue-outcomes');
  });

  await test.step('reorder: a queued job moved up runs first', async () => {
    await page.getByTestId('queue-clear').click();
    await expect(page.locator('li.job-row')).toHaveCount(0);
    for (let i = 0; i < 3; i++) await page.getByTestId('queue-run-demo').click();
    await expect(page.locator('li.job-row[data-status="queued"]')).toHaveCount(2);
    const [b, c] = await jobIds(page, 'queued');
    await expect(page.getByTestId(`job-up-${b}`)).toBeDisabled();
    await page.getByTestId(`job-up-${c}`).click();
    await expect.poll(() => jobIds(page, 'queued')).toEqual([c, b]);
    await expect(page.locator('li.job-row[data-status="done"]')).toHaveCount(3, { timeout: 120_000 });
    const started = await page.evaluate(() => Object.fromEntries(window.__atelier!.client.jobs().map((j) => [j.id, j.startedAt ?? 0])));
    expect(started[c]).toBeLessThan(started[b]);
  });

  await test.step('layout persists across reload', async () => {
    await page.getByTestId('dock-models').click();
    await page.getByTestId('dock-storyboard').click();
    await page.getByTestId('win-min-storyboard').click();
    await page.getByTestId('dock-queue').click();
    const visible = await page.locator('.window:not(.minimized)').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')!));
    expect(visible.length).toBeGreaterThanOrEqual(3);
    const before = Object.fromEntries(await Promise.all(visible.map(async (t) => [t, await box(page.getByTestId(t))] as const)));
    const zBefore = await page.locator('.window').evaluateAll((els) => els.map((e) => `${e.getAttribute('data-testid')}:${(e as HTMLElement).style.zIndex}`));
    await snap(page, testInfo, '05-before-reload');

    await page.reload();
    await expect(page.getByTestId('studio')).toBeVisible();
    for (const t of visible) expectBoxClose(await box(page.getByTestId(t)), before[t], 1);
    await expect(windowLoc(page, 'storyboard')).toHaveAttribute('data-minimized', 'true');
    await expect(windowLoc(page, 'storyboard')).toBeHidden();
    await expect(windowLoc(page, 'queue')).toHaveAttribute('data-focused', 'true');
    await expect(windowLoc(page, 'caption')).toHaveCount(0);
    const zAfter = await page.locator('.window').evaluateAll((els) => els.map((e) => `${e.getAttribute('data-testid')}:${(e as HTMLElement).style.zIndex}`));
    expect(zAfter).toEqual(zBefore);
  });

  await test.step('README screenshot', async () => {
    // A tidy, deterministic arrangement written as a saved layout: a workspace on the left,
    // Queue and Models on the right. This also exercises loading a layout from storage.
    const d = await box(page.getByTestId('desktop'));
    let l = emptyLayout();
    const place = (kind: WindowKind, x: number, y: number, w: number, h: number) => {
      l = setWindowRect(openWindow(l, kind, { w: d.width, h: d.height }), kind, { x, y, w, h }, { w: d.width, h: d.height });
    };
    place('image-edit', 28, 28, 640, 470);
    place('models', d.width - 700, d.height - 316, 660, 296);
    place('queue', d.width - 770, 24, 560, 420);
    await page.evaluate(([key, value]) => localStorage.setItem(key, value), [LAYOUT_STORAGE_KEY, JSON.stringify({ state: { layout: l }, version: LAYOUT_VERSION })] as const);
    await page.reload();
    await expect(windowLoc(page, 'queue')).toHaveAttribute('data-focused', 'true');

    for (let i = 0; i < 3; i++) await page.getByTestId('queue-run-demo').click();
    await expect(page.locator('li.job-row[data-status="queued"]')).toHaveCount(2);
    const [, third] = await jobIds(page, 'queued');
    await page.getByTestId(`job-cancel-${third}`).click();
    await expect(page.locator('li.job-row[data-status="done"]')).toHaveCount(1, { timeout: 120_000 });
    await expect(page.locator('li.job-row[data-status="running"] [data-testid^="job-steps-"]')).toHaveText(/^([5-9]|1\d|2[0-5])\/40$/, { timeout: 60_000 });
    // The status bar mirrors the running job: k/n and ETA.
    await expect(page.getByTestId('status-job')).toHaveAttribute('data-status', 'running');
    await expect(page.getByTestId('status-job')).toContainText(/\d+\/40/);
    await expect(page.getByTestId('status-job')).toContainText('ETA');
    await page.mouse.move(d.x + 300, d.y + d.height - 60);
    await snap(page, testInfo, '06-readme');
    // The README's picture: refreshed on request (or when missing), so `npm test` leaves the tree clean.
    if (process.env.ATELIER_README_SHOT || !existsSync('docs/screenshot.png')) await page.screenshot({ path: 'docs/screenshot.png' });
    // Esc asks before stopping the running job; Enter confirms.
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('confirm-cancel')).toBeVisible();
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('confirm-cancel')).toBeHidden();
    await expect(page.locator('li.job-row[data-status="canceled"]')).toHaveCount(2);
  });

  expect(pageErrors).toEqual([]);
});
