/**
 * The desktop area: measures itself (window geometry is relative to it) and stacks the open
 * windows in z-order. Closed windows are not rendered at all, minimized ones stay mounted but
 * hidden so a workspace keeps its in-progress state.
 */
import { useLayoutEffect, useRef } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { layoutActions, useLayout } from '../state/layoutStore.ts';
import { Kbd } from '../ui/Kbd.tsx';
import { WINDOW_INFO } from '../state/windowKinds.ts';
import { WINDOW_CONTENT } from './windowContent.tsx';
import { WindowErrorBoundary } from './WindowErrorBoundary.tsx';
import { WindowFrame } from './WindowFrame.tsx';

export function Desktop() {
  const ref = useRef<HTMLDivElement>(null);
  const order = useLayout(useShallow((s) => s.layout.order));

  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const measure = () => layoutActions().setDesk({ w: el.clientWidth, h: el.clientHeight });
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  return (
    <main className="desktop" ref={ref} data-testid="desktop">
      {order.length === 0 && (
        <div className="desktop-empty" data-testid="desktop-empty">
          <h1>Atelier</h1>
          <p>Launch a workspace from the dock below.</p>
          <p>
            <Kbd shortcut="Ctrl+K" /> commands · <Kbd shortcut="Shift+?" /> shortcuts
          </p>
        </div>
      )}
      {order.map((kind, i) => {
        const Content = WINDOW_CONTENT[kind];
        return (
          <WindowFrame key={kind} kind={kind} z={10 + i}>
            <WindowErrorBoundary title={WINDOW_INFO[kind].title}>
              <Content />
            </WindowErrorBoundary>
          </WindowFrame>
        );
      })}
    </main>
  );
}
