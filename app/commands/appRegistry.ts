/**
 * The app's live registry and the context its commands run against (read fresh from the
 * stores at the moment a command runs, so `when` and `perform` never see stale state).
 */
import { useLayout } from '../state/layoutStore.ts';
import { studioActions, useStudio } from '../state/studioStore.ts';
import { uiActions, useUi } from '../state/uiStore.ts';
import { createStudioRegistry, type StudioCtx } from './studioCommands.ts';
import { xmeshCommands } from '../workspaces/xmesh/xmeshCommands.ts';

/**
 * Workspaces register their commands by adding them here, e.g. `createStudioRegistry([...xmeshCommands()])`.
 * Construction throws on duplicate ids or shared shortcuts, and appRegistry.test.ts builds it,
 * so a conflict fails the unit tests rather than surprising a user.
 */
export const registry = createStudioRegistry([...xmeshCommands()]);

export function currentCtx(): StudioCtx {
  return {
    layout: useLayout.getState(),
    studio: useStudio.getState(),
    actions: studioActions(),
    ui: { overlay: useUi.getState().overlay, show: uiActions.show, toggle: uiActions.toggle, hide: uiActions.hide },
  };
}

export const runCommand = (id: string): boolean => registry.run(id, currentCtx());
