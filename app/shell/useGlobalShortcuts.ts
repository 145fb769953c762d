/**
 * One keydown listener for the whole studio, dispatching through the commands registry.
 * Plain keys (no Ctrl/Alt) are left alone while typing in a field, so '?' types a '?'.
 */
import { useEffect } from 'react';
import { currentCtx, registry } from '../commands/appRegistry.ts';
import { uiActions, useUi } from '../state/uiStore.ts';

function isTyping(t: EventTarget | null): boolean {
  const el = t as HTMLElement | null;
  return !!el && (el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT' || el.isContentEditable);
}

export function useGlobalShortcuts(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.repeat) return;
      if (e.key === 'Escape' && useUi.getState().openMenu) {
        uiActions.setMenu(undefined);
        return;
      }
      const plain = !e.ctrlKey && !e.metaKey && !e.altKey && !/^F\d+$/.test(e.key);
      if (plain && isTyping(e.target)) return;
      const ctx = currentCtx();
      const cmd = registry.match(e, ctx);
      if (!cmd) return;
      e.preventDefault();
      cmd.perform(ctx);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
