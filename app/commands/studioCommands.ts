/**
 * The studio's shell commands. Each one is data (id, label, menu, shortcut, when) plus a
 * perform over a small context, so the same definitions feed the menu bar, the palette, the
 * keyboard handler and the cheat sheet, and tests run them by id against a fake client.
 */
import { CommandRegistry, type Command } from './registry.ts';
import { focusedWindow } from '../state/layout.ts';
import type { LayoutStore } from '../state/layoutStore.ts';
import { isFinished } from '../state/queueView.ts';
import type { StudioActions, StudioState } from '../state/studioStore.ts';
import type { Overlay } from '../state/uiStore.ts';
import { WINDOW_INFO, WORKSPACE_KINDS, type WindowKind } from '../state/windowKinds.ts';

export interface StudioCtx {
  layout: LayoutStore;
  studio: StudioState;
  actions: StudioActions;
  ui: { overlay: Overlay; show(o: Overlay): void; toggle(o: Overlay): void; hide(): void };
}

export type StudioCommand = Command<StudioCtx>;

const hasFocused = (c: StudioCtx): boolean => focusedWindow(c.layout.layout) !== undefined;
const onFocused = (f: (c: StudioCtx, k: WindowKind) => void) => (c: StudioCtx) => {
  const k = focusedWindow(c.layout.layout);
  if (k) f(c, k);
};

function openCommand(kind: WindowKind, shortcut: string): StudioCommand {
  const info = WINDOW_INFO[kind];
  return {
    id: `window.open.${kind}`,
    label: `Open ${info.title}`,
    menu: 'Window',
    shortcut,
    keywords: `${info.blurb} workspace ${kind}`,
    perform: (c) => c.layout.open(kind),
  };
}

export function studioCommands(): StudioCommand[] {
  return [
    { id: 'palette.open', label: 'Command Palette…', menu: 'Studio', shortcut: ['Ctrl+K', 'F3'], keywords: 'search run command', perform: (c) => c.ui.toggle('palette') },
    { id: 'layout.reset', label: 'Reset Layout', menu: 'Studio', keywords: 'close all windows default', perform: (c) => c.layout.reset() },
    ...WORKSPACE_KINDS.map((k, i) => openCommand(k, `Alt+${i + 1}`)),
    openCommand('queue', 'Alt+Q'),
    openCommand('models', 'Alt+M'),
    { id: 'window.cycle', label: 'Next Window', menu: 'Window', shortcut: 'Alt+`', keywords: 'switch focus', when: (c) => c.layout.layout.order.length > 1, perform: (c) => c.layout.cycleFocus() },
    { id: 'window.minimize', label: 'Minimize Window', menu: 'Window', shortcut: 'Alt+ArrowDown', when: hasFocused, perform: onFocused((c, k) => c.layout.minimize(k)) },
    { id: 'window.maximize', label: 'Maximize / Restore Window', menu: 'Window', shortcut: 'Alt+ArrowUp', keywords: 'zoom fullscreen', when: hasFocused, perform: onFocused((c, k) => c.layout.toggleMaximize(k)) },
    { id: 'window.close', label: 'Close Window', menu: 'Window', shortcut: 'Alt+W', when: hasFocused, perform: onFocused((c, k) => c.layout.close(k)) },
    {
      id: 'jobs.demo', label: 'Run Demo Job', menu: 'Jobs', shortcut: 'Alt+J', keywords: 'enqueue test queue',
      when: (c) => c.studio.client !== undefined,
      perform: (c) => { c.actions.runDemoJob(); c.layout.open('queue'); },
    },
    {
      id: 'jobs.cancelActive', label: 'Cancel Running Job', menu: 'Jobs', shortcut: 'Alt+.', keywords: 'stop interrupt abort',
      when: (c) => c.studio.jobs.some((j) => j.status === 'running'),
      perform: (c) => { const j = c.studio.jobs.find((x) => x.status === 'running'); if (j) c.actions.cancelJob(j.id); },
    },
    {
      // Blender/A1111 habit: Esc stops the long-running thing — after asking, since a run may be long.
      id: 'jobs.escape', label: 'Stop Running Job…', shortcut: 'Escape', keywords: 'cancel interrupt',
      when: (c) => c.ui.overlay === 'none' && c.studio.jobs.some((j) => j.status === 'running'),
      perform: (c) => c.ui.show('confirm-cancel'),
    },
    {
      id: 'jobs.clearFinished', label: 'Clear Finished Jobs', menu: 'Jobs', keywords: 'remove done failed canceled',
      when: (c) => c.studio.jobs.some((j) => isFinished(j.status) && !c.studio.hiddenJobIds.includes(j.id)),
      perform: (c) => c.actions.clearFinished(),
    },
    { id: 'help.shortcuts', label: 'Keyboard Shortcuts', menu: 'Help', shortcut: 'Shift+?', keywords: 'cheat sheet keys hotkeys', perform: (c) => c.ui.toggle('cheatsheet') },
  ];
}

/** The shell's commands plus any area's (workspaces add theirs); throws on a shortcut conflict. */
export function createStudioRegistry(extra: readonly StudioCommand[] = []): CommandRegistry<StudioCtx> {
  return new CommandRegistry([...studioCommands(), ...extra]);
}
