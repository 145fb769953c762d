/**
 * The menu bar, generated from the commands registry: one dropdown per menu, each item with its
 * shortcut, greyed when its `when` is false. Hovering across titles while a menu is open
 * switches menus, as desktop menu bars do.
 */
import { useEffect, useRef } from 'react';
import { MENUS, type MenuName } from '../commands/registry.ts';
import { registry } from '../commands/appRegistry.ts';
import { uiActions, useUi } from '../state/uiStore.ts';
import { Kbd } from '../ui/Kbd.tsx';
import { useCommandCtx } from './useCommandCtx.ts';

/** Arrow keys move between enabled items; Left/Right switch to the neighbouring menu. */
function onMenuKey(e: React.KeyboardEvent<HTMLDivElement>, name: MenuName) {
  const items = [...e.currentTarget.querySelectorAll<HTMLButtonElement>('.menu-item:not(:disabled)')];
  const at = items.indexOf(document.activeElement as HTMLButtonElement);
  if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
    e.preventDefault();
    const step = e.key === 'ArrowDown' ? 1 : -1;
    items[(at + step + items.length) % items.length]?.focus();
  } else if (e.key === 'ArrowLeft' || e.key === 'ArrowRight') {
    e.preventDefault();
    const i = MENUS.indexOf(name) + (e.key === 'ArrowRight' ? 1 : -1);
    uiActions.setMenu(MENUS[(i + MENUS.length) % MENUS.length]);
  }
}

function MenuDropdown({ name }: { name: MenuName }) {
  const ctx = useCommandCtx();
  const ref = useRef<HTMLDivElement>(null);
  // Focus the first enabled item so the keyboard works as soon as a menu opens.
  useEffect(() => ref.current?.querySelector<HTMLButtonElement>('.menu-item:not(:disabled)')?.focus(), [name]);
  return (
    <div className="menu-dropdown" role="menu" data-testid={`menu-dropdown-${name}`} ref={ref} onKeyDown={(e) => onMenuKey(e, name)}>
      {registry.menu(name).map((c) => {
        const enabled = c.when?.(ctx) ?? true;
        return (
          <button
            key={c.id}
            className="menu-item"
            role="menuitem"
            disabled={!enabled}
            data-testid={`menuitem-${c.id}`}
            onClick={() => {
              uiActions.setMenu(undefined);
              registry.run(c.id, ctx);
            }}
          >
            <span>{c.label}</span>
            {c.shortcuts[0] && <Kbd shortcut={c.shortcuts[0]} />}
          </button>
        );
      })}
    </div>
  );
}

export function MenuBar() {
  const openMenu = useUi((s) => s.openMenu);

  useEffect(() => {
    if (!openMenu) return;
    const close = (e: PointerEvent) => {
      if (!(e.target as HTMLElement).closest('.menu')) uiActions.setMenu(undefined);
    };
    window.addEventListener('pointerdown', close);
    return () => window.removeEventListener('pointerdown', close);
  }, [openMenu]);

  return (
    <header className="menubar" data-testid="menubar">
      <div className="brand">
        <span className="brand-mark" aria-hidden />
        Atelier
      </div>
      {MENUS.map((name) => (
        <div className="menu" key={name}>
          <button
            className={`menu-title ${openMenu === name ? 'open' : ''}`}
            data-testid={`menu-${name}`}
            aria-haspopup="menu"
            aria-expanded={openMenu === name}
            onClick={() => uiActions.setMenu(openMenu === name ? undefined : name)}
            onPointerEnter={() => openMenu && openMenu !== name && uiActions.setMenu(name)}
          >
            {name}
          </button>
          {openMenu === name && <MenuDropdown name={name} />}
        </div>
      ))}
      <div className="menubar-right">
        <button className="search-hint" data-testid="open-palette" onClick={() => uiActions.show('palette')}>
          Search commands <Kbd shortcut="Ctrl+K" />
        </button>
      </div>
    </header>
  );
}
