/**
 * Mesh Stylize's commands in the studio registry (menu, palette, shortcut, cheat sheet):
 * pause/resume of the running stylization. The job pauses between iterations, keeping the style
 * field's weights, Adam moments and step, so a resume continues exactly where it stopped.
 */
import type { StudioCommand } from '../../commands/studioCommands.ts';
import { useXmesh, xmeshActions } from '../../state/xmeshStore.ts';

export function xmeshCommands(): StudioCommand[] {
  return [{
    id: 'xmesh.togglePause', label: 'Pause / Resume Stylize', menu: 'Jobs', shortcut: 'Alt+P',
    keywords: 'mesh stylize xmesh text2mesh hold continue',
    when: (c) => {
      const s = useXmesh.getState();
      return (s.run === 'running' || s.run === 'paused') && !s.pending && c.studio.client?.pause !== undefined;
    },
    perform: () => xmeshActions().togglePause(),
  }];
}
