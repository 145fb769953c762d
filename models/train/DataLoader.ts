/**
 * Data-loader interface for the Node trainer: a Dataset collates samples by index, the
 * DataLoader walks seeded per-epoch permutations in fixed-size batches. Its whole state
 * (epoch, cursor, and the PRNG state at the start of the epoch) is a few numbers, so a
 * checkpoint can restore the exact batch sequence.
 */
import { Prng } from '../data/microworld/prng.ts';

export interface HostTensor {
  dtype: 'float32' | 'int64';
  dims: number[];
  data: Float32Array | BigInt64Array;
}

export interface Dataset {
  readonly size: number;
  /** Stack the samples at `indices` into one batch (input name → tensor). */
  collate(indices: readonly number[]): Record<string, HostTensor>;
}

export type PrngState = ReturnType<Prng['getState']>;

export interface LoaderState {
  epoch: number;
  /** Batches already taken in this epoch. */
  cursor: number;
  /** PRNG state before this epoch's permutation was drawn. */
  epochRng: PrngState;
}

export interface LoaderOptions {
  batchSize: number;
  seed: number | string;
  shuffle?: boolean;
}

export class DataLoader {
  private readonly rng: Prng;
  private epochRng: PrngState;
  private order: number[] = [];
  epoch = 0;
  cursor = 0;

  constructor(readonly dataset: Dataset, readonly opts: LoaderOptions) {
    if (opts.batchSize < 1 || opts.batchSize > dataset.size) throw new Error(`DataLoader: batch size ${opts.batchSize} does not fit a dataset of ${dataset.size}`);
    this.rng = new Prng(opts.seed);
    this.epochRng = this.rng.getState();
    this.drawOrder();
  }

  /** Full batches per epoch (a trailing partial batch is dropped so shapes stay static). */
  get batchesPerEpoch(): number { return Math.floor(this.dataset.size / this.opts.batchSize); }

  private drawOrder(): void {
    this.epochRng = this.rng.getState();
    this.order = Array.from({ length: this.dataset.size }, (_, i) => i);
    if (this.opts.shuffle ?? true) this.rng.shuffle(this.order);
  }

  /** Indices of the next batch; rolls over to a freshly shuffled epoch. */
  nextIndices(): number[] {
    if (this.cursor >= this.batchesPerEpoch) {
      this.epoch++;
      this.cursor = 0;
      this.drawOrder();
    }
    const b = this.opts.batchSize;
    return this.order.slice(this.cursor * b, ++this.cursor * b);
  }

  next(): Record<string, HostTensor> {
    return this.dataset.collate(this.nextIndices());
  }

  state(): LoaderState {
    return { epoch: this.epoch, cursor: this.cursor, epochRng: structuredClone(this.epochRng) };
  }

  restore(s: LoaderState): void {
    this.rng.setState(s.epochRng);
    this.drawOrder();
    this.epoch = s.epoch;
    this.cursor = s.cursor;
  }
}

/** In-memory dataset of fixed-shape float fields (one row per sample). */
export class ArrayDataset implements Dataset {
  readonly size: number;

  constructor(private readonly fields: Record<string, { data: Float32Array; sampleDims: number[] }>) {
    const sizes = Object.entries(fields).map(([k, f]) => {
      const per = f.sampleDims.reduce((a, b) => a * b, 1);
      if (f.data.length % per) throw new Error(`ArrayDataset: field '${k}' length ${f.data.length} is not a multiple of ${per}`);
      return f.data.length / per;
    });
    if (new Set(sizes).size !== 1) throw new Error(`ArrayDataset: fields disagree on the sample count (${sizes.join(', ')})`);
    this.size = sizes[0];
  }

  collate(indices: readonly number[]): Record<string, HostTensor> {
    const out: Record<string, HostTensor> = {};
    for (const [k, f] of Object.entries(this.fields)) {
      const per = f.sampleDims.reduce((a, b) => a * b, 1);
      const data = new Float32Array(indices.length * per);
      indices.forEach((s, i) => data.set(f.data.subarray(s * per, (s + 1) * per), i * per));
      out[k] = { dtype: 'float32', dims: [indices.length, ...f.sampleDims], data };
    }
    return out;
  }
}
