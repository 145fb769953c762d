/**
 * The persisted window-layout store: app/state/layout.ts's pure rules behind zustand, saved to
 * localStorage (versioned, migrated, repaired on load) so the desktop comes back after reload.
 * `desk` (the desktop area's size) is measured by the Desktop component and never persisted.
 *
 *   const open = useLayout((s) => s.layout.windows.queue?.open);   // narrow selector
 *   layoutActions().open('queue');
 */
import { create, type StoreApi, type UseBoundStore } from 'zustand';
import { createJSONStorage, persist, type StateStorage } from 'zustand/middleware';
import type { Rect, Size } from './geometry.ts';
import * as L from './layout.ts';
import type { WindowKind } from './windowKinds.ts';

export interface LayoutStore {
  layout: L.Layout;
  desk: Size;
  setDesk(desk: Size): void;
  open(kind: WindowKind): void;
  focus(kind: WindowKind): void;
  minimize(kind: WindowKind): void;
  toggleMaximize(kind: WindowKind): void;
  close(kind: WindowKind): void;
  setRect(kind: WindowKind, rect: Rect): void;
  toggleFromDock(kind: WindowKind): void;
  cycleFocus(): void;
  reset(): void;
}

export const LAYOUT_STORAGE_KEY = 'atelier.layout';

type Persisted = Pick<LayoutStore, 'layout'>;

const initialDesk = (): Size =>
  typeof window === 'undefined' ? { w: 1280, h: 720 } : { w: window.innerWidth, h: Math.max(240, window.innerHeight - 96) };

/** Build a store over any StateStorage (localStorage in the app, a Map in tests). */
export function createLayoutStore(storage: () => StateStorage): UseBoundStore<StoreApi<LayoutStore>> {
  return create<LayoutStore>()(
    persist(
      (set, get) => {
        const apply = (f: (l: L.Layout) => L.Layout) => set((s) => {
          const next = f(s.layout);
          return next === s.layout ? s : { layout: next };
        });
        return {
          layout: L.emptyLayout(),
          desk: initialDesk(),
          setDesk: (desk) => set((s) => {
            const layout = L.fitToDesk(s.layout, desk);
            if (layout === s.layout && s.desk.w === desk.w && s.desk.h === desk.h) return s;
            return { desk, layout };
          }),
          open: (k) => apply((l) => L.openWindow(l, k, get().desk)),
          focus: (k) => apply((l) => L.focusWindow(l, k)),
          minimize: (k) => apply((l) => L.minimizeWindow(l, k)),
          toggleMaximize: (k) => apply((l) => L.toggleMaximize(l, k)),
          close: (k) => apply((l) => L.closeWindow(l, k)),
          setRect: (k, r) => apply((l) => L.setWindowRect(l, k, r, get().desk)),
          toggleFromDock: (k) => apply((l) => L.toggleFromDock(l, k, get().desk)),
          cycleFocus: () => apply(L.cycleFocus),
          reset: () => set({ layout: L.emptyLayout() }),
        };
      },
      {
        name: LAYOUT_STORAGE_KEY,
        version: L.LAYOUT_VERSION,
        storage: createJSONStorage(storage),
        partialize: (s): Persisted => ({ layout: s.layout }),
        migrate: (p, v) => ({ layout: L.migrateLayout((p as Partial<Persisted> | undefined)?.layout, v) }),
        // Same-version data is repaired too: storage can be edited by hand or half-written.
        merge: (p, cur) => ({ ...cur, layout: L.restoreLayout((p as Partial<Persisted> | undefined)?.layout) }),
      },
    ),
  );
}

const memory = new Map<string, string>();
const memoryStorage: StateStorage = {
  getItem: (k) => memory.get(k) ?? null,
  setItem: (k, v) => void memory.set(k, v),
  removeItem: (k) => void memory.delete(k),
};

/** The app's layout store (falls back to memory where localStorage is missing or blocked). */
export const useLayout = createLayoutStore(() => {
  try {
    return typeof localStorage === 'undefined' ? memoryStorage : localStorage;
  } catch {
    return memoryStorage;
  }
});

export const layoutActions = (): LayoutStore => useLayout.getState();
