/**
 * Image buffers used by Microworld. Generators paint into float RGB (0..1) and quantize once
 * at the end, so the bytes only depend on the math, not on intermediate rounding order.
 */

/** 8-bit RGB, interleaved, row 0 at the top. */
export interface RgbImage {
  width: number;
  height: number;
  data: Uint8Array;
}

/** Float RGB in [0, 1], interleaved, row 0 at the top. */
export interface FloatImage {
  width: number;
  height: number;
  data: Float32Array;
}

export function floatImage(width: number, height: number): FloatImage {
  return { width, height, data: new Float32Array(width * height * 3) };
}

export function rgbImage(width: number, height: number): RgbImage {
  return { width, height, data: new Uint8Array(width * height * 3) };
}

export function quantize(img: FloatImage): RgbImage {
  const out = rgbImage(img.width, img.height);
  const src = img.data;
  for (let i = 0; i < src.length; i++) {
    const v = src[i];
    out.data[i] = v <= 0 ? 0 : v >= 1 ? 255 : Math.round(v * 255);
  }
  return out;
}

export function toFloat(img: RgbImage): FloatImage {
  const out = floatImage(img.width, img.height);
  for (let i = 0; i < img.data.length; i++) out.data[i] = img.data[i] / 255;
  return out;
}

/**
 * Bilinear sample of a float image at continuous pixel coordinates (pixel centers at +0.5);
 * outside the image the edge pixel repeats.
 */
export function sampleBilinear(img: FloatImage, x: number, y: number, out: Float32Array | number[], o = 0): void {
  const fx = Math.min(Math.max(x - 0.5, 0), img.width - 1);
  const fy = Math.min(Math.max(y - 0.5, 0), img.height - 1);
  const x0 = Math.floor(fx);
  const y0 = Math.floor(fy);
  const x1 = Math.min(x0 + 1, img.width - 1);
  const y1 = Math.min(y0 + 1, img.height - 1);
  const tx = fx - x0;
  const ty = fy - y0;
  const d = img.data;
  const w = img.width;
  for (let c = 0; c < 3; c++) {
    const a = d[(y0 * w + x0) * 3 + c];
    const b = d[(y0 * w + x1) * 3 + c];
    const e = d[(y1 * w + x0) * 3 + c];
    const f = d[(y1 * w + x1) * 3 + c];
    out[o + c] = (a + (b - a) * tx) * (1 - ty) + (e + (f - e) * tx) * ty;
  }
}

/** Nearest-neighbour integer upscale (for contact sheets: keeps pixels crisp). */
export function upscale(img: RgbImage, factor: number): RgbImage {
  const out = rgbImage(img.width * factor, img.height * factor);
  for (let y = 0; y < out.height; y++) {
    const sy = Math.floor(y / factor);
    for (let x = 0; x < out.width; x++) {
      const sx = Math.floor(x / factor);
      const si = (sy * img.width + sx) * 3;
      const di = (y * out.width + x) * 3;
      out.data[di] = img.data[si];
      out.data[di + 1] = img.data[si + 1];
      out.data[di + 2] = img.data[si + 2];
    }
  }
  return out;
}

/** Copy `src` into `dst` with its top-left corner at (x, y); clipped at the edges. */
export function blit(dst: RgbImage, src: RgbImage, x: number, y: number): void {
  for (let sy = 0; sy < src.height; sy++) {
    const dy = y + sy;
    if (dy < 0 || dy >= dst.height) continue;
    for (let sx = 0; sx < src.width; sx++) {
      const dx = x + sx;
      if (dx < 0 || dx >= dst.width) continue;
      const si = (sy * src.width + sx) * 3;
      const di = (dy * dst.width + dx) * 3;
      dst.data[di] = src.data[si];
      dst.data[di + 1] = src.data[si + 1];
      dst.data[di + 2] = src.data[si + 2];
    }
  }
}
