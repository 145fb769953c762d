/**
 * Images with at least one attribute label (single-object scenes, mesh renders) for the image
 * tower's supervised stage: each item is one image; a batch is `pixel_values` plus the
 * `attr_<head>` one-hots of auxLabels.ts.
 */
import type { Dataset, HostTensor } from '../DataLoader.ts';
import { normalizeInto } from '../../vision/normalize.ts';
import { AUX_ATTRIBUTES, type AuxAttribute, type AuxPriors, auxLabel, auxTensors } from './auxLabels.ts';
import type { ClipSample } from './samples.ts';

export class AttributeDataset implements Dataset {
  readonly size: number;
  private readonly items: number[];
  private readonly pixels: Float32Array;
  private readonly per: number;

  /** `heads`: keep only images labeled for one of these (default: any head); `priors`: also emit `prior_<head>` rows. */
  constructor(readonly samples: readonly ClipSample[], readonly o: { heads?: readonly AuxAttribute[]; priors?: AuxPriors } = {}) {
    const heads = o.heads ?? AUX_ATTRIBUTES;
    this.items = samples.flatMap((s, i) => (heads.some((a) => auxLabel(s.attrs, a) >= 0) ? [i] : []));
    if (!this.items.length) throw new Error('AttributeDataset: no sample has an attribute label');
    this.size = this.items.length;
    const { width: w, height: h } = samples[0].image;
    this.per = 3 * w * h;
    this.pixels = new Float32Array(this.size * this.per);
    this.items.forEach((s, k) => normalizeInto(samples[s].image, this.pixels, k * this.per));
  }

  collate(indices: readonly number[]): Record<string, HostTensor> {
    const B = indices.length, P = this.per;
    const { width: w, height: h } = this.samples[0].image;
    const px = new Float32Array(B * P);
    indices.forEach((k, i) => px.set(this.pixels.subarray(k * P, (k + 1) * P), i * P));
    return { pixel_values: { dtype: 'float32', dims: [B, 3, h, w], data: px }, ...auxTensors(indices.map((k) => this.samples[this.items[k]].attrs), this.o.priors) };
  }
}
