import { describe, expect, it } from 'vitest';
import { findConflicts } from './registry.ts';
import { registry, runCommand } from './appRegistry.ts';
import { createStudioRegistry, type StudioCommand } from './studioCommands.ts';
import { useLayout } from '../state/layoutStore.ts';
import { useUi } from '../state/uiStore.ts';

describe('app registry', () => {
  it('builds without conflicts and runs commands against the live stores', () => {
    expect(findConflicts(registry.list())).toEqual([]);
    expect(runCommand('window.open.models')).toBe(true);
    expect(useLayout.getState().layout.windows.models?.open).toBe(true);
    expect(runCommand('help.shortcuts')).toBe(true);
    expect(useUi.getState().overlay).toBe('cheatsheet');
  });

  it('rejects an area command that reuses a shell shortcut', () => {
    const clash: StudioCommand = { id: 'xmesh.run', label: 'Stylize', shortcut: 'Ctrl+K', perform: () => {} };
    expect(() => createStudioRegistry([clash])).toThrow(/ctrl\+k → palette.open, xmesh.run/);
    expect(createStudioRegistry([{ ...clash, shortcut: 'Ctrl+Enter' }]).get('xmesh.run')).toBeDefined();
  });
});
