import { describe, expect, it } from 'vitest';
import { chordId, formatChord, formatShortcut, matchesChord, parseShortcut, ShortcutSyntaxError, type KeyLike } from './shortcut.ts';

const ev = (key: string, mods: Partial<KeyLike> = {}): KeyLike => ({ key, ctrlKey: false, metaKey: false, altKey: false, shiftKey: false, ...mods });

describe('parseShortcut', () => {
  it('parses modifiers in any order and case', () => {
    expect(parseShortcut('ctrl+shift+K')).toEqual({ ctrl: true, alt: false, shift: true, key: 'k' });
    expect(chordId(parseShortcut('Shift+Ctrl+k'))).toBe(chordId(parseShortcut('Ctrl+Shift+K')));
    expect(parseShortcut('Mod+Enter')).toEqual({ ctrl: true, alt: false, shift: false, key: 'Enter' });
  });
  it('parses named and function keys, symbols and a literal plus', () => {
    expect(parseShortcut('F3').key).toBe('F3');
    expect(parseShortcut('Alt+ArrowUp').key).toBe('ArrowUp');
    expect(parseShortcut('Esc').key).toBe('Escape');
    expect(parseShortcut('Shift+?')).toMatchObject({ shift: true, key: '?' });
    expect(parseShortcut('Ctrl++').key).toBe('+');
  });
  it('rejects unknown modifiers, unknown keys and empty keys', () => {
    expect(() => parseShortcut('Hyper+K')).toThrow(ShortcutSyntaxError);
    expect(() => parseShortcut('Ctrl+Banana')).toThrow(/unknown key/);
    expect(() => parseShortcut('')).toThrow(/missing key/);
    expect(() => parseShortcut('F13')).toThrow(ShortcutSyntaxError);
  });
});

describe('matchesChord', () => {
  const ck = parseShortcut('Ctrl+K');
  it('matches exact modifiers only', () => {
    expect(matchesChord(ck, ev('k', { ctrlKey: true }))).toBe(true);
    expect(matchesChord(ck, ev('k', { metaKey: true }))).toBe(true);
    expect(matchesChord(ck, ev('k'))).toBe(false);
    expect(matchesChord(ck, ev('K', { ctrlKey: true, shiftKey: true }))).toBe(false);
    expect(matchesChord(ck, ev('k', { ctrlKey: true, altKey: true }))).toBe(false);
  });
  it('matches shifted symbols and function keys', () => {
    expect(matchesChord(parseShortcut('Shift+?'), ev('?', { shiftKey: true }))).toBe(true);
    expect(matchesChord(parseShortcut('F3'), ev('F3'))).toBe(true);
    expect(matchesChord(parseShortcut('F3'), ev('F4'))).toBe(false);
  });
  it('falls back to the physical key when Alt changes the character (macOS)', () => {
    expect(matchesChord(parseShortcut('Alt+J'), { ...ev('∆', { altKey: true }), code: 'KeyJ' })).toBe(true);
    expect(matchesChord(parseShortcut('Alt+1'), { ...ev('¡', { altKey: true }), code: 'Digit1' })).toBe(true);
    expect(matchesChord(parseShortcut('Alt+J'), { ...ev('∆', { altKey: true }), code: 'KeyK' })).toBe(false);
  });
});

describe('formatting', () => {
  it('renders display parts', () => {
    expect(formatChord(parseShortcut('ctrl+shift+k'))).toEqual(['Ctrl', 'Shift', 'K']);
    expect(formatShortcut('Alt+ArrowDown')).toBe('Alt+↓');
    expect(formatShortcut('esc')).toBe('Esc');
  });
});
