import { encode } from 'fast-png';
import { describe, expect, it } from 'vitest';
import { PngError, decodePng, encodePng } from './png.ts';

describe('png', () => {
  it('round-trips RGB and RGBA pixels with tEXt recipes (including non-Latin-1 text)', () => {
    const rgb = new Uint8Array(4 * 3 * 3).map((_v, i) => (i * 37) % 256);
    const recipe = JSON.stringify({ prompt: 'a vase made of red brick 🧱', seed: 7, path: 'C:\\users\\x', esc: '\\u0041' });
    const bytes = encodePng({ width: 4, height: 3, channels: 3, data: rgb }, { recipe, tool: 'atelier' });
    const back = decodePng(bytes);
    expect(back.width).toBe(4);
    expect(back.height).toBe(3);
    expect(back.channels).toBe(3);
    expect(back.data).toEqual(rgb);
    expect(back.text.recipe).toBe(recipe);
    expect(JSON.parse(back.text.recipe).prompt).toBe('a vase made of red brick 🧱');
    expect(back.text.tool).toBe('atelier');
    const rgba = new Uint8Array(2 * 2 * 4).fill(200);
    expect(decodePng(encodePng({ width: 2, height: 2, channels: 4, data: rgba })).data).toEqual(rgba);
  });

  it('is deterministic', () => {
    const img = { width: 3, height: 3, channels: 3 as const, data: new Uint8Array(27).fill(9) };
    expect(encodePng(img, { a: 'b' })).toEqual(encodePng(img, { a: 'b' }));
  });

  it('converts gray and 16-bit images to 8-bit RGB', () => {
    const gray = encode({ width: 2, height: 1, channels: 1, depth: 8, data: new Uint8Array([10, 250]) });
    expect(Array.from(decodePng(gray).data)).toEqual([10, 10, 10, 250, 250, 250]);
    // 1-bit gray: packed bits, rows padded to whole bytes.
    const bits = encode({ width: 3, height: 2, channels: 1, depth: 1, data: new Uint8Array([0b10100000, 0b01000000]) });
    expect(Array.from(decodePng(bits).data)).toEqual([255, 255, 255, 0, 0, 0, 255, 255, 255, 0, 0, 0, 255, 255, 255, 0, 0, 0]);
    const palette = encode({ width: 2, height: 1, channels: 1, depth: 8, data: new Uint8Array([1, 0]), palette: [[255, 0, 0], [0, 0, 255]] });
    expect(Array.from(decodePng(palette).data)).toEqual([0, 0, 255, 255, 0, 0]);
    const deep = encode({ width: 1, height: 1, channels: 3, depth: 16, data: new Uint16Array([65535, 0, 32768]) });
    expect(Array.from(decodePng(deep).data)).toEqual([255, 0, 128]);
  });

  it('rejects non-PNG bytes, truncated files and bad arguments with PngError', () => {
    expect(() => decodePng(new TextEncoder().encode('definitely not a png'))).toThrow(PngError);
    const ok = encodePng({ width: 8, height: 8, channels: 3, data: new Uint8Array(192) });
    expect(() => decodePng(ok.slice(0, 40))).toThrow(PngError);
    expect(() => encodePng({ width: 2, height: 2, channels: 3, data: new Uint8Array(5) })).toThrow(PngError);
    expect(() => encodePng({ width: 0, height: 2, channels: 3, data: new Uint8Array(0) })).toThrow(PngError);
    expect(() => encodePng({ width: 1, height: 1, channels: 3, data: new Uint8Array(3) }, { '': 'x' })).toThrow(PngError);
  });
});
