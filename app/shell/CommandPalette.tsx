/**
 * The command palette (Ctrl+K / F3): type to filter every registered command, arrows to move,
 * Enter to run, Esc to close. Disabled commands are listed greyed so users learn they exist.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { searchCommands } from '../commands/registry.ts';
import { registry } from '../commands/appRegistry.ts';
import { uiActions } from '../state/uiStore.ts';
import { Kbd } from '../ui/Kbd.tsx';
import { useCommandCtx } from './useCommandCtx.ts';

export function CommandPalette() {
  const ctx = useCommandCtx();
  const [query, setQuery] = useState('');
  const [sel, setSel] = useState(0);
  const input = useRef<HTMLInputElement>(null);
  const results = useMemo(() => searchCommands(registry.list(), query), [query]);
  const enabled = (id: string) => registry.get(id)?.when?.(ctx) ?? true;

  useEffect(() => input.current?.focus(), []);
  useEffect(() => setSel(0), [query]);

  const run = (id: string) => {
    if (!enabled(id)) return;
    uiActions.hide();
    registry.run(id, ctx);
  };

  const onKeyDown = (e: React.KeyboardEvent) => {
    if (e.key === 'ArrowDown') { e.preventDefault(); setSel((s) => Math.min(results.length - 1, s + 1)); }
    else if (e.key === 'ArrowUp') { e.preventDefault(); setSel((s) => Math.max(0, s - 1)); }
    else if (e.key === 'Enter') { e.preventDefault(); const c = results[sel]; if (c) run(c.id); }
    else if (e.key === 'Escape') { e.preventDefault(); uiActions.hide(); }
  };

  return (
    <div className="overlay" data-testid="palette-overlay" onPointerDown={(e) => e.target === e.currentTarget && uiActions.hide()}>
      <div className="palette" role="dialog" aria-label="Command palette" data-testid="palette">
        <input
          ref={input}
          value={query}
          placeholder="Type a command…"
          aria-label="Command"
          data-testid="palette-input"
          onChange={(e) => setQuery(e.target.value)}
          onKeyDown={onKeyDown}
        />
        {results.length === 0 ? (
          <div className="palette-empty">No command matches “{query}”.</div>
        ) : (
          <ul className="palette-list" role="listbox">
            {results.map((c, i) => (
              <li
                key={c.id}
                role="option"
                aria-selected={i === sel}
                aria-disabled={!enabled(c.id)}
                className={`palette-item ${i === sel ? 'selected' : ''} ${enabled(c.id) ? '' : 'disabled'}`}
                data-testid={`palette-item-${c.id}`}
                onPointerMove={() => setSel(i)}
                onClick={() => run(c.id)}
              >
                <span className="cat">{c.menu ?? ''}</span>
                <span className="lbl">{c.label}</span>
                {c.shortcuts[0] && <Kbd shortcut={c.shortcuts[0]} />}
              </li>
            ))}
          </ul>
        )}
        <div className="palette-foot">
          <span>↑↓ select</span>
          <span>↵ run</span>
          <span>Esc close</span>
        </div>
      </div>
    </div>
  );
}
