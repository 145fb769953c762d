/**
 * 2D shape footprints as inside-tests in local coordinates: x right, y UP, the shape fills
 * roughly the unit disk. The renderer supersamples these tests for antialiasing, so a shape only
 * needs to answer "is this point inside".
 */
import type { ShapeName } from './attributes.ts';

type Pt = readonly [number, number];

function regularPolygon(n: number, r: number, phase: number): Pt[] {
  const pts: Pt[] = [];
  for (let i = 0; i < n; i++) {
    const a = phase + (2 * Math.PI * i) / n;
    pts.push([r * Math.cos(a), r * Math.sin(a)]);
  }
  return pts;
}

function starPolygon(points: number, outer: number, inner: number): Pt[] {
  const pts: Pt[] = [];
  for (let i = 0; i < points * 2; i++) {
    const a = Math.PI / 2 + (Math.PI * i) / points;
    const r = i % 2 === 0 ? outer : inner;
    pts.push([r * Math.cos(a), r * Math.sin(a)]);
  }
  return pts;
}

/** Even-odd point-in-polygon test. */
export function insidePolygon(poly: readonly Pt[], x: number, y: number): boolean {
  let inside = false;
  for (let i = 0, j = poly.length - 1; i < poly.length; j = i++) {
    const [xi, yi] = poly[i];
    const [xj, yj] = poly[j];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

// Every footprint stays inside the unit disk (so |local| <= 1 bounds the object for boxes).
const TRIANGLE = regularPolygon(3, 0.95, Math.PI / 2).map(([x, y]): Pt => [x, y - 0.05]);
const STAR = starPolygon(5, 1, 0.42);
const HEXAGON = regularPolygon(6, 0.95, 0);

const INSIDE: Record<ShapeName, (x: number, y: number) => boolean> = {
  circle: (x, y) => x * x + y * y <= 0.9 * 0.9,
  square: (x, y) => Math.abs(x) <= 0.7 && Math.abs(y) <= 0.7,
  triangle: (x, y) => insidePolygon(TRIANGLE, x, y),
  star: (x, y) => insidePolygon(STAR, x, y),
  heart: (x, y) => {
    // Classic implicit heart (x² + y² − 1)³ − x² y³ ≤ 0, scaled to fit the unit disk.
    const u = x * 1.33;
    const v = y * 1.33 + 0.15;
    const q = u * u + v * v - 1;
    return q * q * q - u * u * v * v * v <= 0;
  },
  ring: (x, y) => {
    const r2 = x * x + y * y;
    return r2 <= 0.92 * 0.92 && r2 >= 0.55 * 0.55;
  },
  cross: (x, y) => (Math.abs(x) <= 0.3 && Math.abs(y) <= 0.9) || (Math.abs(y) <= 0.3 && Math.abs(x) <= 0.9),
  diamond: (x, y) => Math.abs(x) / 0.7 + Math.abs(y) / 0.98 <= 1,
  hexagon: (x, y) => insidePolygon(HEXAGON, x, y),
  moon: (x, y) => x * x + y * y <= 0.9 * 0.9 && (x - 0.42) * (x - 0.42) + (y - 0.18) * (y - 0.18) > 0.7 * 0.7,
};

/** Inside test of a shape in its local frame (unit radius, y up). */
export function shapeInside(shape: ShapeName, x: number, y: number): boolean {
  return INSIDE[shape](x, y);
}
