/**
 * Contact sheets: a grid of tiles with their index drawn in the corner (a 3×5 pixel digit font),
 * so a person can match tiles to the captions printed beside the sheet.
 */
import { blit, rgbImage, upscale, type RgbImage } from './image.ts';

/** 3×5 bitmaps of 0-9, rows top to bottom, 3 bits per row (MSB = left). */
const DIGITS = [
  [7, 5, 5, 5, 7], [2, 6, 2, 2, 7], [7, 1, 7, 4, 7], [7, 1, 7, 1, 7], [5, 5, 7, 1, 1],
  [7, 4, 7, 1, 7], [7, 4, 7, 5, 7], [7, 1, 1, 1, 1], [7, 5, 7, 5, 7], [7, 5, 7, 1, 7],
];

/** Draw a non-negative integer at (x, y), `scale` pixels per font pixel, white on a black plate. */
export function drawNumber(img: RgbImage, n: number, x: number, y: number, scale = 2): void {
  const text = String(Math.max(0, Math.floor(n)));
  const w = (text.length * 4 + 1) * scale;
  const h = 7 * scale;
  const put = (px: number, py: number, v: number): void => {
    if (px < 0 || py < 0 || px >= img.width || py >= img.height) return;
    const i = (py * img.width + px) * 3;
    img.data[i] = img.data[i + 1] = img.data[i + 2] = v;
  };
  for (let py = 0; py < h; py++) for (let px = 0; px < w; px++) put(x + px, y + py, 0);
  [...text].forEach((ch, k) => {
    const glyph = DIGITS[ch.charCodeAt(0) - 48];
    for (let r = 0; r < 5; r++) {
      for (let c = 0; c < 3; c++) {
        if (!((glyph[r] >> (2 - c)) & 1)) continue;
        for (let sy = 0; sy < scale; sy++) for (let sx = 0; sx < scale; sx++) put(x + (1 + k * 4 + c) * scale + sx, y + (1 + r) * scale + sy, 255);
      }
    }
  });
}

export interface SheetOptions {
  /** Tiles per row (default: square-ish). */
  columns?: number;
  /** Integer upscale of each tile (nearest neighbour). */
  scale?: number;
  gutter?: number;
  /** Draw each tile's index (or the given labels) in its corner. */
  labels?: boolean | number[];
}

/** Lay equally sized tiles out in a grid on a dark background. */
export function contactSheet(tiles: readonly RgbImage[], opts: SheetOptions = {}): RgbImage {
  if (tiles.length === 0) return rgbImage(1, 1);
  const scale = Math.max(1, Math.floor(opts.scale ?? 1));
  const gutter = opts.gutter ?? 4;
  const cols = Math.max(1, opts.columns ?? Math.ceil(Math.sqrt(tiles.length)));
  const rows = Math.ceil(tiles.length / cols);
  const tw = tiles[0].width * scale;
  const th = tiles[0].height * scale;
  const sheet = rgbImage(cols * (tw + gutter) + gutter, rows * (th + gutter) + gutter);
  sheet.data.fill(40);
  tiles.forEach((t, i) => {
    const x = gutter + (i % cols) * (tw + gutter);
    const y = gutter + Math.floor(i / cols) * (th + gutter);
    blit(sheet, scale > 1 ? upscale(t, scale) : t, x, y);
    if (opts.labels !== false && opts.labels !== undefined) {
      const label = Array.isArray(opts.labels) ? opts.labels[i] : i;
      drawNumber(sheet, label, x, y, tw >= 96 ? 2 : 1);
    }
  });
  return sheet;
}
