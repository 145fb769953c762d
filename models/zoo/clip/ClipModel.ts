/**
 * CLIP-type model over a Runtime: two sessions (vision, text) with the public CLIP export
 * contract, a text encoder function (word tokenizer for micro-CLIP, BPE for real CLIP, both
 * padded to the model's fixed length), and batched encode helpers for pipelines.
 *
 *   const clip = await ClipModel.create(rt, { vision: bytes, text: bytes, tokenize });
 *   const img = await clip.encodeImages(pixels, n);    // Float32Array [n, D], unnormalized
 *   const txt = await clip.encodeTexts(['a red star']);
 *   cosineMatrix(normalizeRows(img, D), normalizeRows(txt, D), D);
 *   await clip.dispose();
 */
import type { Runtime, Session, Tensor } from '../../runtime/Runtime.ts';

export interface TokenizedBatch {
  /** [batch, length] row-major. */
  ids: BigInt64Array;
  attentionMask: BigInt64Array;
  length: number;
}

export type BatchTokenizer = (texts: readonly string[]) => TokenizedBatch;

export interface ClipModelOptions {
  vision: Uint8Array | string;
  text: Uint8Array | string;
  tokenize: BatchTokenizer;
  /** Largest batch per session.run (bounds memory; default 64). */
  maxBatch?: number;
}

export class ClipModel {
  private disposed = false;

  private constructor(
    readonly rt: Runtime,
    readonly vision: Session,
    readonly text: Session,
    readonly tokenize: BatchTokenizer,
    readonly imageSize: number,
    readonly dim: number,
    private readonly maxBatch: number,
  ) {}

  static async create(rt: Runtime, o: ClipModelOptions): Promise<ClipModel> {
    const vision = await rt.createSession(o.vision);
    let text: Session;
    try {
      text = await rt.createSession(o.text);
    } catch (e) {
      await vision.dispose();
      throw e;
    }
    const problems = [
      ...contractProblems(vision, ['pixel_values'], ['image_embeds']),
      ...contractProblems(text, ['input_ids'], ['text_embeds']),
    ];
    const px = vision.inputs.find((i) => i.name === 'pixel_values')?.shape;
    const size = typeof px?.[3] === 'number' ? px[3] : NaN;
    const emb = vision.outputs.find((i) => i.name === 'image_embeds')?.shape;
    const dim = typeof emb?.[1] === 'number' ? emb[1] : NaN;
    if (!Number.isFinite(size)) problems.push('vision input pixel_values needs a static [batch,3,H,W] shape');
    if (!Number.isFinite(dim)) problems.push('vision output image_embeds needs a static [batch,D] shape');
    if (problems.length) {
      await vision.dispose();
      await text.dispose();
      throw new Error(`ClipModel: I/O contract not met: ${problems.join('; ')}`);
    }
    return new ClipModel(rt, vision, text, o.tokenize, size, dim, o.maxBatch ?? 64);
  }

  private alive(): void {
    if (this.disposed) throw new Error('ClipModel: used after dispose()');
  }

  /** pixels: [n, 3, S, S] normalized (models/vision/preprocess.ts) → [n, D] embeddings. */
  async encodeImages(pixels: Float32Array, n: number): Promise<Float32Array> {
    this.alive();
    const S = this.imageSize, per = 3 * S * S;
    if (pixels.length !== n * per) throw new Error(`encodeImages: ${pixels.length} values for ${n} images of 3×${S}×${S}`);
    const out = new Float32Array(n * this.dim);
    for (let s = 0; s < n; s += this.maxBatch) {
      const k = Math.min(this.maxBatch, n - s);
      const r = await this.vision.run({ pixel_values: this.rt.tensor('float32', pixels.slice(s * per, (s + k) * per), [k, 3, S, S]) }, ['image_embeds']);
      out.set((await this.rt.read(r.image_embeds)) as Float32Array, s * this.dim);
      dispose(r);
    }
    return out;
  }

  /** Texts → [n, D] embeddings (tokenized, padded/truncated to the model's length). */
  async encodeTexts(texts: readonly string[]): Promise<Float32Array> {
    this.alive();
    const out = new Float32Array(texts.length * this.dim);
    for (let s = 0; s < texts.length; s += this.maxBatch) {
      const part = texts.slice(s, s + this.maxBatch);
      const t = this.tokenize(part);
      const feeds: Record<string, Tensor> = { input_ids: this.rt.tensor('int64', t.ids, [part.length, t.length]) };
      if (this.text.inputNames.includes('attention_mask')) feeds.attention_mask = this.rt.tensor('int64', t.attentionMask, [part.length, t.length]);
      const r = await this.text.run(feeds, ['text_embeds']);
      out.set((await this.rt.read(r.text_embeds)) as Float32Array, s * this.dim);
      dispose(r);
    }
    return out;
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await this.vision.dispose();
    await this.text.dispose();
  }
}

function contractProblems(s: Session, inputs: string[], outputs: string[]): string[] {
  return [
    ...inputs.filter((n) => !s.inputNames.includes(n)).map((n) => `missing input '${n}' (has ${s.inputNames.join(', ')})`),
    ...outputs.filter((n) => !s.outputNames.includes(n)).map((n) => `missing output '${n}' (has ${s.outputNames.join(', ')})`),
  ];
}

function dispose(r: Record<string, Tensor>): void {
  for (const t of Object.values(r)) t.dispose?.();
}

/** Rows scaled to unit L2 norm (a copy). */
export function normalizeRows(x: Float32Array, dim: number): Float32Array {
  const out = new Float32Array(x.length);
  for (let r = 0; r < x.length / dim; r++) {
    let s = 0;
    for (let k = 0; k < dim; k++) s += x[r * dim + k] ** 2;
    const inv = 1 / Math.sqrt(s + 1e-12);
    for (let k = 0; k < dim; k++) out[r * dim + k] = x[r * dim + k] * inv;
  }
  return out;
}

/** a: [n, D], b: [m, D] (already normalized) → [n, m] dot products. */
export function cosineMatrix(a: Float32Array, b: Float32Array, dim: number): Float32Array {
  const n = a.length / dim, m = b.length / dim;
  const out = new Float32Array(n * m);
  for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) {
    let s = 0;
    for (let k = 0; k < dim; k++) s += a[i * dim + k] * b[j * dim + k];
    out[i * m + j] = s;
  }
  return out;
}
