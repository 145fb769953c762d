/**
 * CLIP-side augmentations of the mesh stylizer (xmesh.md §4.3, §9.3), CPU reference:
 * RandomResizedCrop (crop box → bilinear resize to outSize) followed by RandomPerspective
 * (homography warp, fill outside), composed into ONE bilinear resampling per output pixel:
 * both are linear in the image, so the forward is a gather of 4 weighted source taps and the
 * adjoint (augmentBackward) is its exact transpose, a scatter-add with the same 4 weights.
 * One parameter draw is shared by all views of a pass (xmesh.md §10 item 5).
 *
 * Decisions, relative to torchvision's two separate resamplings:
 * - the perspective samples the resized crop at a continuous point q; we evaluate the crop's
 *   bilinear resize at q directly instead of interpolating an already interpolated image
 *   (one blur instead of two; identical where the warp is the identity);
 * - resize follows torch's bilinear, align_corners=False: src = (q + 0.5)·(crop/out) − 0.5,
 *   clamped into the crop (edge replication); no antialias (the crop is upsampled in the reference);
 * - outside the warped frame, coverage m = bilinear weight of in-frame taps (torch's mask channel)
 *   and out = m·J(q) + (1 − m)·fill. torchvision multiplies the zero-padded sample by m once more
 *   (m²); we use the plain coverage blend, which differs only on a one-pixel border band.
 *   Fill carries no gradient.
 *
 *   const x = augment(batch.images, 5, 64, 32, sampleAugment(rand, 64, 'local', 0.4, 32));
 *   const dImages = augmentBackward(dX, 5, 64, 32, spec);
 */
import { cornerPoints, perspectiveCoeffs, type Point } from './homography.ts';

export interface AugmentSpec {
  /** Crop box in source (render) pixel units; integer in torchvision. Absent = the full frame. */
  crop?: { x0: number; y0: number; w: number; h: number };
  /** 4 displaced corners TL, TR, BR, BL of the outSize image (torchvision endpoints). Absent = no warp. */
  perspective?: { corners: [number, number][] };
  /** Value outside the warped frame (1 = white, before CLIP normalization). */
  fill: number;
}

/** Per-output-pixel sampling plan shared by the CPU reference and the WGSL kernels' parameters. */
export interface AugmentPlan {
  size: number;
  outSize: number;
  crop: { x0: number; y0: number; w: number; h: number };
  /** Homography output → resized-crop pixel position, or null for the identity. */
  coeffs: number[] | null;
  fill: number;
}

export function planAugment(size: number, outSize: number, spec: AugmentSpec): AugmentPlan {
  // torchvision crops on whole pixels; rounding keeps the edge-clamp taps on the pixel grid.
  const c = spec.crop ?? { x0: 0, y0: 0, w: size, h: size };
  const crop = { x0: Math.round(c.x0), y0: Math.round(c.y0), w: Math.round(c.w), h: Math.round(c.h) };
  if (crop.w <= 0 || crop.h <= 0 || crop.x0 < 0 || crop.y0 < 0 || crop.x0 + crop.w > size || crop.y0 + crop.h > size) {
    throw new Error(`augment: crop ${JSON.stringify(crop)} does not fit a ${size}×${size} image`);
  }
  const coeffs = spec.perspective ? perspectiveCoeffs(cornerPoints(outSize, outSize), spec.perspective.corners as Point[]) : null;
  return { size, outSize, crop, coeffs, fill: spec.fill };
}

/** Sum of the in-range weights of a 1-D linear tap pair at t in a row of n pixels (torch's zero padding). */
function coverage(t: number, n: number): number {
  const i = Math.floor(t);
  const w1 = t - i;
  return (i >= 0 && i <= n - 1 ? 1 - w1 : 0) + (i + 1 >= 0 && i + 1 <= n - 1 ? w1 : 0);
}

export interface Taps {
  /** Flat source indices within one channel plane (size²) and their weights (already × coverage). */
  idx: [number, number, number, number];
  w: [number, number, number, number];
  /** Weight of the fill value, 1 − coverage. */
  fillWeight: number;
}

/** The 4 source taps of output pixel (x, y). */
export function tapsAt(plan: AugmentPlan, x: number, y: number, out: Taps): Taps {
  const { outSize, crop, coeffs, size } = plan;
  let qx = x;
  let qy = y;
  let m = 1;
  if (coeffs) {
    const u = x + 0.5;
    const v = y + 0.5;
    const den = coeffs[6] * u + coeffs[7] * v + 1;
    // torchvision's grid: sample at H(pixel center) − 0.5 in pixel-index units (align_corners=False).
    qx = (coeffs[0] * u + coeffs[1] * v + coeffs[2]) / den - 0.5;
    qy = (coeffs[3] * u + coeffs[4] * v + coeffs[5]) / den - 0.5;
    m = coverage(qx, outSize) * coverage(qy, outSize);
  }
  const sx = resizeSource(qx, crop.x0, crop.w, outSize);
  const sy = resizeSource(qy, crop.y0, crop.h, outSize);
  const ix = Math.floor(sx);
  const iy = Math.floor(sy);
  const fx = sx - ix;
  const fy = sy - iy;
  const ix1 = Math.min(ix + 1, crop.x0 + crop.w - 1);
  const iy1 = Math.min(iy + 1, crop.y0 + crop.h - 1);
  out.idx[0] = iy * size + ix;
  out.idx[1] = iy * size + ix1;
  out.idx[2] = iy1 * size + ix;
  out.idx[3] = iy1 * size + ix1;
  out.w[0] = m * (1 - fx) * (1 - fy);
  out.w[1] = m * fx * (1 - fy);
  out.w[2] = m * (1 - fx) * fy;
  out.w[3] = m * fx * fy;
  out.fillWeight = 1 - m;
  return out;
}

/** torch bilinear resize (align_corners=False) of a crop [c0, c0+n) to `out` samples, edge-clamped. */
function resizeSource(q: number, c0: number, n: number, out: number): number {
  const s = (q + 0.5) * (n / out) - 0.5;
  return c0 + Math.min(Math.max(s, 0), n - 1);
}

const newTaps = (): Taps => ({ idx: [0, 0, 0, 0], w: [0, 0, 0, 0], fillWeight: 0 });

/** [views, 3, size, size] → [views, 3, outSize, outSize]. */
export function augment(images: Float32Array, views: number, size: number, outSize: number, spec: AugmentSpec): Float32Array {
  const plan = planAugment(size, outSize, spec);
  const inPlane = size * size;
  const outPlane = outSize * outSize;
  if (images.length !== views * 3 * inPlane) throw new Error(`augment: images has ${images.length} values, expected ${views}×3×${size}×${size}`);
  const out = new Float32Array(views * 3 * outPlane);
  const t = newTaps();
  for (let y = 0; y < outSize; y++) {
    for (let x = 0; x < outSize; x++) {
      tapsAt(plan, x, y, t);
      const fillPart = t.fillWeight * plan.fill;
      for (let vc = 0; vc < views * 3; vc++) {
        const src = vc * inPlane;
        out[vc * outPlane + y * outSize + x] =
          t.w[0] * images[src + t.idx[0]] + t.w[1] * images[src + t.idx[1]] + t.w[2] * images[src + t.idx[2]] + t.w[3] * images[src + t.idx[3]] + fillPart;
      }
    }
  }
  return out;
}

/** Transpose of augment's linear part: dOut [views, 3, outSize, outSize] → dImages [views, 3, size, size]. */
export function augmentBackward(dOut: Float32Array, views: number, size: number, outSize: number, spec: AugmentSpec): Float32Array {
  const plan = planAugment(size, outSize, spec);
  const inPlane = size * size;
  const outPlane = outSize * outSize;
  if (dOut.length !== views * 3 * outPlane) throw new Error(`augmentBackward: dOut has ${dOut.length} values, expected ${views}×3×${outSize}×${outSize}`);
  const dIn = new Float32Array(views * 3 * inPlane);
  const t = newTaps();
  for (let y = 0; y < outSize; y++) {
    for (let x = 0; x < outSize; x++) {
      tapsAt(plan, x, y, t);
      for (let vc = 0; vc < views * 3; vc++) {
        const g = dOut[vc * outPlane + y * outSize + x];
        if (g === 0) continue;
        const dst = vc * inPlane;
        dIn[dst + t.idx[0]] += g * t.w[0];
        dIn[dst + t.idx[1]] += g * t.w[1];
        dIn[dst + t.idx[2]] += g * t.w[2];
        dIn[dst + t.idx[3]] += g * t.w[3];
      }
    }
  }
  return dIn;
}
