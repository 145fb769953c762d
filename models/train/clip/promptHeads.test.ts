import { describe, expect, it } from 'vitest';
import { MATERIALS } from '../../data/microworld/attributes.ts';
import { MicroTokenizer } from '../../text/tokenizer.ts';
import { MaterialPromptTable, promptHeads } from './promptHeads.ts';
import { classPrompts } from './prompts.ts';
import type { SampleAttrs } from './samples.ts';

describe('prompt heads', () => {
  const table = new MaterialPromptTable();

  it('material rows give every class the exact prompt the evaluation shows for that image color', () => {
    expect(new Set(table.texts).size).toBe(table.texts.length);
    for (const color of [undefined, 'blue', 'white'] as const) {
      expect(table.rows(color).map((r) => table.texts[r])).toEqual(classPrompts('material', color).prompts);
    }
    // Plain materials share one prompt across colors; colored ones differ.
    expect(table.rows('blue')[MATERIALS.indexOf('gold')]).toBe(table.rows('red')[MATERIALS.indexOf('gold')]);
    expect(table.rows('blue')[MATERIALS.indexOf('stripes')]).not.toBe(table.rows('red')[MATERIALS.indexOf('stripes')]);
  });

  it('select is one-hot per class for labeled mesh renders and all zero elsewhere', () => {
    const attrs: SampleAttrs[] = [
      { kind: 'mesh', material: 'stripes', mesh: 'vase', color: 'green', objects: 1 },
      { kind: 'scene', color: 'red', shape: 'star', pattern: 'solid', objects: 1 },
    ];
    const t = table.select(attrs);
    const P = table.texts.length, K = MATERIALS.length;
    expect(t.dims).toEqual([2, P, K]);
    const d = t.data as Float32Array;
    for (let k = 0; k < K; k++) {
      const col = Array.from({ length: P }, (_, p) => d[p * K + k]);
      expect(col.reduce((a, b) => a + b)).toBe(1);
      expect(table.texts[col.indexOf(1)]).toBe(classPrompts('material', 'green').prompts[k]);
    }
    expect(d.subarray(P * K).every((v) => v === 0)).toBe(true);
  });

  it('builds color, shape, pattern and material heads with prompts × context ids', () => {
    const tok = MicroTokenizer.microworld();
    const h = promptHeads(tok, 0.5, true, table);
    expect(h.heads.map((x) => x.name)).toEqual(['color', 'shape', 'pattern', 'material']);
    for (const x of h.heads) expect(x.ids.length).toBe((x.prompts ?? x.classes) * tok.contextLength);
    expect(h.heads[3].prompts).toBe(table.texts.length);
  });
});
