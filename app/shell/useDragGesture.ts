/**
 * One pointer gesture (drag a title bar or a resize edge): captures the pointer, reports the
 * delta from where it started on every move, and commits once on release — so a whole drag is
 * one store update (and one localStorage write), not one per mouse move.
 */
import { useCallback, useRef } from 'react';
import type { PointerEvent as ReactPointerEvent } from 'react';

export interface DragHandlers {
  onMove(dx: number, dy: number): void;
  onEnd(dx: number, dy: number): void;
}

export function useDragGesture(start: (e: ReactPointerEvent) => DragHandlers | undefined): (e: ReactPointerEvent) => void {
  const active = useRef(false);
  return useCallback(
    (e: ReactPointerEvent) => {
      if (e.button !== 0 || active.current) return;
      const h = start(e);
      if (!h) return;
      const el = e.currentTarget as HTMLElement;
      const x0 = e.clientX;
      const y0 = e.clientY;
      active.current = true;
      el.setPointerCapture(e.pointerId);
      e.preventDefault();
      const move = (ev: PointerEvent) => h.onMove(ev.clientX - x0, ev.clientY - y0);
      const end = (ev: PointerEvent) => {
        active.current = false;
        el.removeEventListener('pointermove', move);
        el.removeEventListener('pointerup', end);
        el.removeEventListener('pointercancel', end);
        if (el.hasPointerCapture(ev.pointerId)) el.releasePointerCapture(ev.pointerId);
        h.onEnd(ev.clientX - x0, ev.clientY - y0);
      };
      el.addEventListener('pointermove', move);
      el.addEventListener('pointerup', end);
      el.addEventListener('pointercancel', end);
    },
    [start],
  );
}
