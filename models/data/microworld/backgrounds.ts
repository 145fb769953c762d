/**
 * Scene backgrounds: plain colors and procedural textures (sky, grass, sand, night, brick wall,
 * wood). Painted in normalized coordinates (u, v in [0, 1]) so a texture looks the same at any
 * resolution, with a per-scene seed for variation.
 */
import { COLORS, type PlainBackground, type TextureName } from './attributes.ts';
import type { FloatImage } from './image.ts';
import { fbm2, hash3, noise2 } from './noise.ts';

export type Background = { kind: 'plain'; color: PlainBackground } | { kind: 'texture'; texture: TextureName };

type Paint = (u: number, v: number, seed: number, out: Float32Array) => void;

function set(out: Float32Array, r: number, g: number, b: number): void {
  out[0] = r;
  out[1] = g;
  out[2] = b;
}

const mix = (a: number, b: number, t: number): number => a + (b - a) * t;

const TEXTURES: Record<TextureName, Paint> = {
  sky: (u, v, seed, out) => {
    const cloud = Math.max(0, fbm2(u * 4, v * 6, seed, 4) - 0.52) * 3.2;
    const c = Math.min(1, cloud);
    const h = Math.min(1, v); // the gradient spans one tile; larger canvases continue it flat
    set(out, mix(mix(0.35, 0.62, h), 1, c), mix(mix(0.6, 0.82, h), 1, c), mix(0.95, 1, c));
  },
  grass: (u, v, seed, out) => {
    // Blades: high frequency across, stretched along the vertical.
    const blade = noise2(u * 48, v * 5, seed);
    const patch = fbm2(u * 3, v * 3, seed + 7, 3);
    const t = 0.55 * blade + 0.45 * patch;
    set(out, mix(0.12, 0.35, t), mix(0.38, 0.68, t), mix(0.08, 0.2, t));
  },
  sand: (u, v, seed, out) => {
    const ripple = 0.5 + 0.5 * Math.sin((v * 20 + 2.5 * fbm2(u * 3, v * 3, seed, 3)) * Math.PI);
    const grain = hash3(Math.floor(u * 256), Math.floor(v * 256), 1, seed);
    const t = 0.7 * ripple + 0.3 * grain;
    set(out, mix(0.82, 0.93, t), mix(0.7, 0.83, t), mix(0.48, 0.6, t));
  },
  night: (u, v, seed, out) => {
    // Stars on a 96-cell lattice: about 3% of cells hold one.
    const cx = Math.floor(u * 96);
    const cy = Math.floor(v * 96);
    const star = hash3(cx, cy, 2, seed) < 0.03 ? 0.6 + 0.4 * hash3(cx, cy, 3, seed) : 0;
    const h = Math.min(1, v);
    set(out, mix(0.03, 0.08, h) + star, mix(0.04, 0.1, h) + star, mix(0.14, 0.24, h) + star);
  },
  'brick wall': (u, v, seed, out) => {
    const rows = 8;
    const cols = 4;
    const row = Math.floor(v * rows);
    const fy = v * rows - row;
    const x = u * cols + (row % 2) * 0.5;
    const col = Math.floor(x);
    const fx = x - col;
    if (fy < 0.1 || fx < 0.05) {
      set(out, 0.78, 0.76, 0.72);
      return;
    }
    const tone = 0.85 + 0.3 * hash3(col, row, 4, seed) + 0.1 * noise2(u * 40, v * 40, seed);
    set(out, 0.62 * tone, 0.24 * tone, 0.16 * tone);
  },
  wood: (u, v, seed, out) => {
    const warp = fbm2(u * 2, v * 8, seed, 3);
    const ring = 0.5 + 0.5 * Math.sin((u * 18 + warp * 4) * Math.PI);
    const t = ring * 0.7 + 0.3 * noise2(u * 60, v * 4, seed + 3);
    set(out, mix(0.5, 0.72, t), mix(0.3, 0.47, t), mix(0.14, 0.25, t));
  },
};

/** Fill the whole image with a background; `scale` texture tiles span it (textures are not periodic). */
export function paintBackground(img: FloatImage, bg: Background, seed: number, scale = 1): void {
  const px = new Float32Array(3);
  const { width, height, data } = img;
  if (bg.kind === 'plain') {
    const c = COLORS[bg.color];
    for (let i = 0; i < width * height; i++) {
      data[i * 3] = c[0] / 255;
      data[i * 3 + 1] = c[1] / 255;
      data[i * 3 + 2] = c[2] / 255;
    }
    return;
  }
  const paint = TEXTURES[bg.texture];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      paint(((x + 0.5) / width) * scale, ((y + 0.5) / height) * scale, seed, px);
      const i = (y * width + x) * 3;
      data[i] = Math.min(1, px[0]);
      data[i + 1] = Math.min(1, px[1]);
      data[i + 2] = Math.min(1, px[2]);
    }
  }
}

/** Phrase used in captions for a background ("on a brick wall", "at night"). */
export function backgroundPhrase(bg: Background): string {
  if (bg.kind === 'plain') return `on a ${bg.color} background`;
  switch (bg.texture) {
    case 'sky':
      return 'in the sky';
    case 'grass':
      return 'on the grass';
    case 'sand':
      return 'on the sand';
    case 'night':
      return 'at night';
    case 'brick wall':
      return 'in front of a brick wall';
    case 'wood':
      return 'on wood';
  }
}

export function backgroundName(bg: Background): string {
  return bg.kind === 'plain' ? `${bg.color} background` : bg.texture;
}
