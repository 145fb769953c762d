import { describe, expect, it } from 'vitest';
import { MicroTokenizer } from '../../text/tokenizer.ts';
import { TipDataset } from './tipDataset.ts';

const tok = MicroTokenizer.microworld({ contextLength: 12 });
const D = 2;
// Row 0 = NULL, row 1 = a scene.
const embeds = Float32Array.of(1, 0, 0, 1);
const texts = ['a red star', 'freedom is hard to define'];
const visual = [true, false];
const imageOf = Int32Array.of(1, 0);

const words = (ids: BigInt64Array, row: number) => Array.from(ids.subarray(row * 12, (row + 1) * 12), Number);

describe('TipDataset', () => {
  it('pairs each sentence with its image embedding; literal targets are the identity', () => {
    const ds = new TipDataset(texts, imageOf, visual, embeds, D, tok);
    expect(ds.size).toBe(2);
    const b = ds.collate([1, 0]);
    expect(Array.from(b.image_embeds.data as Float32Array)).toEqual([1, 0, 0, 1]);
    expect(Array.from(b.labels.data as Float32Array)).toEqual([1, 0, 0, 1]);
    expect(words(b.input_ids.data as BigInt64Array, 1).slice(0, 5)).toEqual(Array.from(tok.encode('a red star').ids.subarray(0, 5)));
  });

  it('multi targets: rows with the same image share the probability mass', () => {
    const ds = new TipDataset(['a', 'b', 'c'], Int32Array.of(0, 0, 1), [false, false, true], embeds, D, tok, { targets: 'multi' });
    const l = Array.from(ds.collate([0, 1, 2]).labels.data as Float32Array);
    expect(l).toEqual([0.5, 0.5, 0, 0.5, 0.5, 0, 0, 0, 1]);
  });

  it('augmentation: an <unk>-inserted variant of every sentence keeping all its words, and a hidden-words variant of non-visual ones only', () => {
    const ds = new TipDataset(texts, imageOf, visual, embeds, D, tok, { augment: true });
    expect(ds.size).toBe(2 + 2 + 1);
    const all = ds.collate([0, 1, 2, 3, 4]);
    const ids = all.input_ids.data as BigInt64Array;
    const unk = tok.vocab.unkId;
    const known = (r: number) => words(ids, r).filter((id) => id !== unk && id !== tok.vocab.padId && id !== tok.vocab.sotId && id !== tok.vocab.eotId);
    // Item order: sentence 0, its insertion variant, sentence 1, its insertion variant, its hidden-words variant.
    expect(words(ids, 1).filter((id) => id === unk).length).toBeGreaterThan(0);
    expect(known(1)).toEqual(known(0));
    expect(known(3)).toEqual(known(2));
    expect(Array.from((all.image_embeds.data as Float32Array).subarray(4 * D, 5 * D))).toEqual([1, 0]);
  });
});

describe('TipDataset article swap', () => {
  it('adds one variant per sentence with articles, the same words except articles drawn from a / an / the', () => {
    const ids = (w: string) => tok.vocab.lookup(w)!;
    const articles = ['a', 'an', 'the'].map(ids);
    const t = ['a red star on the grass', 'freedom is hard to define'];
    const ds = new TipDataset(t, imageOf, visual, embeds, D, tok, { articleSwap: true });
    // Only the first sentence has articles: 2 originals + 1 swapped variant.
    expect(ds.size).toBe(3);
    const b = ds.collate([0, 1, 2]);
    const rows = b.input_ids.data as BigInt64Array;
    const orig = words(rows, 0), swapped = words(rows, 1);
    expect(swapped).not.toEqual(words(rows, 2));
    orig.forEach((id, k) => {
      if (articles.includes(id)) expect(articles).toContain(swapped[k]);
      else expect(swapped[k]).toBe(id);
    });
    // The variant keeps the sentence's image.
    expect(Array.from((b.image_embeds.data as Float32Array).subarray(D, 2 * D))).toEqual([0, 1]);
    // Deterministic for a seed; across many sentences some article really changes.
    const many = Array.from({ length: 20 }, () => 'a red star on the grass');
    const big = new TipDataset(many, new Int32Array(20).fill(1), new Array<boolean>(20).fill(true), embeds, D, tok, { articleSwap: true });
    const all = big.collate(Array.from({ length: big.size }, (_, i) => i)).input_ids.data as BigInt64Array;
    const changed = Array.from({ length: 20 }, (_, i) => words(all, 2 * i + 1)).filter((r) => r.join() !== orig.join()).length;
    expect(changed).toBeGreaterThan(5);
  });
});

describe('TipDataset hidden-words variants', () => {
  it('maskVisual adds a hidden-words variant of visual sentences too, paired with their scene; maskMax 0 drops the non-visual one', () => {
    const base = new TipDataset(texts, imageOf, visual, embeds, D, tok, { augment: true });
    const both = new TipDataset(texts, imageOf, visual, embeds, D, tok, { augment: true, maskVisual: 0.5 });
    const none = new TipDataset(texts, imageOf, visual, embeds, D, tok, { augment: true, maskMax: 0 });
    expect(both.size).toBe(base.size + 1);
    expect(none.size).toBe(base.size - 1);
    // Visual sentence items: original, insertion variant, hidden-words variant; all with the scene (row 1).
    const b = both.collate([0, 1, 2]);
    expect(Array.from(b.image_embeds.data as Float32Array)).toEqual([0, 1, 0, 1, 0, 1]);
    const ids = b.input_ids.data as BigInt64Array;
    const orig = words(ids, 0), masked = words(ids, 2);
    // Same length and framing; every token either kept or replaced by <unk>.
    orig.forEach((id, k) => expect([id, tok.vocab.unkId]).toContain(masked[k]));
  });

  it('with maskVisual the share of hidden words stays within the bound on average', () => {
    const n = 200;
    const many = Array.from({ length: n }, () => 'a red star on the grass');
    const ds = new TipDataset(many, new Int32Array(n).fill(1), new Array<boolean>(n).fill(true), embeds, D, tok, { augment: true, maskVisual: 0.5 });
    const all = ds.collate(Array.from({ length: ds.size }, (_, i) => i)).input_ids.data as BigInt64Array;
    let hidden = 0;
    for (let i = 0; i < n; i++) hidden += words(all, 3 * i + 2).slice(1, 7).filter((id) => id === tok.vocab.unkId).length;
    const share = hidden / (6 * n);
    expect(share).toBeGreaterThan(0.15);
    expect(share).toBeLessThan(0.35);
  });
});
