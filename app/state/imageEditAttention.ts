/**
 * Per-token cross-attention heatmaps for the Image Edit workspace: read the maps a 'text2image'
 * result carries (pipelines/text2image/attentionMaps.ts: `[keys, S, S]`, the mean over layers and
 * steps), label each context position with its prompt word, and colour one token's map (min-max
 * normalised, inferno-like ramp, alpha rising with attention) at the image's size.
 *
 *   const att = attentionOf(job.result);             // undefined when the pipeline sent no maps
 *   const toks = promptTokens(prompt, att.keys);     // [{ position: 1, text: 'red' }, …]
 *   const rgba = heatmapRgba(att, toks[0].position, 64, 64);
 */
import { MicroTokenizer } from '../../models/text/tokenizer.ts';

export interface ImageAttention {
  /** [keys, size, size] row-major. */
  maps: Float32Array;
  size: number;
  keys: number;
}

export interface PromptToken {
  /** Position in the text encoder's context (= key index of the cross-attention maps). */
  position: number;
  text: string;
  unknown: boolean;
}

function asAttention(x: unknown): ImageAttention | undefined {
  const a = x as Partial<ImageAttention> | undefined;
  if (!a || !(a.maps instanceof Float32Array) || typeof a.size !== 'number' || typeof a.keys !== 'number') return undefined;
  return a.maps.length === a.keys * a.size * a.size ? (a as ImageAttention) : undefined;
}

/** The maps of a text2image result (`result.attention`), if it has well-formed ones. */
export function attentionOf(result: unknown): ImageAttention | undefined {
  return asAttention((result as { attention?: unknown } | undefined)?.attention);
}

/**
 * The prompt's word tokens with their context positions, as the micro stack's text encoder sees
 * them (the Microworld word tokenizer, padded to `contextLength`): words cut by the context are
 * not listed, since they have no map.
 */
export function promptTokens(prompt: string, contextLength: number): PromptToken[] {
  if (contextLength < 2) return [];
  const enc = MicroTokenizer.microworld({ contextLength }).encode(prompt);
  return enc.words.map((w) => ({ position: w.position, text: w.text, unknown: w.unknown }));
}

const RAMP: readonly (readonly [number, number, number])[] = [
  [0, 0, 4], [66, 10, 104], [147, 38, 103], [221, 81, 58], [252, 165, 10], [252, 255, 164],
];

/** t in [0,1] → RGB along the ramp (linear between stops). */
export function rampColor(t: number): [number, number, number] {
  const x = Math.min(1, Math.max(0, t)) * (RAMP.length - 1);
  const i = Math.min(RAMP.length - 2, Math.floor(x)), f = x - i;
  const a = RAMP[i], b = RAMP[i + 1];
  return [Math.round(a[0] + (b[0] - a[0]) * f), Math.round(a[1] + (b[1] - a[1]) * f), Math.round(a[2] + (b[2] - a[2]) * f)];
}

/** One token's map, min-max normalised, bilinearly upsampled to width×height, as an RGBA overlay. */
export function heatmapRgba(att: ImageAttention, position: number, width: number, height: number): Uint8ClampedArray {
  if (position < 0 || position >= att.keys) throw new RangeError(`token position ${position} outside 0…${att.keys - 1}`);
  const S = att.size, m = att.maps.subarray(position * S * S, (position + 1) * S * S);
  let lo = Infinity, hi = -Infinity;
  for (const v of m) { if (v < lo) lo = v; if (v > hi) hi = v; }
  const span = hi - lo > 1e-12 ? hi - lo : 1;
  const out = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) {
    const sy = Math.min(S - 1, Math.max(0, ((y + 0.5) * S) / height - 0.5));
    const y0 = Math.floor(sy), y1 = Math.min(S - 1, y0 + 1), fy = sy - y0;
    for (let x = 0; x < width; x++) {
      const sx = Math.min(S - 1, Math.max(0, ((x + 0.5) * S) / width - 0.5));
      const x0 = Math.floor(sx), x1 = Math.min(S - 1, x0 + 1), fx = sx - x0;
      const v = (m[y0 * S + x0] * (1 - fx) + m[y0 * S + x1] * fx) * (1 - fy) + (m[y1 * S + x0] * (1 - fx) + m[y1 * S + x1] * fx) * fy;
      const t = (v - lo) / span;
      const [r, g, b] = rampColor(t);
      const o = (y * width + x) * 4;
      out[o] = r; out[o + 1] = g; out[o + 2] = b;
      // Low attention dims the image (dark, mostly see-through); high attention glows nearly opaque.
      out[o + 3] = Math.round(90 + 150 * t);
    }
  }
  return out;
}

/** Where a token's map peaks, in map cells ([x, y]). */
export function mapPeak(att: ImageAttention, position: number): [number, number] {
  const S = att.size, m = att.maps.subarray(position * S * S, (position + 1) * S * S);
  let best = 0;
  for (let i = 1; i < m.length; i++) if (m[i] > m[best]) best = i;
  return [best % S, Math.floor(best / S)];
}
