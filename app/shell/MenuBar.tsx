/**
 * The menu bar, generated from the commands registry: one dropdown per menu, each item with its
 * shortcut, greyed when its `when` is false. Hovering across titles while a menu is open
 * switches menus, as desktop menu bars do.
 */
import { useEffect } from 'react';
import { MENUS, type MenuName } from '../commands/registry.ts';
import { registry } from '../commands/appRegistry.ts';
import { uiActions, useUi } from '../state/uiStore.ts';
import { Kbd } from '../ui/Kbd.tsx';
import { useCommandCtx } from './useCommandCtx.ts';

function MenuDropdown({ name }: { name: MenuName }) {
  const ctx = useCommandCtx();
  return (
    <div className="menu-dropdown" role="menu" data-testid={`menu-dropdown-${name}`}>
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
