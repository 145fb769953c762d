import { describe, expect, it } from 'vitest';
import type { StateStorage } from 'zustand/middleware';
import { LAYOUT_VERSION } from './layout.ts';
import { createLayoutStore, LAYOUT_STORAGE_KEY } from './layoutStore.ts';

function memStorage(init: Record<string, string> = {}): StateStorage & { data: Map<string, string> } {
  const data = new Map(Object.entries(init));
  return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v), removeItem: (k) => void data.delete(k) };
}

describe('layout store persistence', () => {
  it('a second store over the same storage sees the same layout (reload)', () => {
    const storage = memStorage();
    const a = createLayoutStore(() => storage);
    a.getState().setDesk({ w: 1200, h: 700 });
    a.getState().open('queue');
    a.getState().open('models');
    a.getState().setRect('queue', { x: 40, y: 50, w: 500, h: 320 });
    a.getState().minimize('models');
    const saved = JSON.parse(storage.data.get(LAYOUT_STORAGE_KEY)!);
    expect(saved.version).toBe(LAYOUT_VERSION);
    expect(saved.state.desk).toBeUndefined();

    const b = createLayoutStore(() => storage);
    expect(b.getState().layout).toEqual(a.getState().layout);
    expect(b.getState().layout.windows.queue!.rect).toEqual({ x: 40, y: 50, w: 500, h: 320 });
    expect(b.getState().layout.windows.models!.minimized).toBe(true);
  });

  it('repairs a hand-edited same-version entry and discards a newer-version one', () => {
    const bad = memStorage({ [LAYOUT_STORAGE_KEY]: JSON.stringify({ version: LAYOUT_VERSION, state: { layout: { windows: { queue: { rect: { x: 1, y: 1, w: 400, h: 300 }, open: true } }, order: 'x' } } }) });
    expect(createLayoutStore(() => bad).getState().layout.order).toEqual(['queue']);
    const newer = memStorage({ [LAYOUT_STORAGE_KEY]: JSON.stringify({ version: LAYOUT_VERSION + 1, state: { layout: { windows: { queue: { rect: { x: 1, y: 1, w: 400, h: 300 }, open: true } }, order: ['queue'] } } }) });
    expect(createLayoutStore(() => newer).getState().layout.order).toEqual([]);
  });

  it('pulls windows back into a smaller desktop and keeps state identity when nothing changes', () => {
    const store = createLayoutStore(() => memStorage());
    store.getState().setDesk({ w: 1400, h: 800 });
    store.getState().open('queue');
    store.getState().setRect('queue', { x: 1200, y: 700, w: 400, h: 300 });
    store.getState().setDesk({ w: 900, h: 500 });
    const r = store.getState().layout.windows.queue!.rect;
    expect(r.x).toBeLessThanOrEqual(900 - 96);
    expect(r.y).toBeLessThanOrEqual(500 - 36);
    const before = store.getState();
    store.getState().setDesk({ w: 900, h: 500 });
    expect(store.getState()).toBe(before);
  });
});
