/**
 * A desktop window: title bar (drag to move, double-click to maximize), min/max/close buttons,
 * eight resize handles. While a gesture is in progress the rect lives in local state; the store
 * gets one committed rect when the pointer is released.
 */
import { memo, useCallback, useState, type ReactNode } from 'react';
import type { PointerEvent as ReactPointerEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { EDGES, moveRect, resizeRect, type Edge, type Rect } from '../state/geometry.ts';
import { focusedWindow } from '../state/layout.ts';
import { layoutActions, useLayout } from '../state/layoutStore.ts';
import { WINDOW_INFO, type WindowKind } from '../state/windowKinds.ts';
import { useDragGesture, type DragHandlers } from './useDragGesture.ts';

type GestureStart = (e: ReactPointerEvent) => DragHandlers | undefined;

interface Props {
  kind: WindowKind;
  z: number;
  children: ReactNode;
}

function WindowFrameImpl({ kind, z, children }: Props) {
  const { win, focused } = useLayout(useShallow((s) => ({ win: s.layout.windows[kind], focused: focusedWindow(s.layout) === kind })));
  const [live, setLive] = useState<Rect | null>(null);
  const info = WINDOW_INFO[kind];

  const gesture = useCallback(
    (edge: Edge | 'move'): GestureStart => (e) => {
      const st = useLayout.getState();
      const w = st.layout.windows[kind];
      if (!w || (w.maximized && edge !== 'move')) return undefined;
      const desk = st.desk;
      let start = w.rect;
      if (w.maximized) {
        // Dragging a maximized window restores it under the pointer, keeping the grab point
        // at the same relative spot of the title bar (desktop convention).
        const d = (e.currentTarget as HTMLElement).closest('.desktop')?.getBoundingClientRect();
        const px = e.clientX - (d?.left ?? 0);
        const py = e.clientY - (d?.top ?? 0);
        start = { ...w.rect, x: Math.round(px - w.rect.w * (px / Math.max(1, desk.w))), y: Math.max(0, Math.round(py - 19)) };
      }
      const next = (dx: number, dy: number) => (edge === 'move' ? moveRect(start, dx, dy, desk) : resizeRect(start, edge, dx, dy, desk));
      return {
        onMove: (dx: number, dy: number) => setLive(next(dx, dy)),
        onEnd: (dx: number, dy: number) => {
          setLive(null);
          if (dx !== 0 || dy !== 0) layoutActions().setRect(kind, next(dx, dy));
        },
      };
    },
    [kind],
  );
  const startMove = useDragGesture(useCallback((e: ReactPointerEvent) => ((e.target as HTMLElement).closest('button') ? undefined : gesture('move')(e)), [gesture]));

  if (!win?.open) return null;
  const r = live ?? win.rect;
  const cls = ['window', focused && 'focused', win.minimized && 'minimized', win.maximized && !live && 'maximized', live && 'dragging'].filter(Boolean).join(' ');
  return (
    <section
      className={cls}
      style={{ left: r.x, top: r.y, width: r.w, height: r.h, zIndex: z }}
      data-testid={`window-${kind}`}
      data-focused={focused}
      data-minimized={win.minimized}
      data-maximized={win.maximized}
      aria-label={info.title}
      onPointerDownCapture={() => layoutActions().focus(kind)}
    >
      <header className="titlebar" data-testid={`titlebar-${kind}`} onPointerDown={startMove} onDoubleClick={() => layoutActions().toggleMaximize(kind)}>
        <span className="glyph" aria-hidden>{info.glyph}</span>
        <span className="title">{info.title}</span>
        <div className="win-controls">
          <button className="icon-btn" title="Minimize (Alt+↓)" aria-label="Minimize" data-testid={`win-min-${kind}`} onClick={() => layoutActions().minimize(kind)}>
            <svg width="10" height="10" viewBox="0 0 10 10"><path d="M1 5.5h8" stroke="currentColor" strokeWidth="1.4" /></svg>
          </button>
          <button className="icon-btn" title={win.maximized ? 'Restore (Alt+↑)' : 'Maximize (Alt+↑)'} aria-label={win.maximized ? 'Restore' : 'Maximize'} data-testid={`win-max-${kind}`} onClick={() => layoutActions().toggleMaximize(kind)}>
            {win.maximized ? (
              <svg width="10" height="10" viewBox="0 0 10 10" fill="none" stroke="currentColor" strokeWidth="1.2"><rect x="1" y="3" width="6" height="6" /><path d="M3 3V1h6v6H7" /></svg>
            ) : (
              <svg width="10" height="10" viewBox="0 0 10 10" fill="none" stroke="currentColor" strokeWidth="1.2"><rect x="1" y="1" width="8" height="8" /></svg>
            )}
          </button>
          <button className="icon-btn close" title="Close (Alt+W)" aria-label="Close" data-testid={`win-close-${kind}`} onClick={() => layoutActions().close(kind)}>
            <svg width="10" height="10" viewBox="0 0 10 10"><path d="M1.5 1.5l7 7M8.5 1.5l-7 7" stroke="currentColor" strokeWidth="1.4" /></svg>
          </button>
        </div>
      </header>
      <div className="window-body">{children}</div>
      {EDGES.map((edge) => (
        <ResizeHandle key={edge} edge={edge} kind={kind} start={gesture(edge)} />
      ))}
    </section>
  );
}

function ResizeHandle({ edge, kind, start }: { edge: Edge; kind: WindowKind; start: GestureStart }) {
  const onPointerDown = useDragGesture(start);
  return <div className={`resize ${edge}`} data-testid={`resize-${edge}-${kind}`} onPointerDown={onPointerDown} />;
}

export const WindowFrame = memo(WindowFrameImpl);
