import { formatShortcut } from '../commands/shortcut.ts';

/** A shortcut rendered as keycaps: 'Ctrl+K' → [Ctrl][K]. */
export function Kbd({ shortcut }: { shortcut: string }) {
  return (
    <span className="kbd-group">
      {formatShortcut(shortcut).split(/\+(?!$)/).map((p, i) => (
        <kbd key={i}>{p}</kbd>
      ))}
    </span>
  );
}
