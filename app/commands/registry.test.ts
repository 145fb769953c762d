import { describe, expect, it } from 'vitest';
import { CommandRegistry, CommandRegistryError, findConflicts, searchCommands, type Command } from './registry.ts';

interface Ctx { log: string[]; enabled: boolean }
const cmd = (id: string, extra: Partial<Command<Ctx>> = {}): Command<Ctx> => ({ id, label: id, perform: (c) => c.log.push(id), ...extra });
const key = (k: string, mods: { ctrl?: boolean; alt?: boolean; shift?: boolean } = {}) => ({ key: k, ctrlKey: !!mods.ctrl, metaKey: false, altKey: !!mods.alt, shiftKey: !!mods.shift });

describe('CommandRegistry', () => {
  it('runs commands by id, respecting when', () => {
    const reg = new CommandRegistry<Ctx>([cmd('a'), cmd('b', { when: (c) => c.enabled })]);
    const ctx: Ctx = { log: [], enabled: false };
    expect(reg.run('a', ctx)).toBe(true);
    expect(reg.run('b', ctx)).toBe(false);
    ctx.enabled = true;
    expect(reg.run('b', ctx)).toBe(true);
    expect(ctx.log).toEqual(['a', 'b']);
    expect(() => reg.run('nope', ctx)).toThrow(/unknown command/);
  });

  it('matches key events to enabled commands, with several shortcuts per command', () => {
    const reg = new CommandRegistry<Ctx>([cmd('palette', { shortcut: ['Ctrl+K', 'F3'] }), cmd('gated', { shortcut: 'Alt+G', when: (c) => c.enabled })]);
    const ctx: Ctx = { log: [], enabled: false };
    expect(reg.match(key('k', { ctrl: true }), ctx)?.id).toBe('palette');
    expect(reg.match(key('F3'), ctx)?.id).toBe('palette');
    expect(reg.match(key('k'), ctx)).toBeUndefined();
    expect(reg.match(key('g', { alt: true }), ctx)).toBeUndefined();
    ctx.enabled = true;
    expect(reg.match(key('g', { alt: true }), ctx)?.id).toBe('gated');
  });

  it('rejects duplicate ids, malformed shortcuts and conflicting shortcuts', () => {
    expect(() => new CommandRegistry<Ctx>([cmd('a'), cmd('a')])).toThrow(CommandRegistryError);
    expect(() => new CommandRegistry<Ctx>([cmd('a', { shortcut: 'Ctrl+Nope' })])).toThrow(/invalid shortcut/);
    expect(() => new CommandRegistry<Ctx>([cmd('a', { shortcut: 'Ctrl+K' }), cmd('b', { shortcut: ['F2', 'ctrl+k'] })])).toThrow(/ctrl\+k → a, b/);
  });

  it('findConflicts reports each clashing chord once with all its commands', () => {
    const conflicts = findConflicts<Ctx>([cmd('a', { shortcut: 'Alt+1' }), cmd('b', { shortcut: 'alt+1' }), cmd('c', { shortcut: 'Alt+1' }), cmd('d', { shortcut: 'Alt+2' })]);
    expect(conflicts).toEqual([{ chord: 'alt+1', ids: ['a', 'b', 'c'] }]);
    expect(findConflicts<Ctx>([cmd('a', { shortcut: ['F3', 'F3'] })])).toEqual([]);
  });

  it('groups commands by menu in registration order', () => {
    const reg = new CommandRegistry<Ctx>([cmd('x', { menu: 'Jobs' }), cmd('y', { menu: 'Window' }), cmd('z', { menu: 'Jobs' }), cmd('p')]);
    expect(reg.menu('Jobs').map((c) => c.id)).toEqual(['x', 'z']);
  });
});

describe('searchCommands', () => {
  const reg = new CommandRegistry<Ctx>([
    cmd('window.open.queue', { label: 'Open Queue' }),
    cmd('jobs.demo', { label: 'Run Demo Job', keywords: 'enqueue' }),
    cmd('window.open.models', { label: 'Open Models' }),
  ]);
  it('ranks prefix hits first and requires every word', () => {
    expect(searchCommands(reg.list(), 'demo').map((c) => c.id)).toEqual(['jobs.demo']);
    expect(searchCommands(reg.list(), 'open m').map((c) => c.id)).toEqual(['window.open.models']);
    expect(searchCommands(reg.list(), 'open').map((c) => c.id)).toEqual(['window.open.queue', 'window.open.models']);
    expect(searchCommands(reg.list(), 'queue').map((c) => c.id)).toEqual(['window.open.queue', 'jobs.demo']);
    expect(searchCommands(reg.list(), 'rdj').map((c) => c.id)).toEqual(['jobs.demo']);
    expect(searchCommands(reg.list(), 'zzz')).toEqual([]);
    expect(searchCommands(reg.list(), '  ').length).toBe(3);
  });
});
