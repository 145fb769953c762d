import { describe, expect, it } from 'vitest';
import { cascadeRect, clampRect, KEEP_VISIBLE, MIN_SIZE, moveRect, resizeRect } from './geometry.ts';

const desk = { w: 1200, h: 700 };
const r = { x: 100, y: 100, w: 400, h: 300 };

describe('moveRect', () => {
  it('moves by the drag delta', () => {
    expect(moveRect(r, 50, -20, desk)).toEqual({ x: 150, y: 80, w: 400, h: 300 });
  });
  it('never lets the title bar go above the desktop or out of reach', () => {
    expect(moveRect(r, 0, -500, desk).y).toBe(0);
    expect(moveRect(r, 5000, 5000, desk)).toMatchObject({ x: desk.w - KEEP_VISIBLE.x, y: desk.h - KEEP_VISIBLE.y });
    expect(moveRect(r, -5000, 0, desk).x).toBe(KEEP_VISIBLE.x - r.w);
  });
});

describe('resizeRect', () => {
  it('grows from the south-east corner', () => {
    expect(resizeRect(r, 'se', 40, 30, desk)).toEqual({ x: 100, y: 100, w: 440, h: 330 });
  });
  it('keeps the opposite edge fixed when dragging west/north past the minimum size', () => {
    const out = resizeRect(r, 'nw', 1000, 1000, desk);
    expect(out.w).toBe(MIN_SIZE.w);
    expect(out.h).toBe(MIN_SIZE.h);
    expect(out.x + out.w).toBe(r.x + r.w);
    expect(out.y + out.h).toBe(r.y + r.h);
  });
  it('moves only the dragged edge', () => {
    expect(resizeRect(r, 'w', -30, 99, desk)).toEqual({ x: 70, y: 100, w: 430, h: 300 });
    expect(resizeRect(r, 'n', 99, -30, desk)).toEqual({ x: 100, y: 70, w: 400, h: 330 });
  });
  it('stops the north edge at the desktop top and the east edge at the desktop side', () => {
    expect(resizeRect(r, 'n', 0, -500, desk)).toMatchObject({ y: 0, h: 400 });
    expect(resizeRect(r, 'e', 5000, 0, desk).w).toBe(desk.w - r.x);
  });
});

describe('clampRect / cascadeRect', () => {
  it('caps sizes to the desktop and enforces the minimum', () => {
    expect(clampRect({ x: 0, y: 0, w: 5000, h: 10 }, desk)).toEqual({ x: 0, y: 0, w: desk.w, h: MIN_SIZE.h });
  });
  it('opens new windows fully inside a small desktop', () => {
    const small = { w: 1024, h: 510 };
    for (let k = 0; k < 6; k++) {
      const r = cascadeRect({ w: 600, h: 460 }, k, small);
      expect(r.x).toBeGreaterThanOrEqual(0);
      expect(r.y).toBeGreaterThanOrEqual(0);
      expect(r.x + r.w).toBeLessThanOrEqual(small.w);
      expect(r.y + r.h).toBeLessThanOrEqual(small.h);
    }
  });
  it('steps new windows diagonally', () => {
    const a = cascadeRect({ w: 400, h: 300 }, 0, desk);
    const b = cascadeRect({ w: 400, h: 300 }, 1, desk);
    expect(b.x - a.x).toBeGreaterThan(0);
    expect(b.y - a.y).toBe(b.x - a.x);
  });
});
