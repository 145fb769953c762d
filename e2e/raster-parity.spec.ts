/**
 * WGSL renderer parity: the WebGPU rasterizer, deferred shading, shading backward and the
 * augmentation kernels run in Chromium (SwiftShader WebGPU) and are compared with the CPU
 * reference (shaders/raster, shaders/render, shaders/augment) computed here in Node.
 *
 * The GPU modules are bundled with esbuild (WGSL imported as text) and injected into a blank
 * page served from the test origin (WebGPU needs a secure context: http://127.0.0.1).
 *
 * Tolerances (f32 on the GPU vs float64 arithmetic on f32 inputs on the CPU):
 * - triangle id: ≤ 0.5% of pixels may differ (pixel centers within ~1e-5 px of an edge, or
 *   depth near-ties where two surfaces intersect);
 * - barycentrics and shaded values where the ids agree: ≤ 1e-3;
 * - backward, compared with the CPU adjoint evaluated on the GPU's own visibility buffer:
 *   ≤ 1e-4 × max |gradient| (fixed-point i32 accumulation, heavy-tailed upstream gradients);
 * - augmentation forward ≤ 1e-4, adjoint ≤ 1e-3 × max |gradient|.
 */
import { expect, test, type Page } from '@playwright/test';
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, resolve } from 'node:path';
import { renderViews, renderViewsBackward, type RenderMesh, type ViewSpec } from '../shaders/render/renderViews.ts';
import { sphereMesh } from '../shaders/render/sphereMesh.ts';
import { augment, augmentBackward, type AugmentSpec } from '../shaders/augment/augment.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

async function gpuBundle(): Promise<string> {
  const out = await build({
    stdin: {
      contents: "export { GpuRenderer } from './shaders/render/GpuRenderer.ts'; export { GpuAugment } from './shaders/augment/augmentGpu.ts';",
      resolveDir: ROOT,
      loader: 'ts',
    },
    bundle: true,
    format: 'iife',
    globalName: '__rasterParity',
    write: false,
    target: 'es2022',
    plugins: [{
      name: 'wgsl-raw',
      setup(b) {
        b.onResolve({ filter: /\.wgsl\?raw$/ }, (a) => ({ path: resolve(a.resolveDir, a.path.replace(/\?raw$/, '')), namespace: 'wgsl' }));
        b.onLoad({ filter: /.*/, namespace: 'wgsl' }, (a) => ({ contents: readFileSync(a.path, 'utf8'), loader: 'text' }));
      },
    }],
  });
  return out.outputFiles[0].text;
}

/** Two intersecting bumpy spheres: occlusion and depth ties along the intersection curve. */
function testMesh(): RenderMesh {
  const a = sphereMesh(10, 14, 0.12, 0.6);
  const b = sphereMesh(8, 12, 0.1, 0.45);
  const nA = a.positions.length / 3;
  const bp = b.positions.map((v, i) => v + [0.45, 0.2, 0.3][i % 3]);
  return {
    positions: Float32Array.from([...a.positions, ...bp]),
    indices: Uint32Array.from([...a.indices, ...Array.from(b.indices, (i) => i + nA)]),
    colors: Float32Array.from([...a.colors, ...b.colors.map((c) => 1 - c)]),
  };
}

interface GpuRun {
  images: number[];
  triangle: number[];
  bary: number[];
  dColors: number[];
  dPositions: number[];
  augOut: number[];
  augGrad: number[];
  ms: { render: number; backward: number };
}

async function openGpuPage(page: Page): Promise<void> {
  await page.route('**/__raster-parity', (r) => r.fulfill({ contentType: 'text/html', body: '<!doctype html><title>raster parity</title>' }));
  await page.goto('/__raster-parity');
  await page.addScriptTag({ content: await gpuBundle() });
  const hasGpu = await page.evaluate(async () => !!(await navigator.gpu?.requestAdapter()));
  expect(hasGpu, 'WebGPU adapter (SwiftShader) available').toBe(true);
}

/** `gpuInputs`: hand positions/colors/dImages over as GPUBuffers (the pipeline's path) instead of arrays. */
function runOnGpu(page: Page, mesh: RenderMesh, views: ViewSpec[], size: number, dImages: Float32Array, aug: { spec: AugmentSpec; outSize: number; dOut: Float32Array }, repeats = 1, gpuInputs = false): Promise<GpuRun> {
  const arg = {
    positions: Array.from(mesh.positions), indices: Array.from(mesh.indices), colors: Array.from(mesh.colors),
    views, size, dImages: Array.from(dImages), aug: { spec: aug.spec, outSize: aug.outSize, dOut: Array.from(aug.dOut) }, repeats, gpuInputs,
  };
  return page.evaluate(async (a) => {
    type Mod = typeof import('../shaders/render/GpuRenderer.ts') & typeof import('../shaders/augment/augmentGpu.ts');
    const m = (window as unknown as { __rasterParity: Mod }).__rasterParity;
    const adapter = await navigator.gpu.requestAdapter();
    const device = await adapter!.requestDevice();
    const errors: string[] = [];
    device.addEventListener('uncapturederror', (e) => errors.push((e as GPUUncapturedErrorEvent).error.message));
    const indices = Uint32Array.from(a.indices);
    const r = new m.GpuRenderer(device, { indices, vertexCount: a.positions.length / 3 }, { size: a.size, maxViews: a.views.length });
    const aug = new m.GpuAugment(device);
    try {
      const onDevice = (data: Float32Array): GPUBuffer => {
        const b = device.createBuffer({ size: data.byteLength, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST });
        device.queue.writeBuffer(b, 0, data.buffer, data.byteOffset, data.byteLength);
        return b;
      };
      const arrays = [Float32Array.from(a.positions), Float32Array.from(a.colors), Float32Array.from(a.dImages)];
      const [pos, col, dI] = a.gpuInputs ? arrays.map(onDevice) : arrays;
      let tRender = 0;
      let tBackward = 0;
      // Iteration 0 compiles the pipelines; with repeats > 1 only the later ones are timed.
      const timed = Math.max(1, a.repeats - 1);
      for (let k = 0; k < a.repeats; k++) {
        const t0 = performance.now();
        r.render(pos, col, a.views);
        await device.queue.onSubmittedWorkDone();
        const t1 = performance.now();
        r.backward(dI);
        await device.queue.onSubmittedWorkDone();
        if (a.repeats === 1 || k > 0) {
          tRender += t1 - t0;
          tBackward += performance.now() - t1;
        }
      }
      const images = await r.readImages();
      const vis = await r.readVisibility();
      const grads = await r.readGradients();
      const n = a.views.length;
      const augOutBuf = aug.forward(r.render(pos, col, a.views), n, a.size, a.aug.outSize, a.aug.spec);
      const augOut = await (async () => {
        const staging = device.createBuffer({ size: n * 3 * a.aug.outSize ** 2 * 4, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
        const enc = device.createCommandEncoder();
        enc.copyBufferToBuffer(augOutBuf, 0, staging, 0, staging.size);
        device.queue.submit([enc.finish()]);
        await staging.mapAsync(GPUMapMode.READ);
        return Array.from(new Float32Array(staging.getMappedRange().slice(0)));
      })();
      const dOutBuf = device.createBuffer({ size: a.aug.dOut.length * 4, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST });
      device.queue.writeBuffer(dOutBuf, 0, Float32Array.from(a.aug.dOut));
      const gBuf = aug.backward(dOutBuf, n, a.size, a.aug.outSize, a.aug.spec);
      const staging = device.createBuffer({ size: n * 3 * a.size ** 2 * 4, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
      const enc = device.createCommandEncoder();
      enc.copyBufferToBuffer(gBuf, 0, staging, 0, staging.size);
      device.queue.submit([enc.finish()]);
      await staging.mapAsync(GPUMapMode.READ);
      const augGrad = Array.from(new Float32Array(staging.getMappedRange().slice(0)));
      if (errors.length) throw new Error(`WebGPU errors: ${errors.join(' | ')}`);
      return {
        images: Array.from(images), triangle: Array.from(vis.triangle), bary: Array.from(vis.bary),
        dColors: Array.from(grads.dColors), dPositions: Array.from(grads.dPositions), augOut, augGrad,
        ms: { render: tRender / timed, backward: tBackward / timed },
      };
    } finally {
      r.dispose();
      aug.dispose();
      device.destroy();
    }
  }, arg);
}

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

const maxAbs = (a: ArrayLike<number>): number => Array.from(a).reduce((m, v) => Math.max(m, Math.abs(v)), 0);

test('WGSL rasterizer, shading, shading backward and augment match the CPU reference', async ({ page }) => {
  const mesh = testMesh();
  const size = 48;
  const views: ViewSpec[] = [
    { azimuth: 0, elevation: 0, radius: 2, fov: Math.PI / 3 },
    { azimuth: 0.9, elevation: 0.5, radius: 2, fov: Math.PI / 3 },
    { azimuth: -2.2, elevation: -0.6, radius: 2.5, fov: Math.PI / 4 },
  ];
  const rand = lcg(21);
  // Heavy-tailed, like CLIP input gradients: a few pixels dominate max |g|, which sets the
  // fixed-point scale, while most carry values 10-1000× smaller.
  const dImages = new Float32Array(views.length * 3 * size * size).map(() => (rand() * 2 - 1) * Math.exp(-7 * rand()));
  const outSize = 40;
  const spec: AugmentSpec = { crop: { x0: 5, y0: 3, w: 30, h: 36 }, perspective: { corners: [[4, 2], [36, 6], [39, 35], [1, 37]] }, fill: 1 };
  const dOut = new Float32Array(views.length * 3 * outSize * outSize).map(() => rand() * 2 - 1);

  await openGpuPage(page);
  const gpu = await runOnGpu(page, mesh, views, size, dImages, { spec, outSize, dOut });
  const cpu = renderViews(mesh, views, size);

  // Visibility: triangle ids per pixel, barycentrics where they agree.
  const plane = size * size;
  let idDiff = 0;
  let covered = 0;
  let baryErr = 0;
  cpu.passes.forEach((p, v) => {
    for (let q = 0; q < plane; q++) {
      const i = v * plane + q;
      const t = p.vis.triangle[q];
      if (t >= 0) covered++;
      if (gpu.triangle[i] !== t) { idDiff++; continue; }
      if (t < 0) continue;
      baryErr = Math.max(baryErr, Math.abs(gpu.bary[i * 2] - p.vis.bary[q * 2]), Math.abs(gpu.bary[i * 2 + 1] - p.vis.bary[q * 2 + 1]));
    }
  });
  const total = views.length * plane;
  console.log(`raster parity: ${idDiff}/${total} ids differ (${((100 * idDiff) / total).toFixed(3)}%), ${covered} covered, max bary err ${baryErr.toExponential(2)}`);
  expect(covered).toBeGreaterThan(total * 0.2);
  expect(idDiff / total).toBeLessThanOrEqual(0.005);
  expect(baryErr).toBeLessThan(1e-3);

  // Shading on identical visibility: the CPU shader fed the GPU's visibility buffer.
  const gpuVis = cpu.passes.map((p, v) => ({
    ...p.vis,
    triangle: Int32Array.from(gpu.triangle.slice(v * plane, (v + 1) * plane)),
    bary: Float32Array.from(gpu.bary.slice(v * plane * 2, (v + 1) * plane * 2)),
  }));
  const onGpuVis = renderViews(mesh, views, size, { visibility: gpuVis });
  const shadeErr = maxAbs(onGpuVis.images.map((v, i) => v - gpu.images[i]));
  let pixDiff = 0;
  for (let i = 0; i < cpu.images.length; i++) if (Math.abs(cpu.images[i] - gpu.images[i]) > 1e-3) pixDiff++;
  console.log(`shading parity: max err ${shadeErr.toExponential(2)} on GPU visibility; ${pixDiff}/${cpu.images.length} values differ > 1e-3 end to end`);
  expect(shadeErr).toBeLessThan(1e-3);
  expect(pixDiff / cpu.images.length).toBeLessThanOrEqual(0.005);

  // Backward on the same visibility.
  const ref = renderViewsBackward(mesh, onGpuVis, dImages);
  const cErr = maxAbs(ref.dColors.map((v, i) => v - gpu.dColors[i]));
  const pErr = maxAbs(ref.dPositions.map((v, i) => v - gpu.dPositions[i]));
  console.log(`backward parity: dColors max err ${cErr.toExponential(2)} (max ${maxAbs(ref.dColors).toFixed(3)}), dPositions max err ${pErr.toExponential(2)} (max ${maxAbs(ref.dPositions).toFixed(3)})`);
  expect(maxAbs(ref.dColors)).toBeGreaterThan(0.02);
  expect(maxAbs(ref.dPositions)).toBeGreaterThan(0.02);
  expect(cErr).toBeLessThan(1e-4 * maxAbs(ref.dColors));
  expect(pErr).toBeLessThan(1e-4 * maxAbs(ref.dPositions));

  // Augmentation forward on the GPU's own render, and its adjoint.
  const augRef = augment(Float32Array.from(gpu.images), views.length, size, outSize, spec);
  const augErr = maxAbs(augRef.map((v, i) => v - gpu.augOut[i]));
  const gRef = augmentBackward(dOut, views.length, size, outSize, spec);
  const gErr = maxAbs(gRef.map((v, i) => v - gpu.augGrad[i]));
  console.log(`augment parity: forward max err ${augErr.toExponential(2)}, adjoint max err ${gErr.toExponential(2)} (max ${maxAbs(gRef).toFixed(3)})`);
  expect(augErr).toBeLessThan(1e-4);
  expect(maxAbs(gRef)).toBeGreaterThan(0.5);
  expect(gErr).toBeLessThan(1e-3 * maxAbs(gRef));
});

test('10k-vertex mesh, 5 views × 64²: GPU-buffer inputs, visibility parity and timing (SwiftShader, indicative)', async ({ page }) => {
  const mesh = sphereMesh(71, 142, 0.1); // 9942 vertices, 19880 faces
  const size = 64;
  const views: ViewSpec[] = [0, 1, 2, 3, 4].map((i) => ({ azimuth: i * 1.25, elevation: 0.35 * (i - 2), radius: 2, fov: Math.PI / 3 }));
  const rand = lcg(5);
  const dImages = new Float32Array(views.length * 3 * size * size).map(() => rand() * 2 - 1);
  const spec: AugmentSpec = { perspective: { corners: [[3, 5], [60, 1], [62, 58], [6, 63]] }, fill: 1 };
  const dOut = new Float32Array(views.length * 3 * size * size).map(() => rand() * 2 - 1);

  await openGpuPage(page);
  const gpu = await runOnGpu(page, mesh, views, size, dImages, { spec, outSize: size, dOut }, 4, true);
  renderViewsBackward(mesh, renderViews(mesh, views, size), dImages); // warm the CPU path's JIT
  const t0 = performance.now();
  const cpu = renderViews(mesh, views, size);
  const t1 = performance.now();
  const ref = renderViewsBackward(mesh, cpu, dImages);
  const t2 = performance.now();
  const plane = size * size;
  let idDiff = 0;
  cpu.passes.forEach((p, v) => p.vis.triangle.forEach((t, q) => { if (gpu.triangle[v * plane + q] !== t) idDiff++; }));
  console.log(`10k mesh: ${idDiff}/${views.length * plane} ids differ; WGSL (SwiftShader) render ${gpu.ms.render.toFixed(1)} ms + backward ${gpu.ms.backward.toFixed(1)} ms; CPU render ${(t1 - t0).toFixed(1)} ms + backward ${(t2 - t1).toFixed(1)} ms`);
  expect(idDiff / (views.length * plane)).toBeLessThanOrEqual(0.005);
  // Gradients end to end (visibility may differ on a few edge pixels): same direction, same scale.
  const cos = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
    let ab = 0, aa = 0, bb = 0;
    for (let i = 0; i < a.length; i++) { ab += a[i] * b[i]; aa += a[i] * a[i]; bb += b[i] * b[i]; }
    return ab / Math.sqrt(aa * bb);
  };
  expect(cos(gpu.dColors, ref.dColors)).toBeGreaterThan(0.99);
  expect(cos(gpu.dPositions, ref.dPositions)).toBeGreaterThan(0.99);
  const augErr = maxAbs(augment(Float32Array.from(gpu.images), views.length, size, size, spec).map((v, i) => v - gpu.augOut[i]));
  expect(augErr).toBeLessThan(1e-4);
});

test('edge cases: camera inside the mesh (no near clipping, huge triangles) and a grazing view', async ({ page }) => {
  const mesh = testMesh();
  const size = 32;
  const views: ViewSpec[] = [
    { azimuth: 0.3, elevation: 0.1, radius: 0.75, fov: Math.PI / 3 }, // inside the larger sphere's bumps
    { azimuth: 0.45, elevation: 0.2, radius: 1.05, fov: Math.PI / 2 }, // near the surface: vertices close to z = 0
  ];
  const rand = lcg(9);
  const dImages = new Float32Array(views.length * 3 * size * size).map(() => rand() * 2 - 1);
  const dOut = new Float32Array(views.length * 3 * size * size).map(() => rand() * 2 - 1);
  await openGpuPage(page);
  const gpu = await runOnGpu(page, mesh, views, size, dImages, { spec: { fill: 0.5 }, outSize: size, dOut });
  const cpu = renderViews(mesh, views, size);
  const plane = size * size;
  let idDiff = 0;
  let covered = 0;
  cpu.passes.forEach((p, v) => p.vis.triangle.forEach((t, q) => {
    if (t >= 0) covered++;
    if (gpu.triangle[v * plane + q] !== t) idDiff++;
  }));
  console.log(`edge cases: ${idDiff}/${views.length * plane} ids differ, ${covered} covered`);
  expect(covered).toBeGreaterThan(plane * 0.3);
  expect(idDiff / (views.length * plane)).toBeLessThanOrEqual(0.005);
  // Identity augment (no crop, no warp) must return the render unchanged, and its adjoint the gradient.
  expect(maxAbs(gpu.augOut.map((v, i) => v - gpu.images[i]))).toBe(0);
  expect(maxAbs(gpu.augGrad.map((v, i) => v - dOut[i]))).toBeLessThan(1e-6);
});
