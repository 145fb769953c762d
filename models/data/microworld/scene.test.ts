import { describe, expect, it } from 'vitest';
import { COLORS } from './attributes.ts';
import { Prng } from './prng.ts';
import { renderScene } from './renderScene.ts';
import { POSITION_ANCHORS, sampleScene, type Scene } from './scene.ts';

const scenes = (n: number, split: 'train' | 'test' = 'train', size = 48): Scene[] =>
  Array.from({ length: n }, (_x, i) => sampleScene(new Prng(`scene-test:${i}`), { split, width: size }));

describe('2D scenes', () => {
  it('same seed → identical scene graph and bytes; different seed → different image', () => {
    const a = renderScene(sampleScene(new Prng('s:1')));
    const b = renderScene(sampleScene(new Prng('s:1')));
    const c = renderScene(sampleScene(new Prng('s:2')));
    expect(Buffer.from(a.image.data).equals(Buffer.from(b.image.data))).toBe(true);
    expect(a.boxes).toEqual(b.boxes);
    expect(Buffer.from(a.image.data).equals(Buffer.from(c.image.data))).toBe(false);
  });

  it('respects size options and object counts', () => {
    for (const s of scenes(20)) {
      expect(s.objects.length).toBeGreaterThanOrEqual(1);
      expect(s.objects.length).toBeLessThanOrEqual(3);
      expect(new Set(s.objects.map((o) => o.position)).size).toBe(s.objects.length);
    }
    expect(sampleScene(new Prng(1), { minObjects: 9, maxObjects: 9 }).objects).toHaveLength(5);
    const s = sampleScene(new Prng(1), { width: 40, height: 24, minObjects: 2, maxObjects: 2 });
    const r = renderScene(s);
    expect(r.image.data.length).toBe(40 * 24 * 3);
    expect(s.objects.length).toBe(2);
  });

  it('boxes contain the masks, masks partition coverage, and areas follow sizes', () => {
    for (const s of scenes(25)) {
      const r = renderScene(s);
      const W = s.width;
      const sum = new Float32Array(W * s.height);
      s.objects.forEach((o, i) => {
        const [x0, y0, x1, y1] = r.boxes[i];
        // The footprint lies within the radius disk, and the box within its bounds.
        expect(x0).toBeGreaterThanOrEqual(Math.floor(o.cx - o.radius));
        expect(x1).toBeLessThanOrEqual(Math.ceil(o.cx + o.radius) + 1);
        const m = r.masks[i];
        for (let p = 0; p < m.length; p++) {
          sum[p] += m[p];
          if (m[p] > 0) {
            const x = p % W;
            const y = Math.floor(p / W);
            expect(x >= x0 && x < x1 && y >= y0 && y < y1).toBe(true);
          }
        }
        expect(r.areas[i]).toBeGreaterThan(0);
      });
      for (const v of sum) expect(v).toBeLessThanOrEqual(1 + 1e-5);
    }
  });

  it('masks sit at the named position and fully covered solid pixels have the named color', () => {
    let checkedColor = 0;
    for (const s of scenes(30)) {
      const r = renderScene(s);
      s.objects.forEach((o, i) => {
        const m = r.masks[i];
        let sx = 0, sy = 0, sw = 0;
        for (let p = 0; p < m.length; p++) {
          sx += (p % s.width) * m[p];
          sy += Math.floor(p / s.width) * m[p];
          sw += m[p];
          if (o.pattern === 'solid' && m[p] === 1) {
            const rgb = COLORS[o.color];
            expect([r.image.data[p * 3], r.image.data[p * 3 + 1], r.image.data[p * 3 + 2]]).toEqual([...rgb]);
            checkedColor++;
          }
        }
        // Occlusion can trim a mask, but its centroid stays near the anchor of its position.
        const [ax, ay] = POSITION_ANCHORS[o.position];
        if (sw > 0.5 * r.areas[i]) {
          expect(Math.abs(sx / sw / s.width - ax)).toBeLessThan(0.2);
          expect(Math.abs(sy / sw / s.height - ay)).toBeLessThan(0.2);
        }
      });
    }
    expect(checkedColor).toBeGreaterThan(100);
  });

  it('large objects cover more pixels than small ones of the same shape', () => {
    const base = sampleScene(new Prng(5), { minObjects: 1, maxObjects: 1 });
    const o = base.objects[0];
    const big = renderScene({ ...base, objects: [{ ...o, size: 'large', radius: 0.185 * 64 }] });
    const small = renderScene({ ...base, objects: [{ ...o, size: 'small', radius: 0.115 * 64 }] });
    expect(big.areas[0]).toBeGreaterThan(small.areas[0] * 2);
  });
});
