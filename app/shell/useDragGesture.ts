/**
 * One pointer gesture (drag a title bar or a resize edge): captures the pointer, reports the
 * delta from where it started on every move, and commits once on release — so a whole drag is
 * one store update (and one localStorage write), not one per mouse move. onEnd gets (0, 0)
 * when the pointer never moved past a small threshold (a click, not a drag).
 */
import { useCallback, useRef } from 'react';
import type { PointerEvent as ReactPointerEvent } from 'react';

const DRAG_THRESHOLD_PX = 3;

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
      // A few pixels of jitter during a click or double-click is not a drag.
      let dragging = false;
      let last = { dx: 0, dy: 0 };
      const move = (ev: PointerEvent) => {
        const dx = ev.clientX - x0;
        const dy = ev.clientY - y0;
        dragging ||= Math.abs(dx) + Math.abs(dy) >= DRAG_THRESHOLD_PX;
        if (dragging) { last = { dx, dy }; h.onMove(dx, dy); }
      };
      const end = (ev: PointerEvent) => {
        active.current = false;
        el.removeEventListener('pointermove', move);
        el.removeEventListener('pointerup', end);
        el.removeEventListener('pointercancel', end);
        el.removeEventListener('lostpointercapture', end);
        if (el.hasPointerCapture(ev.pointerId)) el.releasePointerCapture(ev.pointerId);
        // Only a pointerup has trustworthy coordinates; a cancel keeps the last drawn position.
        if (!dragging) h.onEnd(0, 0);
        else if (ev.type === 'pointerup') h.onEnd(ev.clientX - x0, ev.clientY - y0);
        else h.onEnd(last.dx, last.dy);
      };
      el.addEventListener('pointermove', move);
      el.addEventListener('pointerup', end);
      el.addEventListener('pointercancel', end);
      // Capture can be lost without a pointerup (window blur, element re-parented): end cleanly.
      el.addEventListener('lostpointercapture', end);
    },
    [start],
  );
}
