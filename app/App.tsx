/** The studio: menu bar, desktop with windows, dock, status bar, and the overlays. */
import { CheatSheet } from './shell/CheatSheet.tsx';
import { CommandPalette } from './shell/CommandPalette.tsx';
import { ConfirmCancel } from './shell/ConfirmCancel.tsx';
import { Desktop } from './shell/Desktop.tsx';
import { Dock } from './shell/Dock.tsx';
import { MenuBar } from './shell/MenuBar.tsx';
import { StatusBar } from './shell/StatusBar.tsx';
import { Toasts } from './shell/Toasts.tsx';
import { useGlobalShortcuts } from './shell/useGlobalShortcuts.ts';
import { useUi } from './state/uiStore.ts';

export function App() {
  useGlobalShortcuts();
  const overlay = useUi((s) => s.overlay);
  return (
    <div className="studio" data-testid="studio">
      <MenuBar />
      <Desktop />
      <Dock />
      <StatusBar />
      <Toasts />
      {overlay === 'palette' && <CommandPalette />}
      {overlay === 'cheatsheet' && <CheatSheet />}
      {overlay === 'confirm-cancel' && <ConfirmCancel />}
    </div>
  );
}
