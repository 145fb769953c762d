/**
 * Surface patterns of 2D objects, in the object's local frame so a pattern scales with its object.
 * The primary color always covers most of the area (≥ ~60%), so "what color is it" stays the
 * primary color for striped, dotted and checkered objects too.
 */
import type { PatternName, Rgb } from './attributes.ts';

/** The second color of a pattern: a light tint on dark colors, a dark shade on light ones. */
export function secondaryColor(c: Rgb): Rgb {
  const lum = (0.299 * c[0] + 0.587 * c[1] + 0.114 * c[2]) / 255;
  if (lum < 0.55) return [Math.round(c[0] + (255 - c[0]) * 0.8), Math.round(c[1] + (255 - c[1]) * 0.8), Math.round(c[2] + (255 - c[2]) * 0.8)];
  return [Math.round(c[0] * 0.3), Math.round(c[1] * 0.3), Math.round(c[2] * 0.3)];
}

/**
 * True where the pattern shows the secondary color. (x, y) in local units (object radius 1);
 * `angle` rotates stripes so they are not always axis-aligned.
 */
export function patternSecondary(pattern: PatternName, x: number, y: number, angle: number): boolean {
  switch (pattern) {
    case 'solid':
      return false;
    case 'striped': {
      // Period 0.5 local units, secondary band 35% of it.
      const t = x * Math.cos(angle) + y * Math.sin(angle);
      const f = t / 0.5 - Math.floor(t / 0.5);
      return f < 0.35;
    }
    case 'dotted': {
      const p = 0.46;
      const fx = x / p - Math.round(x / p);
      const fy = y / p - Math.round(y / p);
      // Dot radius 0.28 cells: about 25% of the area.
      return fx * fx + fy * fy < 0.28 * 0.28;
    }
    case 'checkered': {
      // Secondary cells are inset to 80% so the primary color keeps ~68% of the area.
      const p = 0.42;
      const u = x / p + 0.5;
      const v = y / p + 0.5;
      const cx = Math.floor(u);
      const cy = Math.floor(v);
      if (((cx + cy) & 1) === 0) return false;
      return Math.abs(u - cx - 0.5) < 0.4 && Math.abs(v - cy - 0.5) < 0.4;
    }
  }
}
