/**
 * Window geometry as pure functions, so drag/resize behaviour is unit-tested without a DOM.
 * Coordinates are CSS pixels relative to the desktop area (below the menu bar, above the dock).
 */
export interface Rect { x: number; y: number; w: number; h: number }
export interface Size { w: number; h: number }

export const MIN_SIZE: Size = { w: 300, h: 180 };
/** How much of a window must stay on screen so its title bar can always be grabbed again. */
export const KEEP_VISIBLE = { x: 96, y: 36 };

export type Edge = 'n' | 's' | 'e' | 'w' | 'ne' | 'nw' | 'se' | 'sw';
export const EDGES: readonly Edge[] = ['n', 's', 'e', 'w', 'ne', 'nw', 'se', 'sw'];

const clamp = (v: number, lo: number, hi: number): number => Math.min(Math.max(v, lo), Math.max(lo, hi));

/**
 * Keep a window reachable: never above the desktop top (title bar hidden under the menu bar),
 * and at least KEEP_VISIBLE of it inside the desktop horizontally and vertically.
 * Sizes are capped to the desktop so a layout saved on a big screen still fits a small one.
 */
export function clampRect(r: Rect, desk: Size): Rect {
  const w = Math.round(clamp(r.w, MIN_SIZE.w, Math.max(MIN_SIZE.w, desk.w)));
  const h = Math.round(clamp(r.h, MIN_SIZE.h, Math.max(MIN_SIZE.h, desk.h)));
  const x = Math.round(clamp(r.x, KEEP_VISIBLE.x - w, desk.w - KEEP_VISIBLE.x));
  const y = Math.round(clamp(r.y, 0, desk.h - KEEP_VISIBLE.y));
  return { x, y, w, h };
}

/** The window rect after dragging its title bar by (dx, dy) from `start`. */
export function moveRect(start: Rect, dx: number, dy: number, desk: Size): Rect {
  return clampRect({ ...start, x: start.x + dx, y: start.y + dy }, desk);
}

/**
 * The window rect after dragging `edge` by (dx, dy). The opposite edge stays put, also when
 * the minimum size stops the drag (so a west-edge drag never shoves the window sideways).
 */
export function resizeRect(start: Rect, edge: Edge, dx: number, dy: number, desk: Size): Rect {
  let { x, y, w, h } = start;
  if (edge.includes('e')) w = Math.max(MIN_SIZE.w, Math.min(start.w + dx, desk.w - start.x));
  if (edge.includes('s')) h = Math.max(MIN_SIZE.h, Math.min(start.h + dy, desk.h - start.y));
  if (edge.includes('w')) {
    const right = start.x + start.w;
    x = Math.min(Math.max(start.x + dx, Math.min(0, start.x)), right - MIN_SIZE.w);
    w = right - x;
  }
  if (edge.includes('n')) {
    const bottom = start.y + start.h;
    y = Math.min(Math.max(start.y + dy, 0), bottom - MIN_SIZE.h);
    h = bottom - y;
  }
  return { x: Math.round(x), y: Math.round(y), w: Math.round(Math.max(w, MIN_SIZE.w)), h: Math.round(Math.max(h, MIN_SIZE.h)) };
}

/** Where a newly opened window goes: centred, stepped diagonally by how many are open (cascade). */
export function cascadeRect(size: Size, openCount: number, desk: Size): Rect {
  const step = 28;
  const w = Math.min(size.w, Math.max(MIN_SIZE.w, desk.w - 40));
  const h = Math.min(size.h, Math.max(MIN_SIZE.h, desk.h - 40));
  const baseX = Math.max(16, Math.round((desk.w - w) / 2) - 3 * step);
  const baseY = Math.max(12, Math.round((desk.h - h) / 2) - 2 * step);
  const k = openCount % 6;
  // A new window opens entirely on screen: the cascade step never pushes it past an edge.
  const x = Math.max(0, Math.min(baseX + k * step, desk.w - w));
  const y = Math.max(0, Math.min(baseY + k * step, desk.h - h));
  return clampRect({ x, y, w, h }, desk);
}
