/** The shortcut cheat sheet (Shift+?), generated from the commands registry, grouped by menu. */
import { useEffect } from 'react';
import { MENUS } from '../commands/registry.ts';
import { registry } from '../commands/appRegistry.ts';
import { uiActions } from '../state/uiStore.ts';
import { Kbd } from '../ui/Kbd.tsx';

export function CheatSheet() {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape') return;
      e.preventDefault();
      uiActions.hide();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  return (
    <div className="overlay" data-testid="cheatsheet-overlay" onPointerDown={(e) => e.target === e.currentTarget && uiActions.hide()}>
      <div className="cheatsheet" role="dialog" aria-label="Keyboard shortcuts" data-testid="cheatsheet">
        <h2>Keyboard shortcuts</h2>
        <div className="cheatsheet-cols">
          {[...MENUS, 'Other' as const].map((m) => {
            const cmds = (m === 'Other' ? registry.list().filter((c) => !c.menu) : registry.menu(m)).filter((c) => c.shortcuts.length > 0);
            if (!cmds.length) return null;
            return (
              <section key={m}>
                <h3>{m}</h3>
                {cmds.map((c) => (
                  <div className="cheatsheet-row" key={c.id}>
                    <span>{c.label}</span>
                    <span className="alt">
                      {c.shortcuts.map((s, i) => (
                        <span key={s} className="alt">{i > 0 && <span className="muted">or</span>}<Kbd shortcut={s} /></span>
                      ))}
                    </span>
                  </div>
                ))}
              </section>
            );
          })}
        </div>
        <p className="muted">Esc closes overlays and menus.</p>
      </div>
    </div>
  );
}
