/**
 * Antialiased rendering of a 2D scene graph, with per-object visible masks and boxes.
 * Each pixel is supersampled on a k×k grid; a sample takes the color of the topmost object that
 * covers it (or the background), and each object's mask is the fraction of samples it owns —
 * so masks, occlusion and pixels come from the same decision and agree exactly.
 */
import { paintBackground } from './backgrounds.ts';
import { floatImage, quantize, type RgbImage } from './image.ts';
import { patternSecondary, secondaryColor } from './patterns.ts';
import { objectRgb, type Scene } from './scene.ts';
import { shapeInside } from './shapes2d.ts';
import { COLORS } from './attributes.ts';

/** Pixel box [x0, y0, x1, y1): x1, y1 exclusive. Empty when x1 <= x0. */
export type Box = [number, number, number, number];

export interface RenderedScene {
  image: RgbImage;
  /** Visible coverage of each object in [0, 1], width*height, after occlusion. */
  masks: Float32Array[];
  /** Tight box of each object's full (unoccluded) footprint, in pixels. */
  boxes: Box[];
  /** Visible area of each object in pixels (sum of its mask). */
  areas: number[];
}

export interface RenderOptions {
  /** Supersampling grid per axis (k×k samples per pixel). */
  supersample?: number;
}

export function renderScene(scene: Scene, opts: RenderOptions = {}): RenderedScene {
  const k = Math.max(1, Math.floor(opts.supersample ?? 4));
  const { width, height, objects } = scene;
  const img = floatImage(width, height);
  paintBackground(img, scene.background, scene.textureSeed, scene.textureScale ?? 1);
  const masks = objects.map(() => new Float32Array(width * height));
  const boxes: Box[] = objects.map(() => [width, height, 0, 0]);
  const primary = objects.map(objectRgb);
  const second = objects.map((o) => {
    const c = secondaryColor(COLORS[o.color]);
    return [c[0] / 255, c[1] / 255, c[2] / 255];
  });
  // Pixel-space bounds per object (the footprint lies in the radius disk): skip work elsewhere.
  const bounds = objects.map((o) => [
    Math.max(0, Math.floor(o.cx - o.radius)), Math.max(0, Math.floor(o.cy - o.radius)),
    Math.min(width, Math.ceil(o.cx + o.radius) + 1), Math.min(height, Math.ceil(o.cy + o.radius) + 1),
  ]);
  // Sample → object frame (local units, y up, rotation undone): x' = (dx c − dy s) / r, y' = −(dx s + dy c) / r
  // with dx, dy in pixels (y down). Precomputed so the inner loop does no trig and no allocation.
  const cosR = objects.map((o) => Math.cos(o.rotation) / o.radius);
  const sinR = objects.map((o) => Math.sin(o.rotation) / o.radius);
  const inv = 1 / (k * k);
  const acc = [0, 0, 0];
  const near = new Int32Array(objects.length);
  const reach = objects.map((o) => (o.radius + Math.SQRT1_2) ** 2);
  for (let py = 0; py < height; py++) {
    for (let px = 0; px < width; px++) {
      let nNear = 0;
      for (let i = 0; i < objects.length; i++) {
        const b = bounds[i];
        if (px < b[0] || px >= b[2] || py < b[1] || py >= b[3]) continue;
        // Footprints lie in the radius disk; a pixel's samples lie within √½ px of its center.
        const ddx = px + 0.5 - objects[i].cx;
        const ddy = py + 0.5 - objects[i].cy;
        if (ddx * ddx + ddy * ddy > reach[i]) continue;
        near[nNear++] = i;
      }
      if (nNear === 0) continue;
      const pi = py * width + px;
      acc[0] = acc[1] = acc[2] = 0;
      let bgSamples = 0;
      for (let sy = 0; sy < k; sy++) {
        for (let sx = 0; sx < k; sx++) {
          const x = px + (sx + 0.5) / k;
          const y = py + (sy + 0.5) / k;
          let top = -1;
          let secondaryHit = false;
          for (let q = 0; q < nNear; q++) {
            const i = near[q];
            const dx = x - objects[i].cx;
            const dy = y - objects[i].cy;
            const lx = dx * cosR[i] - dy * sinR[i];
            const ly = -(dx * sinR[i] + dy * cosR[i]);
            if (!shapeInside(objects[i].shape, lx, ly)) continue;
            const b = boxes[i];
            if (px < b[0]) b[0] = px;
            if (py < b[1]) b[1] = py;
            if (px + 1 > b[2]) b[2] = px + 1;
            if (py + 1 > b[3]) b[3] = py + 1;
            // Later objects are drawn on top: the last hit wins.
            top = i;
            secondaryHit = patternSecondary(objects[i].pattern, lx, ly, objects[i].patternAngle);
          }
          if (top < 0) {
            bgSamples++;
            continue;
          }
          masks[top][pi] += inv;
          const c = secondaryHit ? second[top] : primary[top];
          acc[0] += c[0];
          acc[1] += c[1];
          acc[2] += c[2];
        }
      }
      const d = img.data;
      for (let c = 0; c < 3; c++) d[pi * 3 + c] = (acc[c] + bgSamples * d[pi * 3 + c]) * inv;
    }
  }
  for (const b of boxes) if (b[2] <= b[0]) b[0] = b[1] = b[2] = b[3] = 0;
  const areas = masks.map((m) => m.reduce((s, v) => s + v, 0));
  return { image: quantize(img), masks, boxes, areas };
}
