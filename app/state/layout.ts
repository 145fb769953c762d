/**
 * The desktop layout: which windows are open, where, how big, their stacking order and
 * minimized/maximized flags. Pure functions over a plain value (no zustand, no DOM) so every
 * window-manager rule is unit-tested; app/state/layoutStore.ts wraps them in a persisted store.
 *
 *   let l = emptyLayout();
 *   l = openWindow(l, 'queue', desk);   // opens on top, cascaded
 *   l = minimizeWindow(l, 'queue');     // focus falls to the next window down
 */
import { cascadeRect, clampRect, type Rect, type Size } from './geometry.ts';
import { WINDOW_INFO, isWindowKind, type WindowKind } from './windowKinds.ts';

export interface WindowState {
  rect: Rect;
  open: boolean;
  minimized: boolean;
  maximized: boolean;
}

export interface Layout {
  /** Every window ever opened; closed ones keep their rect so reopening puts them back. */
  windows: Partial<Record<WindowKind, WindowState>>;
  /** Open windows, bottom to top. Minimized windows sink to the bottom. */
  order: WindowKind[];
}

export const emptyLayout = (): Layout => ({ windows: {}, order: [] });

const put = (l: Layout, kind: WindowKind, w: WindowState, order = l.order): Layout => ({ windows: { ...l.windows, [kind]: w }, order });
const raise = (order: WindowKind[], kind: WindowKind): WindowKind[] => [...order.filter((k) => k !== kind), kind];
const sink = (order: WindowKind[], kind: WindowKind): WindowKind[] => [kind, ...order.filter((k) => k !== kind)];

/** The window that receives keyboard commands: the topmost one that is not minimized. */
export function focusedWindow(l: Layout): WindowKind | undefined {
  for (let i = l.order.length - 1; i >= 0; i--) {
    const k = l.order[i];
    if (!l.windows[k]?.minimized) return k;
  }
  return undefined;
}

export function isOpen(l: Layout, kind: WindowKind): boolean {
  return l.windows[kind]?.open === true;
}

/** Open (or restore and raise) a window. Reopened windows come back where they were closed. */
export function openWindow(l: Layout, kind: WindowKind, desk: Size): Layout {
  const cur = l.windows[kind];
  if (cur?.open) return put(l, kind, { ...cur, minimized: false }, raise(l.order, kind));
  const openCount = l.order.length;
  const rect = cur ? clampRect(cur.rect, desk) : cascadeRect(WINDOW_INFO[kind].defaultSize, openCount, desk);
  return put(l, kind, { rect, open: true, minimized: false, maximized: cur?.maximized ?? false }, raise(l.order, kind));
}

/** Raise to the top; a minimized window is restored, as clicking it in a taskbar does. */
export function focusWindow(l: Layout, kind: WindowKind): Layout {
  const cur = l.windows[kind];
  if (!cur?.open) return l;
  if (!cur.minimized && l.order[l.order.length - 1] === kind) return l;
  return put(l, kind, { ...cur, minimized: false }, raise(l.order, kind));
}

export function minimizeWindow(l: Layout, kind: WindowKind): Layout {
  const cur = l.windows[kind];
  if (!cur?.open || cur.minimized) return l;
  return put(l, kind, { ...cur, minimized: true }, sink(l.order, kind));
}

export function toggleMaximize(l: Layout, kind: WindowKind): Layout {
  const cur = l.windows[kind];
  if (!cur?.open) return l;
  return put(l, kind, { ...cur, maximized: !cur.maximized, minimized: false }, raise(l.order, kind));
}

export function closeWindow(l: Layout, kind: WindowKind): Layout {
  const cur = l.windows[kind];
  if (!cur?.open) return l;
  return put(l, kind, { ...cur, open: false, minimized: false }, l.order.filter((k) => k !== kind));
}

/** Commit a moved/resized rect (one gesture = one call). Moving a window un-maximizes it. */
export function setWindowRect(l: Layout, kind: WindowKind, rect: Rect, desk: Size): Layout {
  const cur = l.windows[kind];
  if (!cur?.open) return l;
  return put(l, kind, { ...cur, rect: clampRect(rect, desk), maximized: false }, raise(l.order, kind));
}

/** Taskbar click: minimize the focused window, otherwise open/restore/raise it. */
export function toggleFromDock(l: Layout, kind: WindowKind, desk: Size): Layout {
  return focusedWindow(l) === kind ? minimizeWindow(l, kind) : openWindow(l, kind, desk);
}

/** Alt+`: bring the bottom-most visible window to the top. */
export function cycleFocus(l: Layout): Layout {
  const visible = l.order.filter((k) => !l.windows[k]?.minimized);
  if (visible.length < 2) return l;
  return focusWindow(l, visible[0]);
}

/** After the browser window shrinks, pull every window back within reach. */
export function fitToDesk(l: Layout, desk: Size): Layout {
  const windows: Layout['windows'] = {};
  let changed = false;
  for (const k of Object.keys(l.windows) as WindowKind[]) {
    const w = l.windows[k]!;
    const rect = clampRect(w.rect, desk);
    changed ||= rect.x !== w.rect.x || rect.y !== w.rect.y || rect.w !== w.rect.w || rect.h !== w.rect.h;
    windows[k] = { ...w, rect };
  }
  return changed ? { windows, order: l.order } : l;
}

// ---------------------------------------------------------------------------------------------
// Persistence: versioned, with named migrations next to the type (anchors 1.7 #12).

/** Bump when the persisted shape changes, and add an up-migration from the previous version. */
export const LAYOUT_VERSION = 1;

/**
 * Up-migrations keyed by the version they produce. Version 1 is the first persisted shape, so
 * there is nothing to convert yet; data without a version (zustand reports 0) is only repaired.
 */
export const LAYOUT_MIGRATIONS: Record<number, (prev: unknown) => unknown> = {};

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

function restoreWindow(v: unknown): WindowState | undefined {
  if (typeof v !== 'object' || v === null) return undefined;
  const o = v as Record<string, unknown>;
  const r = o.rect as Record<string, unknown> | undefined;
  if (!r || !isNum(r.x) || !isNum(r.y) || !isNum(r.w) || !isNum(r.h)) return undefined;
  return { rect: { x: r.x, y: r.y, w: r.w, h: r.h }, open: o.open === true, minimized: o.minimized === true, maximized: o.maximized === true };
}

/**
 * Repair whatever came out of storage into a valid Layout: unknown window kinds (a workspace
 * that was removed) and malformed entries are dropped, `order` lists exactly the open windows
 * (each once; missing ones appended), and closed windows are never minimized.
 */
export function restoreLayout(raw: unknown): Layout {
  if (typeof raw !== 'object' || raw === null) return emptyLayout();
  const o = raw as Record<string, unknown>;
  const windows: Layout['windows'] = {};
  const src = typeof o.windows === 'object' && o.windows !== null ? (o.windows as Record<string, unknown>) : {};
  for (const [k, v] of Object.entries(src)) {
    const w = restoreWindow(v);
    if (isWindowKind(k) && w) windows[k] = w.open ? w : { ...w, minimized: false };
  }
  const order: WindowKind[] = [];
  for (const k of Array.isArray(o.order) ? o.order : []) {
    if (isWindowKind(k) && windows[k]?.open && !order.includes(k)) order.push(k);
  }
  for (const k of Object.keys(windows) as WindowKind[]) if (windows[k]!.open && !order.includes(k)) order.push(k);
  return { windows, order };
}

/**
 * zustand `persist` migrate hook. A layout written by a newer build (after a downgrade) is
 * discarded rather than guessed at; older ones run through each up-migration in turn, then
 * restoreLayout repairs the result.
 */
export function migrateLayout(persisted: unknown, fromVersion: number): Layout {
  if (!Number.isInteger(fromVersion) || fromVersion > LAYOUT_VERSION) return emptyLayout();
  let s = persisted;
  for (let v = fromVersion + 1; v <= LAYOUT_VERSION; v++) s = LAYOUT_MIGRATIONS[v]?.(s) ?? s;
  return restoreLayout(s);
}
