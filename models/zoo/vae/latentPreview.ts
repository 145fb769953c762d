/**
 * Cheap latent → RGB preview: a per-pixel linear map of the latent channels (no VAE), upsampled
 * by nearest neighbour to the image size, so every denoising step can show a picture. The map is
 * fit by least squares from VAE decodes (`fitLatentPreview`), as SD previewers do.
 */
import type { LatentPreview } from '../../manifests/sdBundle.ts';

/** latents [C, h, w] (one sample) → RGBA bytes of size (h·up) × (w·up). */
export function latentToRgba(latents: Float32Array, channels: number, size: number, map: LatentPreview, up = 1): Uint8ClampedArray {
  const S = size * up, out = new Uint8ClampedArray(S * S * 4);
  const hw = size * size;
  for (let y = 0; y < S; y++) {
    for (let x = 0; x < S; x++) {
      const p = Math.floor(y / up) * size + Math.floor(x / up), o = (y * S + x) * 4;
      for (let c = 0; c < 3; c++) {
        let v = map.bias[c];
        for (let k = 0; k < channels; k++) v += map.weights[c][k] * latents[k * hw + p];
        out[o + c] = Math.round((v + 1) * 127.5);
      }
      out[o + 3] = 255;
    }
  }
  return out;
}

/**
 * Least-squares fit of rgb ≈ W·latent + b from pairs: latents [n, C, h, w] and images [n, 3, H, W]
 * in [−1, 1] (H = f·h; images are box-averaged down to h × w first). Solves the (C+1)² normal
 * equations per color channel, with a tiny ridge so degenerate latents still give a map.
 */
export function fitLatentPreview(latents: Float32Array, images: Float32Array, n: number, channels: number, size: number, imageSize: number): LatentPreview {
  const f = imageSize / size, hw = size * size, D = channels + 1;
  const A = new Float64Array(D * D), B = Array.from({ length: 3 }, () => new Float64Array(D));
  const row = new Float64Array(D);
  for (let s = 0; s < n; s++) {
    for (let p = 0; p < hw; p++) {
      for (let k = 0; k < channels; k++) row[k] = latents[(s * channels + k) * hw + p];
      row[channels] = 1;
      const py = Math.floor(p / size), px = p % size;
      for (let i = 0; i < D; i++) for (let j = 0; j < D; j++) A[i * D + j] += row[i] * row[j];
      for (let c = 0; c < 3; c++) {
        let t = 0;
        for (let dy = 0; dy < f; dy++) for (let dx = 0; dx < f; dx++) t += images[((s * 3 + c) * imageSize + py * f + dy) * imageSize + px * f + dx];
        t /= f * f;
        for (let i = 0; i < D; i++) B[c][i] += row[i] * t;
      }
    }
  }
  for (let i = 0; i < D; i++) A[i * D + i] += 1e-6 * (1 + A[i * D + i]);
  const sol = B.map((b) => solve(A, b, D));
  return { weights: sol.map((x) => Array.from(x.subarray(0, channels))), bias: sol.map((x) => x[channels]) };
}

/** Gaussian elimination with partial pivoting on a copy (D is 5). */
function solve(A0: Float64Array, b0: Float64Array, D: number): Float64Array {
  const A = Float64Array.from(A0), b = Float64Array.from(b0);
  for (let c = 0; c < D; c++) {
    let piv = c;
    for (let r = c + 1; r < D; r++) if (Math.abs(A[r * D + c]) > Math.abs(A[piv * D + c])) piv = r;
    for (let k = 0; k < D; k++) [A[c * D + k], A[piv * D + k]] = [A[piv * D + k], A[c * D + k]];
    [b[c], b[piv]] = [b[piv], b[c]];
    for (let r = c + 1; r < D; r++) {
      const m = A[r * D + c] / A[c * D + c];
      for (let k = c; k < D; k++) A[r * D + k] -= m * A[c * D + k];
      b[r] -= m * b[c];
    }
  }
  const x = new Float64Array(D);
  for (let r = D - 1; r >= 0; r--) {
    let s = b[r];
    for (let k = r + 1; k < D; k++) s -= A[r * D + k] * x[k];
    x[r] = s / A[r * D + r];
  }
  return x;
}
