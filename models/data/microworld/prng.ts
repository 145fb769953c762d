/**
 * Seeded PRNG shared by every Atelier module (re-exported as pipelines/core/prng.ts).
 *
 *   const rng = new Prng(42);
 *   rng.float();          // [0, 1)
 *   rng.normal(0, 1);     // Gaussian
 *   const sub = rng.fork('scene-7');   // independent stream, stable under reordering
 *
 * xoshiro128** (Blackman & Vigna) seeded through splitmix32: 32-bit integer math only, so the
 * stream is bit-identical in Node, browsers and workers (no Math.random, no 64-bit floats tricks).
 */

/** splitmix32 step: a well-mixed 32-bit value from a counter; used to expand seeds. */
export function splitmix32(state: number): [value: number, next: number] {
  const next = (state + 0x9e3779b9) | 0;
  let z = next;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  z ^= z >>> 16;
  return [z >>> 0, next];
}

/** FNV-1a over UTF-16 code units: turns labels ("train", "scene-3") into 32-bit seeds. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export type Seed = number | string;

function seedToU32(seed: Seed): number {
  if (typeof seed === 'string') return hashString(seed);
  if (!Number.isFinite(seed)) throw new RangeError(`seed must be finite, got ${seed}`);
  // Fold the high bits of large integer seeds in, so 2**32 + 1 differs from 1.
  const hi = Math.floor(seed / 4294967296);
  return ((seed >>> 0) ^ Math.imul(hi | 0, 0x9e3779b1)) >>> 0;
}

const rotl = (x: number, k: number): number => (x << k) | (x >>> (32 - k));

export class Prng {
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;
  /** Second Box–Muller sample, kept so normal() consumes the stream in pairs deterministically. */
  private spare: number | null = null;

  constructor(seed: Seed = 0) {
    let st = seedToU32(seed);
    const words: number[] = [];
    for (let i = 0; i < 4; i++) {
      const [v, n] = splitmix32(st);
      words.push(v);
      st = n;
    }
    [this.s0, this.s1, this.s2, this.s3] = words;
    // xoshiro must not start from the all-zero state.
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** Uniform unsigned 32-bit integer. */
  nextU32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9);
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result >>> 0;
  }

  /** Uniform in [0, 1) with 32 bits of resolution. */
  float(): number {
    return this.nextU32() / 4294967296;
  }

  /** Uniform in [lo, hi). */
  range(lo: number, hi: number): number {
    return lo + (hi - lo) * this.float();
  }

  /** Uniform integer in [0, n). Rejection sampling keeps it unbiased for any n. */
  int(n: number): number {
    if (!(n >= 1) || !Number.isInteger(n)) throw new RangeError(`int(n) needs a positive integer, got ${n}`);
    if (n === 1) return 0;
    const limit = 4294967296 - (4294967296 % n);
    let x = this.nextU32();
    while (x >= limit) x = this.nextU32();
    return x % n;
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.float() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick() from an empty list');
    return items[this.int(items.length)];
  }

  /** Gaussian sample (Box–Muller). */
  normal(mean = 0, std = 1): number {
    if (this.spare !== null) {
      const z = this.spare;
      this.spare = null;
      return mean + std * z;
    }
    // 1 - float() is in (0, 1], so log never sees 0.
    const u = 1 - this.float();
    const v = this.float();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return mean + std * r * Math.cos(2 * Math.PI * v);
  }

  /** Fisher–Yates shuffle in place; returns the same array. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = items[i];
      items[i] = items[j];
      items[j] = t;
    }
    return items;
  }

  /** Fill a Float32Array with N(0, std²) samples (e.g. initial weights, diffusion noise). */
  fillNormal(out: Float32Array, std = 1): Float32Array {
    for (let i = 0; i < out.length; i++) out[i] = this.normal(0, std);
    return out;
  }

  /**
   * An independent child stream named by `label`. Forking does not advance this stream, so
   * adding a new consumer never changes what existing consumers draw.
   */
  fork(label: Seed): Prng {
    const child = new Prng(seedToU32(label) ^ Math.imul(this.s0 ^ rotl(this.s2, 13), 0x2c1b3c6d) ^ this.s3);
    return child;
  }

  /** Snapshot of the generator state (4 words + pending spare) to resume a stream later. */
  getState(): { s: [number, number, number, number]; spare: number | null } {
    return { s: [this.s0 >>> 0, this.s1 >>> 0, this.s2 >>> 0, this.s3 >>> 0], spare: this.spare };
  }

  setState(state: { s: readonly [number, number, number, number]; spare: number | null }): void {
    [this.s0, this.s1, this.s2, this.s3] = state.s.map((x) => x | 0);
    this.spare = state.spare;
  }
}
