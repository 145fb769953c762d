/**
 * The dock (taskbar): one launcher per workspace, then the Queue and Models tools. Click opens a
 * window, restores it when minimized, raises it when behind, and minimizes it when it is
 * already focused — the Windows taskbar convention.
 */
import { useShallow } from 'zustand/react/shallow';
import { focusedWindow } from '../state/layout.ts';
import { layoutActions, useLayout } from '../state/layoutStore.ts';
import { useStudio } from '../state/studioStore.ts';
import { TOOL_KINDS, WINDOW_INFO, WORKSPACE_KINDS, type WindowKind } from '../state/windowKinds.ts';

function DockItem({ kind, count }: { kind: WindowKind; count?: number }) {
  const { open, minimized, focused } = useLayout(
    useShallow((s) => ({ open: !!s.layout.windows[kind]?.open, minimized: !!s.layout.windows[kind]?.minimized, focused: focusedWindow(s.layout) === kind })),
  );
  const info = WINDOW_INFO[kind];
  const cls = ['dock-item', open && 'open', minimized && 'minimized', focused && 'focused'].filter(Boolean).join(' ');
  return (
    <button className={cls} data-testid={`dock-${kind}`} aria-label={info.title} aria-pressed={focused} onClick={() => layoutActions().toggleFromDock(kind)}>
      <span aria-hidden>{info.glyph}</span>
      {open && <span className="dot" />}
      {count !== undefined && count > 0 && <span className="count">{count}</span>}
      <span className="tip">{info.title}</span>
    </button>
  );
}

export function Dock() {
  // Badge on the Queue launcher: jobs still to finish.
  const pending = useStudio((s) => s.jobs.filter((j) => j.status === 'queued' || j.status === 'running').length);
  return (
    <div className="dock-row">
      <nav className="dock" data-testid="dock" aria-label="Dock">
        {WORKSPACE_KINDS.map((k) => (
          <DockItem key={k} kind={k} />
        ))}
        <span className="dock-sep" />
        {TOOL_KINDS.map((k) => (
          <DockItem key={k} kind={k} count={k === 'queue' ? pending : undefined} />
        ))}
      </nav>
    </div>
  );
}
