/**
 * CLIP-side augmentations of the rendered views (xmesh.md §4.3) and their adjoints.
 * Each pass draws ONE set of parameters shared by all views of the batch (§10.5: as the reference,
 * which augments the 5-view tensor at once):
 *   - 'global'   RandomResizedCrop(scale 1) = the full frame, then RandomPerspective(0.5, p 0.8, fill 1);
 *   - 'local'    RandomResizedCrop(area s, ratio log-U[3/4, 4/3]) then the same perspective;
 *   - 'geometry' as local with s = 0.1 (applied to the gray renders).
 * Crop + resize and the perspective warp are both bilinear resamplings, composed here into one
 * inverse map per output pixel (4 source taps + weights, or "fill" = white). Forward gathers,
 * backward scatters with the same weights (the exact transpose); fill pixels pass no gradient.
 *
 *   const spec = sampleAugment(rng, 64, 'local', 0.4);
 *   const out = augment(images, views, 64, 64, spec);
 *   const dImages = augmentBackward(dOut, views, 64, 64, spec);
 */
import type { Prng } from '../../models/data/microworld/prng.ts';

export type AugmentKind = 'global' | 'local' | 'geometry';

export interface AugmentSpec {
  kind: AugmentKind;
  /** Crop rectangle in source pixels (x, y = top-left corner). */
  crop: { x: number; y: number; w: number; h: number };
  /** Homography (row-major 3×3) from output pixel coords to crop-image pixel coords, or null. */
  perspective: number[] | null;
}

const randint = (rng: Prng, lo: number, hiExclusive: number) => lo + rng.int(Math.max(1, hiExclusive - lo));

/** Solve the 8 unknowns of H (h33 = 1) with H·src_i ∝ dst_i. */
export function homography(src: [number, number][], dst: [number, number][]): number[] {
  const A: number[][] = [];
  for (let i = 0; i < 4; i++) {
    const [x, y] = src[i], [u, v] = dst[i];
    A.push([x, y, 1, 0, 0, 0, -u * x, -u * y, u]);
    A.push([0, 0, 0, x, y, 1, -v * x, -v * y, v]);
  }
  for (let c = 0; c < 8; c++) {
    let piv = c;
    for (let r = c + 1; r < 8; r++) if (Math.abs(A[r][c]) > Math.abs(A[piv][c])) piv = r;
    [A[c], A[piv]] = [A[piv], A[c]];
    if (Math.abs(A[c][c]) < 1e-12) throw new Error('homography: degenerate corner configuration');
    for (let r = 0; r < 8; r++) {
      if (r === c) continue;
      const f = A[r][c] / A[c][c];
      for (let k = c; k < 9; k++) A[r][k] -= f * A[c][k];
    }
  }
  const h = A.map((row, i) => row[8] / row[i]);
  return [...h, 1];
}

/** torchvision RandomPerspective.get_params: corners move inward by up to distortion·half-size. */
function samplePerspective(rng: Prng, size: number, distortion = 0.5, p = 0.8): number[] | null {
  if (!rng.chance(p)) return null;
  const W = size, H = size, hw = Math.floor(W / 2), hh = Math.floor(H / 2);
  const dw = Math.floor(distortion * hw), dh = Math.floor(distortion * hh);
  const end: [number, number][] = [
    [randint(rng, 0, dw + 1), randint(rng, 0, dh + 1)],
    [randint(rng, W - dw - 1, W), randint(rng, 0, dh + 1)],
    [randint(rng, W - dw - 1, W), randint(rng, H - dh - 1, H)],
    [randint(rng, 0, dw + 1), randint(rng, H - dh - 1, H)],
  ];
  const start: [number, number][] = [[0, 0], [W - 1, 0], [W - 1, H - 1], [0, H - 1]];
  // The warped image shows start_i at end_i: the inverse map (output → input) sends end → start.
  return homography(end, start);
}

/** torchvision RandomResizedCrop.get_params with scale (s, s) and ratio (3/4, 4/3). */
function sampleCrop(rng: Prng, size: number, scale: number): AugmentSpec['crop'] {
  const area = size * size;
  for (let attempt = 0; attempt < 10; attempt++) {
    const target = area * scale;
    const ratio = Math.exp(rng.range(Math.log(3 / 4), Math.log(4 / 3)));
    const w = Math.round(Math.sqrt(target * ratio));
    const h = Math.round(Math.sqrt(target / ratio));
    if (w > 0 && h > 0 && w <= size && h <= size) return { x: rng.int(size - w + 1), y: rng.int(size - h + 1), w, h };
  }
  return { x: 0, y: 0, w: size, h: size };
}

/** One draw of a pass's parameters for renders of `size` px (scale: crop area fraction for 'local'). */
export function sampleAugment(rng: Prng, size: number, kind: AugmentKind, scale = 0.4): AugmentSpec {
  const s = kind === 'global' ? 1 : kind === 'geometry' ? 0.1 : scale;
  const crop = s >= 1 ? { x: 0, y: 0, w: size, h: size } : sampleCrop(rng, size, s);
  return { kind, crop, perspective: samplePerspective(rng, size) };
}

interface Taps { idx: Int32Array; w: Float32Array; fill: Uint8Array }

const cache = new WeakMap<AugmentSpec, Map<string, Taps>>();

/** Per output pixel: 4 source pixel indices and bilinear weights, or fill. */
function taps(spec: AugmentSpec, size: number, outSize: number): Taps {
  const key = `${size}:${outSize}`;
  const hit = cache.get(spec)?.get(key);
  if (hit) return hit;
  const n = outSize * outSize;
  const idx = new Int32Array(n * 4), w = new Float32Array(n * 4), fill = new Uint8Array(n);
  const H = spec.perspective, { x: cx, y: cy, w: cw, h: ch } = spec.crop;
  for (let j = 0; j < outSize; j++) {
    for (let i = 0; i < outSize; i++) {
      const p = j * outSize + i;
      // Pixel centers as integer coords (torchvision's perspective maps pixel indices).
      let qx = i, qy = j;
      if (H) {
        const d = H[6] * i + H[7] * j + H[8];
        qx = (H[0] * i + H[1] * j + H[2]) / d;
        qy = (H[3] * i + H[4] * j + H[5]) / d;
        if (!(qx > -0.5 && qx < outSize - 0.5 && qy > -0.5 && qy < outSize - 0.5)) { fill[p] = 1; continue; }
      }
      // Crop image pixel q (outSize grid) → source continuous coords (align_corners = false).
      const sx = Math.min(size - 1, Math.max(0, cx + ((qx + 0.5) * cw) / outSize - 0.5));
      const sy = Math.min(size - 1, Math.max(0, cy + ((qy + 0.5) * ch) / outSize - 0.5));
      const x0 = Math.floor(sx), y0 = Math.floor(sy);
      const x1 = Math.min(size - 1, x0 + 1), y1 = Math.min(size - 1, y0 + 1);
      const fx = sx - x0, fy = sy - y0;
      idx.set([y0 * size + x0, y0 * size + x1, y1 * size + x0, y1 * size + x1], p * 4);
      w.set([(1 - fx) * (1 - fy), fx * (1 - fy), (1 - fx) * fy, fx * fy], p * 4);
    }
  }
  const t = { idx, w, fill };
  if (!cache.has(spec)) cache.set(spec, new Map());
  cache.get(spec)!.set(key, t);
  return t;
}

/** images [V,3,size,size] → [V,3,outSize,outSize]. */
export function augment(images: Float32Array, views: number, size: number, outSize: number, spec: AugmentSpec, fillValue = 1): Float32Array {
  const t = taps(spec, size, outSize);
  const S2 = size * size, O2 = outSize * outSize;
  const out = new Float32Array(views * 3 * O2);
  for (let vc = 0; vc < views * 3; vc++) {
    const src = vc * S2, dst = vc * O2;
    for (let p = 0; p < O2; p++) {
      if (t.fill[p]) { out[dst + p] = fillValue; continue; }
      const k = p * 4;
      out[dst + p] = t.w[k] * images[src + t.idx[k]] + t.w[k + 1] * images[src + t.idx[k + 1]]
        + t.w[k + 2] * images[src + t.idx[k + 2]] + t.w[k + 3] * images[src + t.idx[k + 3]];
    }
  }
  return out;
}

/** Transpose of augment: dOut [V,3,outSize,outSize] → dImages [V,3,size,size]. */
export function augmentBackward(dOut: Float32Array, views: number, size: number, outSize: number, spec: AugmentSpec): Float32Array {
  const t = taps(spec, size, outSize);
  const S2 = size * size, O2 = outSize * outSize;
  const d = new Float32Array(views * 3 * S2);
  for (let vc = 0; vc < views * 3; vc++) {
    const src = vc * S2, dst = vc * O2;
    for (let p = 0; p < O2; p++) {
      if (t.fill[p]) continue;
      const g = dOut[dst + p], k = p * 4;
      if (g === 0) continue;
      d[src + t.idx[k]] += t.w[k] * g;
      d[src + t.idx[k + 1]] += t.w[k + 1] * g;
      d[src + t.idx[k + 2]] += t.w[k + 2] * g;
      d[src + t.idx[k + 3]] += t.w[k + 3] * g;
    }
  }
  return d;
}
