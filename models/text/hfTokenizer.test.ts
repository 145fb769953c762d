import { describe, expect, it } from 'vitest';
import { clipTokenizerFixture } from '../zoo/clip/real/tokenizerFixture.ts';
import { ClipBpeTokenizer } from './hfTokenizer.ts';

const f = clipTokenizerFixture();
const tok = ClipBpeTokenizer.fromJSON(f.tokenizerJson, f.tokenizerConfig);

describe('ClipBpeTokenizer (CLIP BPE through @huggingface/tokenizers)', () => {
  it('frames text as <sot> tokens <eot>, padded to 77 with the pad token', () => {
    const e = tok.encode('A photo of a   RED star');
    expect(e.tokens).toEqual(['a</w>', 'photo</w>', 'of</w>', 'a</w>', 'red</w>', 'star</w>']);
    expect(e.ids.length).toBe(77);
    expect(e.ids[0]).toBe(f.sotId);
    expect(e.eotIndex).toBe(7);
    expect(e.ids[7]).toBe(f.eotId);
    expect(Array.from(e.ids.slice(8))).toEqual(new Array(69).fill(f.eotId)); // HF CLIP pads with <|endoftext|>
    expect(Array.from(e.attentionMask.slice(0, 9))).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 0]);
    expect(e.truncated).toBe(false);
    expect(tok.decode(e.ids)).toBe('a photo of a red star');
  });

  it('encodes the empty string as <sot><eot>', () => {
    const e = tok.encode('');
    expect([e.ids[0], e.ids[1], e.eotIndex, e.tokens.length, e.truncated]).toEqual([f.sotId, f.eotId, 1, 0, false]);
    expect(tok.decode(e.ids)).toBe('');
  });

  it('truncates 10,000 characters to 77 ids, keeps <eot> last and reports it', () => {
    const e = tok.encode('red star '.repeat(1111) + 'x');
    expect(e.ids.length).toBe(77);
    expect(e.eotIndex).toBe(76);
    expect(e.ids[76]).toBe(f.eotId);
    expect(e.truncated).toBe(true);
    expect(e.droppedTokens).toBeGreaterThan(100);
    const one = tok.encode('x'.repeat(10_000));
    expect(one.truncated).toBe(true);
    expect(one.ids[76]).toBe(f.eotId);
  });

  it('tokenizes emoji and other scripts as bytes, never failing', () => {
    const e = tok.encode('🎨 a cat 🐱 ßüñ 中文');
    expect(e.tokens.length).toBeGreaterThan(8);
    expect(e.tokens).toContain('cat</w>');
    expect(tok.decode(e.ids)).toContain('🎨');
    const lone = tok.encode('\uD83Dabc'); // lone surrogate (a string cut in half)
    expect(lone.eotIndex).toBeGreaterThan(1);
    // Non-strings from untyped callers do not throw.
    expect(tok.encode(null as unknown as string).eotIndex).toBe(1);
  });

  it('batches as int64 for ONNX and rejects a non-BPE tokenizer.json', () => {
    const b = tok.batch()(['a cat', 'a dog']);
    expect(b.length).toBe(77);
    expect(b.ids.length).toBe(2 * 77);
    expect(b.ids[0]).toBe(BigInt(f.sotId));
    expect(() => ClipBpeTokenizer.fromJSON({ model: { type: 'WordPiece' } })).toThrow(/BPE/);
  });
});
