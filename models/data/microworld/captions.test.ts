import { describe, expect, it } from 'vitest';
import { captionScene, falseCaptions, sampleCaption } from './captions.ts';
import { relationsBetween } from './phrases.ts';
import { Prng } from './prng.ts';
import { questionsFor } from './questions.ts';
import { sampleScene, type Scene } from './scene.ts';

const scenes = (n: number): Scene[] => Array.from({ length: n }, (_x, i) => sampleScene(new Prng(`cap:${i}`)));

describe('captions', () => {
  it('mention every object by color and shape, in both word orders', () => {
    for (const s of scenes(60)) {
      const caps = captionScene(s);
      const list = caps.find((c) => c.style === 'list')!.text;
      const objFirst = caps.find((c) => c.style === 'object-first')!.text;
      for (const o of s.objects) {
        expect(list).toContain(`${o.color} ${o.pattern === 'solid' ? '' : `${o.pattern} `}${o.shape}`);
        expect(objFirst).toMatch(new RegExp(`${o.shape} (that is|colored)[^,]*${o.color}`));
      }
      expect(caps.find((c) => c.style === 'count')!.text).toMatch(/^(one|two|three) object/);
    }
  });

  it('relation captions are true of the geometry', () => {
    let seen = 0;
    for (const s of scenes(80)) {
      const rel = captionScene(s).find((c) => c.style === 'relation');
      if (!rel) {
        expect(s.objects.length === 1 || s.objects.every((a) => s.objects.every((b) => a === b || relationsBetween(a, b, 64).length === 0))).toBe(true);
        continue;
      }
      seen++;
      const m = /^an? (.+?) (to the left of|to the right of|above|below) an? (.+)$/.exec(rel.text);
      expect(m).not.toBeNull();
      const find = (np: string) => s.objects.find((o) => np.startsWith(o.color) && np.endsWith(o.shape))!;
      const a = find(m![1]);
      const b = find(m![3]);
      const expected = { 'to the left of': 'left of', 'to the right of': 'right of', above: 'above', below: 'below' }[m![2]];
      expect(relationsBetween(a, b, 64)).toContain(expected);
    }
    expect(seen).toBeGreaterThan(20);
  });

  it('use the right article', () => {
    const caps = scenes(80).flatMap((s) => captionScene(s).map((c) => c.text));
    for (const t of caps) {
      expect(t).not.toMatch(/\ba [aeiou]/);
      expect(t).not.toMatch(/\ban [^aeiou ]/);
    }
    expect(sampleCaption(scenes(1)[0], new Prng(1)).text.length).toBeGreaterThan(0);
  });
});

describe('false captions (hard negatives)', () => {
  it('change exactly one thing and are false of the scene', () => {
    const kinds = new Set<string>();
    for (const s of scenes(80)) {
      const truth = captionScene(s).find((c) => c.style === 'list')!.text;
      for (const f of falseCaptions(s, new Prng(3))) {
        kinds.add(f.change);
        expect(f.text).not.toBe(truth);
        if (f.change === 'relation') {
          const m = /^an? (.+?) (to the left of|to the right of|above|below) an? (.+)$/.exec(f.text)!;
          const find = (np: string) => s.objects.find((o) => np.startsWith(o.color) && np.endsWith(o.shape))!;
          const stated = { 'to the left of': 'left of', 'to the right of': 'right of', above: 'above', below: 'below' }[m[2]];
          expect(relationsBetween(find(m[1]), find(m[3]), 64)).not.toContain(stated);
          continue;
        }
        // Same number of objects, one noun phrase differs, and that phrase names no object in the scene.
        const a = truth.split(/, | and /);
        const b = f.text.split(/, | and /);
        expect(b).toHaveLength(a.length);
        const diff = b.filter((np, i) => np !== a[i]);
        expect(diff).toHaveLength(1);
        const words = diff[0].split(' ');
        const shape = words[words.length - 1];
        const color = words[1];
        const pattern = words.length === 4 ? words[2] : 'solid';
        expect(s.objects.some((o) => o.color === color && o.shape === shape && o.pattern === pattern)).toBe(false);
      }
    }
    expect([...kinds].sort()).toEqual(['color', 'relation', 'shape']);
  });
});

describe('questions', () => {
  it('an empty hand-built scene only gets the count question', () => {
    const s = { ...scenes(1)[0], objects: [] };
    expect(questionsFor(s, new Prng(1))).toEqual([{ kind: 'count', question: 'how many objects are there?', answer: 'zero' }]);
  });

  it('answers are exact w.r.t. the scene graph', () => {
    let relations = 0;
    for (const s of scenes(80)) {
      const qs = questionsFor(s, new Prng(1));
      const byShape = (sh: string) => s.objects.filter((o) => o.shape === sh);
      for (const q of qs) {
        let m: RegExpExecArray | null;
        if ((m = /^what color is the (\w+)\?$/.exec(q.question))) expect(q.answer).toBe(byShape(m[1])[0].color);
        else if ((m = /^what shape is the (\w+) object\?$/.exec(q.question))) {
          const hits = s.objects.filter((o) => o.color === m![1]);
          expect(hits.length).toBe(1);
          expect(q.answer).toBe(hits[0].shape);
        } else if (q.kind === 'count') expect(q.answer).toBe(['zero', 'one', 'two', 'three'][s.objects.length]);
        else if (q.kind === 'position') expect(q.answer).toBe(byShape(/where is the (\w+)/.exec(q.question)![1])[0].position);
        else if (q.kind === 'exists') {
          const [, color, shape] = /^is there an? (\w+) (\w+)\?$/.exec(q.question)!;
          expect(q.answer).toBe(s.objects.some((o) => o.color === color && o.shape === shape) ? 'yes' : 'no');
        } else if ((m = /^is the (\w+) (left of|right of|above|below) the (\w+)\?$/.exec(q.question))) {
          relations++;
          const rel = relationsBetween(byShape(m[1])[0], byShape(m[3])[0], 64);
          expect(q.answer).toBe(rel.includes(m[2] as never) ? 'yes' : 'no');
        }
      }
      // Questions about a shape are only asked when that shape is unique in the scene.
      for (const q of qs.filter((x) => x.kind === 'color')) expect(byShape(/the (\w+)\?/.exec(q.question)![1]).length).toBe(1);
    }
    expect(relations).toBeGreaterThan(40);
  });
});
