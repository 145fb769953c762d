/**
 * Float I/O for sessions whose tensors may be float32 or float16 (SD fp16 exports): the pipeline
 * computes in float32 and converts at the session boundary, by the dtype the session declares.
 * float16 travels as its IEEE-754 half bit patterns in a Uint16Array (onnxruntime's convention).
 */
import type { Runtime, Session, Tensor } from '../../models/runtime/Runtime.ts';

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** float32 → half bits, round-to-nearest-even, with overflow to ±inf and subnormals. */
export function toHalf(x: number): number {
  f32[0] = x;
  const b = u32[0], sign = (b >>> 16) & 0x8000, exp = (b >>> 23) & 0xff, man = b & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (man ? 0x200 : 0);
  const e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    const m = man | 0x800000, shift = 14 - e;
    let h = m >>> shift;
    const rem = m & ((1 << shift) - 1), half = 1 << (shift - 1);
    if (rem > half || (rem === half && h & 1)) h++;
    return sign | h;
  }
  let h = sign | (e << 10) | (man >>> 13);
  const rem = man & 0x1fff;
  if (rem > 0x1000 || (rem === 0x1000 && h & 1)) h++;
  return h;
}

export function fromHalf(h: number): number {
  const sign = h & 0x8000 ? -1 : 1, e = (h >>> 10) & 0x1f, m = h & 0x3ff;
  if (e === 0) return sign * m * 2 ** -24;
  if (e === 0x1f) return m ? NaN : sign * Infinity;
  return sign * (1 + m / 1024) * 2 ** (e - 15);
}

/** A float tensor for input `name` in the dtype the session declares (float32 when undeclared). */
export function floatFeed(rt: Runtime, s: Session, name: string, data: Float32Array, dims: readonly number[]): Tensor {
  const dt = s.inputs.find((i) => i.name === name)?.dtype;
  return dt === 'float16' ? rt.tensor('float16', Uint16Array.from(data, toHalf), dims) : rt.tensor('float32', data, dims);
}

/** Read a float tensor as a fresh Float32Array (half bits are converted). */
export async function readFloat(rt: Runtime, t: Tensor): Promise<Float32Array> {
  const d = await rt.read(t);
  return t.type === 'float16' ? Float32Array.from(d as Uint16Array, fromHalf) : Float32Array.from(d as Float32Array);
}
