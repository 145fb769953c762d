/**
 * Random augmentation parameters with torchvision's sampling (xmesh.md §4.3):
 * RandomResizedCrop(out, scale=(s, s), ratio=(3/4, 4/3)) then RandomPerspective(0.5, p=0.8, fill=1).
 * - 'global': scale 1 (on a square image the crop degenerates to the full frame) + perspective;
 * - 'local': scale `scale` (0.4 X-Mesh MIT-30, 0.1 Text2Mesh demos) + perspective;
 * - 'geometry': scale 0.1 always (the reference's `normmincrop`) + perspective.
 * `rng` returns uniforms in [0, 1); torch.randint(lo, hi) is floor(lo + u·(hi − lo)).
 *
 *   const spec = sampleAugment(rand, 64, 'local', 0.4);
 */
import type { AugmentSpec } from './augment.ts';

const randint = (rng: () => number, lo: number, hi: number): number => lo + Math.floor(rng() * (hi - lo));

/** torchvision RandomResizedCrop.get_params on a size×size image: {x0, y0, w, h} in pixels. */
export function sampleCrop(rng: () => number, size: number, scale: number, ratio: [number, number] = [3 / 4, 4 / 3]): { x0: number; y0: number; w: number; h: number } {
  const area = size * size;
  const logLo = Math.log(ratio[0]);
  const logHi = Math.log(ratio[1]);
  for (let attempt = 0; attempt < 10; attempt++) {
    const target = area * scale; // uniform(scale, scale): still one draw in torch, none needed here
    const aspect = Math.exp(logLo + rng() * (logHi - logLo));
    const w = Math.round(Math.sqrt(target * aspect));
    const h = Math.round(Math.sqrt(target / aspect));
    if (w > 0 && w <= size && h > 0 && h <= size) {
      const y0 = randint(rng, 0, size - h + 1);
      const x0 = randint(rng, 0, size - w + 1);
      return { x0, y0, w, h };
    }
  }
  // Square image: its ratio 1 lies inside [3/4, 4/3], so torch's fallback is the whole frame.
  return { x0: 0, y0: 0, w: size, h: size };
}

/** torchvision RandomPerspective.get_params endpoints (TL, TR, BR, BL) for an n×n image. */
export function samplePerspectiveCorners(rng: () => number, n: number, distortion = 0.5): [number, number][] {
  const half = Math.floor(n / 2);
  const d = Math.floor(distortion * half);
  const tl: [number, number] = [randint(rng, 0, d + 1), randint(rng, 0, d + 1)];
  const tr: [number, number] = [randint(rng, n - d - 1, n), randint(rng, 0, d + 1)];
  const br: [number, number] = [randint(rng, n - d - 1, n), randint(rng, n - d - 1, n)];
  const bl: [number, number] = [randint(rng, 0, d + 1), randint(rng, n - d - 1, n)];
  return [tl, tr, br, bl];
}

/**
 * One augmentation draw. `size` is the render size; `outSize` (default `size`) is the image size
 * the CLIP encoder takes: the perspective acts on the resized crop, so its corners are in outSize pixels.
 */
export function sampleAugment(
  rng: () => number,
  size: number,
  kind: 'global' | 'local' | 'geometry',
  scale?: number,
  outSize: number = size,
): AugmentSpec {
  const s = kind === 'global' ? 1 : kind === 'geometry' ? 0.1 : (scale ?? 0.4);
  const crop = sampleCrop(rng, size, s);
  const spec: AugmentSpec = { fill: 1 };
  if (crop.w !== size || crop.h !== size) spec.crop = crop;
  if (rng() < 0.8) spec.perspective = { corners: samplePerspectiveCorners(rng, outSize, 0.5) };
  return spec;
}
