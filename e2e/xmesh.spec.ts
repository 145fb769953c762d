/**
 * Mesh Stylize as a user meets it: open the workspace, pick a small sample mesh, stylize it for a
 * few iterations on WebGPU (the worker's default backend here) and watch the viewport and the loss
 * curve update; export a GLB and read it back with three's GLTFLoader (vertex colors + recipe);
 * start a second, long run, pause it (no progress while paused), resume it, and cancel it.
 * CLIP: the page's requests for models/micro-clip/* are answered with a tiny random-weight CLIP of
 * the same file layout (model.json + vision/text graphs, micro word tokenizer), generated here:
 * SwiftShader WebGPU is far too slow for the real micro-CLIP, and this spec checks the flow, not
 * the stylization quality (the benchmark does that).
 */
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { GLTFLoader } from 'three/examples/jsm/loaders/GLTFLoader.js';
import type { Group, Mesh } from 'three';
import { encodeModel } from '../models/graph/encode.ts';
import { clipTextGraph, clipVisionGraph } from '../models/zoo/clip/clipGraphs.ts';
import { microClipConfig, type ClipConfig } from '../models/zoo/clip/config.ts';
import { openFreshStudio, snap, windowLoc } from './helpers/studio.ts';

// Actions get 30 s: on a loaded 2-core box the page's main thread (SwiftShader WebGL viewport) can stall for seconds.
test.use({ viewport: { width: 1440, height: 900 }, actionTimeout: 30_000 });

function tinyClipFiles(): Record<string, Buffer> {
  // The committed vocabulary (read as a file: Playwright's loader does not take JSON imports).
  const vocab = JSON.parse(readFileSync('models/text/vocab.json', 'utf8')) as { tokens: string[] };
  const base = microClipConfig(vocab.tokens.length, vocab.tokens.indexOf('<eot>'), 32);
  const cfg: ClipConfig = {
    ...base, projectionDim: 16,
    vision: { ...base.vision, imageSize: 32, patchSize: 8, width: 16, layers: 1, heads: 2, headDim: 16 },
    text: { ...base.text, width: 16, layers: 1, heads: 2 },
  };
  const vision = Buffer.from(encodeModel(clipVisionGraph(cfg, 'e2e')));
  const text = Buffer.from(encodeModel(clipTextGraph(cfg, 'e2e')));
  const f = (name: string, b: Buffer) => ({ name, bytes: b.length, sha256: createHash('sha256').update(b).digest('hex') });
  const json = { id: 'tiny-e2e-clip', config: cfg, tokenizer: { kind: 'microworld-words', contextLength: cfg.text.contextLength, vocabSize: cfg.text.vocabSize }, files: { vision: f('vision_model.onnx', vision), text: f('text_model.onnx', text) } };
  return { 'model.json': Buffer.from(JSON.stringify(json)), 'vision_model.onnx': vision, 'text_model.onnx': text };
}

/** An octahedron subdivided twice (66 vertices) as OBJ text: small enough for SwiftShader WebGPU. */
function smallObj(): string {
  let v: number[][] = [[1, 0, 0], [-1, 0, 0], [0, 1, 0], [0, -1, 0], [0, 0, 1], [0, 0, -1]];
  let f: number[][] = [[0, 2, 4], [2, 1, 4], [1, 3, 4], [3, 0, 4], [2, 0, 5], [1, 2, 5], [3, 1, 5], [0, 3, 5]];
  for (let level = 0; level < 2; level++) {
    const mid = new Map<string, number>();
    const m = (a: number, b: number) => {
      const k = a < b ? `${a},${b}` : `${b},${a}`;
      if (!mid.has(k)) { const p = v[a].map((x, i) => (x + v[b][i]) / 2); const l = Math.hypot(...p); v = [...v, p.map((x) => x / l)]; mid.set(k, v.length - 1); }
      return mid.get(k)!;
    };
    f = f.flatMap(([a, b, c]) => { const ab = m(a, b), bc = m(b, c), ca = m(c, a); return [[a, ab, ca], [ab, b, bc], [ca, bc, c], [ab, bc, ca]]; });
  }
  return `${v.map((p) => `v ${p.join(' ')}`).join('\n')}\n${f.map((t) => `f ${t.map((i) => i + 1).join(' ')}`).join('\n')}\n`;
}

test('mesh stylize: run on WebGPU, live viewport + loss, export GLB, pause/resume and cancel a second run', async ({ page }, testInfo) => {
  // SwiftShader WebGPU compiles and runs every kernel on the CPU: a few iterations take minutes.
  test.setTimeout(540_000);
  const files = tinyClipFiles();
  await page.route('**/models/micro-clip/*', (route) => {
    const name = new URL(route.request().url()).pathname.split('/').pop() ?? '';
    const body = files[name];
    return body ? route.fulfill({ status: 200, body, contentType: name.endsWith('.json') ? 'application/json' : 'application/octet-stream' }) : route.fulfill({ status: 404 });
  });
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await openFreshStudio(page);
  await expect(page.getByTestId('status-backend')).toHaveAttribute('data-backend', 'webgpu', { timeout: 60_000 });

  await page.getByTestId('dock-xmesh').click();
  await expect(windowLoc(page, 'xmesh')).toBeVisible();
  // Maximize for a readable screenshot.
  await page.getByTestId('titlebar-xmesh').locator('.title').dblclick();
  const ws = page.getByTestId('workspace-xmesh');
  await ws.getByTestId('xmesh-sample').selectOption('pyramid');
  await expect(ws.getByTestId('xmesh-meshinfo')).toContainText('901 vertices');
  // A file of the user's own (the picker's file input), small enough for SwiftShader.
  await ws.getByTestId('xmesh-file').setInputFiles({ name: 'ball.obj', mimeType: 'text/plain', buffer: Buffer.from(smallObj()) });
  await expect(ws.getByTestId('xmesh-meshinfo')).toContainText('66 vertices');
  await ws.getByTestId('xmesh-prompt').fill('a sphere made of red brick');
  await ws.getByTestId('xmesh-steps').fill('3');
  await ws.getByTestId('xmesh-views-n').fill('1');
  await expect(ws.getByTestId('xmesh-viewport')).toHaveAttribute('data-state', 'before');

  await test.step('stylize a few iterations: viewport and loss update', async () => {
    await ws.getByTestId('xmesh-run').click();
    await expect(ws.getByTestId('xmesh-status')).toHaveAttribute('data-run', 'running', { timeout: 120_000 });
    await expect(ws.getByTestId('xmesh-viewport')).toHaveAttribute('data-state', /^it \d+$/, { timeout: 120_000 });
    await expect(ws.getByTestId('xmesh-status')).toHaveAttribute('data-run', 'done', { timeout: 240_000 });
    await expect(ws.getByTestId('xmesh-loss')).toHaveAttribute('data-points', '3');
    await expect(ws.getByTestId('xmesh-viewport')).toHaveAttribute('data-state', 'it 3');
    await expect(ws.getByTestId('xmesh-views')).not.toHaveAttribute('data-step', '');
    await snap(page, testInfo, 'xmesh-done');
  });

  await test.step('before/after toggle', async () => {
    await ws.getByTestId('xmesh-before').click();
    await expect(ws.getByTestId('xmesh-viewport')).toHaveAttribute('data-state', 'before');
    await ws.getByTestId('xmesh-before').click();
    await expect(ws.getByTestId('xmesh-viewport')).toHaveAttribute('data-state', 'it 3');
  });

  await test.step('export GLB: GLTFLoader reads it back with vertex colors and the recipe', async () => {
    const [dl] = await Promise.all([page.waitForEvent('download'), ws.getByTestId('xmesh-export-glb').click()]);
    expect(dl.suggestedFilename()).toMatch(/\.glb$/);
    const bytes = readFileSync((await dl.path())!);
    const gltf = await new Promise<{ scene: Group }>((res, rej) => new GLTFLoader().parse(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer, '', res, rej));
    let mesh: Mesh | undefined;
    gltf.scene.traverse((o) => { if ((o as Mesh).isMesh) mesh = o as Mesh; });
    expect(mesh).toBeDefined();
    const colors = mesh!.geometry.getAttribute('color');
    expect(colors.count).toBe(mesh!.geometry.getAttribute('position').count);
    expect(colors.count).toBe(66);
    // fieldState: the style field's weights and Adam state stayed in WebGPU buffers between steps.
    expect(gltf.scene.userData.recipe).toMatchObject({ pipeline: 'xmesh', prompt: 'a sphere made of red brick', mesh: 'ball.obj', backend: 'webgpu', fieldState: 'gpu-buffer', params: { steps: 3, views: 1 } });
  });

  await test.step('a second, long run pauses (no progress while paused), resumes with Alt+P, and is canceled', async () => {
    await ws.getByTestId('xmesh-steps').fill('500');
    await ws.getByTestId('xmesh-run').click();
    await expect(ws.getByTestId('xmesh-status')).toHaveAttribute('data-run', 'running', { timeout: 120_000 });
    await expect(ws.getByTestId('xmesh-loss')).not.toHaveAttribute('data-points', '0', { timeout: 120_000 });
    await ws.getByTestId('xmesh-pause').click();
    await expect(ws.getByTestId('xmesh-status')).toHaveAttribute('data-run', 'paused', { timeout: 60_000 });
    await expect(ws.getByTestId('xmesh-pause')).toHaveText('Resume');
    const heldText = await ws.getByTestId('xmesh-status').textContent();
    const heldPoints = await ws.getByTestId('xmesh-loss').getAttribute('data-points');
    expect(heldText).toMatch(/^Paused \d+\/500$/);
    // The Queue window says so too (the job's phase).
    await page.keyboard.press('Alt+Q');
    await expect(page.locator('[data-testid^="job-detail-"]', { hasText: /paused at iteration \d+\/500/ })).toBeVisible();
    await snap(page, testInfo, 'xmesh-paused');
    await page.keyboard.press('Alt+W'); // close the (focused) Queue window again
    await expect(windowLoc(page, 'queue')).toBeHidden();
    // Several iterations' worth of time (an iteration of this run takes well under 2 s here).
    await page.waitForTimeout(6_000);
    await expect(ws.getByTestId('xmesh-status')).toHaveText(heldText!);
    await expect(ws.getByTestId('xmesh-loss')).toHaveAttribute('data-points', heldPoints!);
    await page.keyboard.press('Alt+P');
    await expect(ws.getByTestId('xmesh-status')).toHaveAttribute('data-run', 'running', { timeout: 60_000 });
    await expect(ws.getByTestId('xmesh-loss')).not.toHaveAttribute('data-points', heldPoints!, { timeout: 60_000 });
    await ws.getByTestId('xmesh-cancel').click();
    await expect(ws.getByTestId('xmesh-status')).toHaveAttribute('data-run', 'canceled', { timeout: 60_000 });
    await expect(ws.getByTestId('xmesh-run')).toBeEnabled();
  });
  expect(pageErrors).toEqual([]);
});
