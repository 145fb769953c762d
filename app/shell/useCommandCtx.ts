/**
 * Re-render when anything a command's `when` reads changes (layout, jobs, overlay), so menus
 * and the palette grey out commands correctly. Returns a fresh command context.
 */
import { useLayout } from '../state/layoutStore.ts';
import { useStudio } from '../state/studioStore.ts';
import { useUi } from '../state/uiStore.ts';
import { currentCtx } from '../commands/appRegistry.ts';
import type { StudioCtx } from '../commands/studioCommands.ts';

export function useCommandCtx(): StudioCtx {
  useLayout((s) => s.layout);
  useStudio((s) => s.jobs);
  useStudio((s) => s.client);
  useStudio((s) => s.hiddenJobIds);
  useUi((s) => s.overlay);
  return currentCtx();
}
