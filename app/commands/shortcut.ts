/**
 * Keyboard shortcuts as data: parse "Ctrl+Shift+K" into a chord, match KeyboardEvents against
 * it, and format it for menus and the cheat sheet. "Ctrl" also matches the Meta (⌘) key so the
 * same registry works on macOS.
 *
 *   const c = parseShortcut('Ctrl+K');
 *   if (matchesChord(c, event)) ...
 */
export interface Chord {
  ctrl: boolean;
  alt: boolean;
  shift: boolean;
  /** Normalized key: lower-case character ('k', '?', '1', '`') or a named key ('Enter', 'F3'). */
  key: string;
}

/** The subset of KeyboardEvent a chord looks at (lets tests pass plain objects). */
export interface KeyLike {
  key: string;
  code?: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
}

const NAMED: Record<string, string> = {
  enter: 'Enter', return: 'Enter', esc: 'Escape', escape: 'Escape', space: ' ', tab: 'Tab',
  backspace: 'Backspace', delete: 'Delete', del: 'Delete', home: 'Home', end: 'End',
  pageup: 'PageUp', pagedown: 'PageDown', up: 'ArrowUp', down: 'ArrowDown', left: 'ArrowLeft', right: 'ArrowRight',
  arrowup: 'ArrowUp', arrowdown: 'ArrowDown', arrowleft: 'ArrowLeft', arrowright: 'ArrowRight', plus: '+',
};

function normalizeKey(raw: string): string | undefined {
  if (raw.length === 1) return raw.toLowerCase();
  const lower = raw.toLowerCase();
  if (NAMED[lower] !== undefined) return NAMED[lower];
  if (/^f([1-9]|1[0-2])$/.test(lower)) return lower.toUpperCase();
  return undefined;
}

export class ShortcutSyntaxError extends Error {
  constructor(shortcut: string, why: string) {
    super(`invalid shortcut "${shortcut}": ${why}`);
    this.name = 'ShortcutSyntaxError';
  }
}

/** Parse "Ctrl+Alt+Shift+<key>" (modifiers in any order, case-insensitive; "Mod"/"Cmd" = Ctrl). */
export function parseShortcut(s: string): Chord {
  // Split on '+' but keep a trailing '+' key ("Ctrl++").
  const parts = s.trim().split(/\+(?!$)/);
  const chord: Chord = { ctrl: false, alt: false, shift: false, key: '' };
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i].trim();
    const last = i === parts.length - 1;
    const mod = p.toLowerCase();
    if (!last) {
      if (mod === 'ctrl' || mod === 'control' || mod === 'mod' || mod === 'cmd' || mod === 'meta') chord.ctrl = true;
      else if (mod === 'alt' || mod === 'option') chord.alt = true;
      else if (mod === 'shift') chord.shift = true;
      else throw new ShortcutSyntaxError(s, `unknown modifier "${p}"`);
      continue;
    }
    if (!p) throw new ShortcutSyntaxError(s, 'missing key');
    const key = normalizeKey(p);
    if (key === undefined) throw new ShortcutSyntaxError(s, `unknown key "${p}"`);
    chord.key = key;
  }
  if (!chord.key) throw new ShortcutSyntaxError(s, 'missing key');
  return chord;
}

/** A canonical string, equal for chords that the keyboard cannot tell apart. */
export function chordId(c: Chord): string {
  return `${c.ctrl ? 'ctrl+' : ''}${c.alt ? 'alt+' : ''}${c.shift ? 'shift+' : ''}${c.key}`;
}

/** Keys from the physical code, for layouts/OSes where Alt or Shift changes `event.key`. */
function keyFromCode(code: string | undefined): string | undefined {
  if (!code) return undefined;
  let m = /^Key([A-Z])$/.exec(code);
  if (m) return m[1].toLowerCase();
  m = /^Digit([0-9])$/.exec(code);
  if (m) return m[1];
  if (code === 'Backquote') return '`';
  return undefined;
}

export function matchesChord(c: Chord, e: KeyLike): boolean {
  if (c.ctrl !== (e.ctrlKey || e.metaKey) || c.alt !== e.altKey || c.shift !== e.shiftKey) return false;
  const key = normalizeKey(e.key) ?? e.key;
  if (key === c.key) return true;
  // macOS Option+letter types a symbol ('∂' for Alt+D): fall back to the physical key.
  return keyFromCode(e.code) === c.key;
}

const DISPLAY: Record<string, string> = { ' ': 'Space', ArrowUp: '↑', ArrowDown: '↓', ArrowLeft: '←', ArrowRight: '→', Escape: 'Esc', '`': '`' };

/** Parts for <kbd> rendering, e.g. ['Ctrl', 'K']. */
export function formatChord(c: Chord): string[] {
  const out: string[] = [];
  if (c.ctrl) out.push('Ctrl');
  if (c.alt) out.push('Alt');
  if (c.shift) out.push('Shift');
  out.push(DISPLAY[c.key] ?? (c.key.length === 1 ? c.key.toUpperCase() : c.key));
  return out;
}

export const formatShortcut = (s: string): string => formatChord(parseShortcut(s)).join('+');
