/**
 * A learnable synthetic image-classification set for trainer tests and the benchmark:
 * class k has a fixed random template; a sample is its template plus Gaussian noise.
 * Templates come from `seed` alone; labels and noise from (seed, split, index), so splits
 * of one seed share the classes, nothing is stored and any sample is reproducible.
 */
import { Prng } from '../data/microworld/prng.ts';
import type { Dataset, HostTensor } from './DataLoader.ts';

export interface SyntheticImagesOptions {
  size: number;
  classes: number;
  channels: number;
  imageSize: number;
  noise?: number;
  seed?: number | string;
  /** e.g. 'train' / 'heldout': same classes, independent samples. */
  split?: string;
}

export class SyntheticImages implements Dataset {
  readonly size: number;
  private readonly templates: Float32Array[];
  private readonly pixels: number;

  constructor(private readonly o: SyntheticImagesOptions) {
    this.size = o.size;
    this.pixels = o.channels * o.imageSize * o.imageSize;
    const rng = new Prng(`${o.seed ?? 0}/templates`);
    this.templates = Array.from({ length: o.classes }, () => rng.fillNormal(new Float32Array(this.pixels), 1));
  }

  private get tag(): string { return `${this.o.seed ?? 0}${this.o.split ? `/${this.o.split}` : ''}`; }

  label(i: number): number {
    return new Prng(`${this.tag}/label/${i}`).int(this.o.classes);
  }

  collate(indices: readonly number[]): Record<string, HostTensor> {
    const { channels: c, imageSize: s, classes: k } = this.o;
    const px = new Float32Array(indices.length * this.pixels);
    const labels = new Float32Array(indices.length * k);
    indices.forEach((idx, r) => {
      const y = this.label(idx);
      const rng = new Prng(`${this.tag}/noise/${idx}`);
      const t = this.templates[y];
      const noise = this.o.noise ?? 1;
      for (let p = 0; p < this.pixels; p++) px[r * this.pixels + p] = t[p] + noise * rng.normal();
      labels[r * k + y] = 1;
    });
    return {
      pixel_values: { dtype: 'float32', dims: [indices.length, c, s, s], data: px },
      labels: { dtype: 'float32', dims: [indices.length, k], data: labels },
    };
  }
}
