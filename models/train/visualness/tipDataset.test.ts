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
