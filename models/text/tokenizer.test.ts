import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { captionScene } from '../data/microworld/captions.ts';
import { captionMesh, sampleMeshSpec } from '../data/microworld/meshScene.ts';
import { Prng } from '../data/microworld/prng.ts';
import { questionsFor } from '../data/microworld/questions.ts';
import { sampleScene } from '../data/microworld/scene.ts';
import { sampleSentence } from '../data/microworld/sentences.ts';
import { pretokenize } from './normalize.ts';
import { MicroTokenizer, toBigInt64 } from './tokenizer.ts';
import { microworldVocabulary } from './buildVocabulary.ts';
import { Vocabulary } from './vocabulary.ts';

const tok = MicroTokenizer.microworld();

function expectWellFormed(e: ReturnType<MicroTokenizer['encode']>, L = 32): void {
  expect(e.ids).toHaveLength(L);
  expect(e.attentionMask).toHaveLength(L);
  expect(e.ids[0]).toBe(tok.vocab.sotId);
  expect(e.ids[e.eotIndex]).toBe(tok.vocab.eotId);
  for (let i = 0; i < L; i++) {
    expect(e.attentionMask[i]).toBe(i <= e.eotIndex ? 1 : 0);
    if (i > e.eotIndex) expect(e.ids[i]).toBe(tok.vocab.padId);
    expect(e.ids[i] >= 0 && e.ids[i] < tok.vocab.size).toBe(true);
  }
  // CLIP exports pool at argmax(input_ids): that must be the end token.
  let argmax = 0;
  for (let i = 1; i < L; i++) if (e.ids[i] > e.ids[argmax]) argmax = i;
  expect(argmax).toBe(e.eotIndex);
}

describe('vocabulary', () => {
  it('the committed vocab.json is exactly what the grammars build (regenerate with `atelier microworld --kind vocab`)', () => {
    const committed = JSON.parse(readFileSync(new URL('./vocab.json', import.meta.url), 'utf8'));
    expect(committed).toEqual(microworldVocabulary().toJSON());
  });

  it('puts <pad> at 0 and <eot> at the highest id, and round-trips through JSON', () => {
    const v = microworldVocabulary();
    expect(v.padId).toBe(0);
    expect(v.eotId).toBe(v.size - 1);
    expect(v.sotId).toBe(v.size - 2);
    expect(Vocabulary.fromJSON(JSON.parse(JSON.stringify(v.toJSON()))).tokens).toEqual(v.tokens);
    expect(() => Vocabulary.fromJSON({ format: 'x', version: 1, tokens: [] } as never)).toThrow();
  });

  it('covers every word the Microworld generators produce (no <unk> on generated text)', () => {
    const rng = new Prng('vocab-coverage');
    const texts: string[] = [];
    for (let i = 0; i < 300; i++) {
      const split = i % 3 === 0 ? 'test' : 'train';
      const scene = sampleScene(rng, { split });
      texts.push(...captionScene(scene).map((c) => c.text));
      for (const q of questionsFor(scene, rng)) texts.push(q.question, q.answer);
      texts.push(...captionMesh(sampleMeshSpec(rng, split)));
      texts.push(sampleSentence(rng, { split }).text);
    }
    const long = MicroTokenizer.microworld({ contextLength: 64 });
    for (const t of texts) expect(long.encode(t).unknownWords, t).toBe(0);
  });
});

describe('MicroTokenizer', () => {
  it('encodes a caption with word spans into the original text', () => {
    const text = 'A Vase made of RED brick.';
    const e = tok.encode(text);
    expectWellFormed(e);
    expect(e.words.map((w) => w.text)).toEqual(['a', 'vase', 'made', 'of', 'red', 'brick', '.']);
    expect(e.words.map((w) => text.slice(w.start, w.end))).toEqual(['A', 'Vase', 'made', 'of', 'RED', 'brick', '.']);
    expect(e.eotIndex).toBe(8);
    expect(e.truncated).toBe(false);
    expect(tok.decode(e.ids)).toBe('a vase made of red brick.');
  });

  it('empty and whitespace-only text → <sot><eot>', () => {
    for (const t of ['', '   ', '\n\t']) {
      const e = tok.encode(t);
      expectWellFormed(e);
      expect(e.eotIndex).toBe(1);
      expect(e.words).toEqual([]);
    }
  });

  it('unknown words become <unk> and keep their spans', () => {
    const text = 'a zorblax star';
    const e = tok.encode(text);
    expectWellFormed(e);
    const unk = e.words.find((w) => w.unknown)!;
    expect(unk.id).toBe(tok.vocab.unkId);
    expect(text.slice(unk.start, unk.end)).toBe('zorblax');
    expect(e.unknownWords).toBe(1);
  });

  it('10,000 characters are truncated visibly', () => {
    const text = 'red star '.repeat(1111) + 'x';
    expect(text.length).toBeGreaterThanOrEqual(10000);
    const e = tok.encode(text);
    expectWellFormed(e);
    expect(e.truncated).toBe(true);
    expect(e.eotIndex).toBe(31);
    expect(e.words).toHaveLength(30);
    expect(e.droppedWords).toBe(2223 - 30);
    const noSpace = tok.encode('a'.repeat(10000));
    expectWellFormed(noSpace);
    expect(noSpace.words).toHaveLength(1);
    expect(noSpace.words[0].unknown).toBe(true);
  });

  it('long inputs (prefix + count path) give the same words, spans and counts as full tokenization', () => {
    const piece = 'A red 🌟 star, ｂｌｕｅ ring\u0000 e\u0301 東京 ';
    const text = piece.repeat(Math.ceil(30000 / piece.length));
    const full = pretokenize(text);
    const e = tok.encode(text);
    expectWellFormed(e);
    expect(e.words.map((w) => [w.text, w.start, w.end])).toEqual(full.slice(0, 30).map((t) => [t.text, t.start, t.end]));
    expect(e.droppedWords).toBe(full.length - 30);
  });

  it('emoji, non-Latin scripts, control characters and broken surrogates never throw', () => {
    const cases = ['a red 🌟 star 👨‍👩‍👧', '赤い星 и синий круг', 'مرحبا star', 'red\u0000star\u0007\u200b!', '\ud83d star', 'ｒｅｄ　ｓｔａｒ', 'CAFÉ e\u0301'];
    for (const t of cases) {
      const e = tok.encode(t);
      expectWellFormed(e);
      for (const w of e.words) {
        expect(w.start).toBeGreaterThanOrEqual(0);
        expect(w.end).toBeLessThanOrEqual(t.length);
        expect(w.end).toBeGreaterThan(w.start);
      }
    }
    // NFKC folds full-width letters; control characters separate words.
    expect(tok.encode('ｒｅｄ　ｓｔａｒ').words.map((w) => w.text)).toEqual(['red', 'star']);
    expect(tok.encode('red\u0000star').words.map((w) => w.text)).toEqual(['red', 'star']);
    const emoji = tok.encode('a red 🌟 star');
    expect(emoji.words.map((w) => w.unknown)).toEqual([false, false, true, false]);
    // Untyped callers passing null do not crash either.
    expectWellFormed(tok.encode(null as unknown as string));
  });

  it('context length is configurable; batches and int64 helpers line up', () => {
    const t8 = MicroTokenizer.microworld({ contextLength: 8 });
    const e = t8.encode('a large red striped star to the left of a ring');
    expect(e.ids).toHaveLength(8);
    expect(e.truncated).toBe(true);
    expect(e.eotIndex).toBe(7);
    expect(() => MicroTokenizer.microworld({ contextLength: 1 })).toThrow(RangeError);
    const b = tok.encodeBatch(['red star', '', 'blue ring']);
    expect(b.ids).toHaveLength(3 * 32);
    expect(Array.from(b.eotIndex)).toEqual([3, 1, 3]);
    expect(Array.from(b.ids.slice(32, 64))).toEqual(Array.from(tok.encode('').ids));
    const big = toBigInt64(b.ids);
    expect(big[0]).toBe(BigInt(tok.vocab.sotId));
    expect(big).toHaveLength(96);
  });
});
