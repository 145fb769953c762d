/**
 * The one commands registry: menus, the command palette, keyboard shortcuts and the shortcut
 * cheat sheet are all generated from it, and tests run commands by id (anchors 1.7 #8).
 *
 *   const reg = new CommandRegistry<Ctx>([{ id: 'queue.open', label: 'Open Queue', menu: 'Window',
 *     shortcut: 'Alt+Q', perform: (ctx) => ctx.open('queue') }]);
 *   reg.run('queue.open', ctx);
 *   reg.match(keyboardEvent, ctx)?.perform(ctx);
 */
import { chordId, matchesChord, parseShortcut, type Chord, type KeyLike } from './shortcut.ts';

export type MenuName = 'Studio' | 'Window' | 'Jobs' | 'Help';
export const MENUS: readonly MenuName[] = ['Studio', 'Window', 'Jobs', 'Help'];

export interface Command<C> {
  id: string;
  label: string;
  /** Which menu lists it; commands without one appear only in the palette. */
  menu?: MenuName;
  /** One or more shortcuts, e.g. 'Ctrl+K' or ['Ctrl+K', 'F3']. */
  shortcut?: string | readonly string[];
  /** Extra words the palette matches on. */
  keywords?: string;
  /** Enabled only when this returns true (greyed in menus, skipped by shortcuts). */
  when?: (ctx: C) => boolean;
  perform: (ctx: C) => void;
}

export interface RegisteredCommand<C> extends Command<C> {
  chords: Chord[];
  shortcuts: string[];
}

export interface ShortcutConflict {
  chord: string;
  ids: string[];
}

export class CommandRegistryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CommandRegistryError';
  }
}

const asList = (s: string | readonly string[] | undefined): string[] => (s === undefined ? [] : typeof s === 'string' ? [s] : [...s]);

/** Every chord bound by more than one command (a keypress could only ever run one of them). */
export function findConflicts<C>(commands: readonly Command<C>[]): ShortcutConflict[] {
  const byChord = new Map<string, string[]>();
  for (const c of commands) {
    for (const s of asList(c.shortcut)) {
      const id = chordId(parseShortcut(s));
      const ids = byChord.get(id) ?? [];
      if (!ids.includes(c.id)) ids.push(c.id);
      byChord.set(id, ids);
    }
  }
  return [...byChord].filter(([, ids]) => ids.length > 1).map(([chord, ids]) => ({ chord, ids }));
}

export class CommandRegistry<C> {
  private readonly byId = new Map<string, RegisteredCommand<C>>();

  /** Throws on duplicate ids, malformed shortcuts, or two commands sharing a shortcut. */
  constructor(commands: readonly Command<C>[]) {
    for (const c of commands) {
      if (this.byId.has(c.id)) throw new CommandRegistryError(`duplicate command id "${c.id}"`);
      const shortcuts = asList(c.shortcut);
      this.byId.set(c.id, { ...c, shortcuts, chords: shortcuts.map(parseShortcut) });
    }
    const conflicts = findConflicts(commands);
    if (conflicts.length) {
      throw new CommandRegistryError(`shortcut conflicts: ${conflicts.map((k) => `${k.chord} → ${k.ids.join(', ')}`).join('; ')}`);
    }
  }

  list(): RegisteredCommand<C>[] {
    return [...this.byId.values()];
  }

  get(id: string): RegisteredCommand<C> | undefined {
    return this.byId.get(id);
  }

  enabled(id: string, ctx: C): boolean {
    const c = this.byId.get(id);
    return !!c && (c.when?.(ctx) ?? true);
  }

  /** Run a command by id if it is enabled; returns whether it ran. Unknown ids throw (a typo is a bug). */
  run(id: string, ctx: C): boolean {
    const c = this.byId.get(id);
    if (!c) throw new CommandRegistryError(`unknown command "${id}"`);
    if (!(c.when?.(ctx) ?? true)) return false;
    c.perform(ctx);
    return true;
  }

  /** The enabled command bound to this key event, if any. */
  match(e: KeyLike, ctx: C): RegisteredCommand<C> | undefined {
    for (const c of this.byId.values()) {
      if (c.chords.some((ch) => matchesChord(ch, e)) && (c.when?.(ctx) ?? true)) return c;
    }
    return undefined;
  }

  /** Commands grouped by menu, in registration order. */
  menu(name: MenuName): RegisteredCommand<C>[] {
    return this.list().filter((c) => c.menu === name);
  }
}

/**
 * Palette ranking: every query word must occur in the label/keywords/id (as a substring, or as
 * an in-order subsequence of the label); prefix and word-start hits rank first. Stable for ties.
 */
export function searchCommands<C>(commands: readonly RegisteredCommand<C>[], query: string): RegisteredCommand<C>[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (!words.length) return [...commands];
  const scored: { c: RegisteredCommand<C>; score: number; i: number }[] = [];
  commands.forEach((c, i) => {
    const label = c.label.toLowerCase();
    const hay = `${label} ${c.keywords?.toLowerCase() ?? ''} ${c.id.toLowerCase()}`;
    let score = 0;
    for (const w of words) {
      const at = hay.indexOf(w);
      if (at === 0) score += 3;
      else if (at > 0 && /[\s.-]/.test(hay[at - 1])) score += 2;
      else if (at > 0) score += 1;
      else if (isSubsequence(w, label)) score += 0.5;
      else return;
    }
    scored.push({ c, score, i });
  });
  return scored.sort((a, b) => b.score - a.score || a.i - b.i).map((s) => s.c);
}

function isSubsequence(needle: string, hay: string): boolean {
  let j = 0;
  for (let i = 0; i < hay.length && j < needle.length; i++) if (hay[i] === needle[j]) j++;
  return j === needle.length;
}
