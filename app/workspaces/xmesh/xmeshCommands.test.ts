/** Alt+P / the palette's "Pause / Resume Stylize" goes through the app registry to the xmesh store. */
import { afterEach, describe, expect, it } from 'vitest';
import { currentCtx, registry, runCommand } from '../../commands/appRegistry.ts';
import { useStudio } from '../../state/studioStore.ts';
import { resetXmesh, useXmesh } from '../../state/xmeshStore.ts';
import type { StudioClient } from '../../worker/StudioClient.ts';

afterEach(() => { resetXmesh(); useStudio.setState({ client: undefined }); });

describe('xmesh.togglePause', () => {
  it('is registered with Alt+P and enabled only while a stylization runs or is paused', () => {
    const cmd = registry.get('xmesh.togglePause')!;
    expect(cmd.shortcuts).toEqual(['Alt+P']);
    const calls: string[] = [];
    useStudio.setState({ client: { pause: (id: string) => calls.push(`pause ${id}`), resume: (id: string) => calls.push(`resume ${id}`) } as unknown as StudioClient });
    expect(cmd.when!(currentCtx())).toBe(false);
    expect(runCommand('xmesh.togglePause')).toBe(false);
    useXmesh.setState({ jobId: 'job-7', run: 'running' });
    expect(runCommand('xmesh.togglePause')).toBe(true);
    expect(calls).toEqual(['pause job-7']);
    // Disabled until the worker confirms.
    expect(cmd.when!(currentCtx())).toBe(false);
    useXmesh.setState({ run: 'paused', pending: undefined });
    expect(runCommand('xmesh.togglePause')).toBe(true);
    expect(calls).toEqual(['pause job-7', 'resume job-7']);
  });
});
