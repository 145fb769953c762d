/** Mesh Stylize store: folding job events into losses/previews, export, before/after. */
import { beforeEach, describe, expect, it } from 'vitest';
import type { JobView, StudioClient } from '../worker/StudioClient.ts';
import { useStudio } from './studioStore.ts';
import type { XmeshResult } from '../../pipelines/xmesh/index.ts';
import { applyJob, resetXmesh, useXmesh, xmeshActions } from './xmeshStore.ts';

beforeEach(() => resetXmesh());

const job = (over: Partial<JobView>): JobView => ({ id: 'job-1', task: 'xmesh', label: 'x', status: 'running', createdAt: 0, events: [], ...over });

describe('xmesh store', () => {
  it('picks a sample mesh; unknown samples report an error', () => {
    xmeshActions().pickSample('cone');
    expect(useXmesh.getState().meshName).toBe('sample:cone');
    expect(useXmesh.getState().mesh!.info.vertices).toBeGreaterThan(100);
    xmeshActions().pickSample('dragon');
    expect(useXmesh.getState().meshError).toMatch(/Unknown sample mesh/);
  });

  it('loads a dropped OBJ and reports bad files', async () => {
    await xmeshActions().loadFile('t.obj', new TextEncoder().encode('v 0 0 0\nv 1 0 0\nv 0 1 0\nv 0 0 1\nf 1 3 2\nf 1 2 4\nf 1 4 3\nf 2 3 4\n'));
    expect(useXmesh.getState().mesh!.info.vertices).toBe(4);
    await xmeshActions().loadFile('bad.obj', new TextEncoder().encode('v 0 0 0\nv nan 0 0\nv 0 1 0\nf 1 2 3\n'));
    expect(useXmesh.getState().meshError).toMatch(/non-finite/);
  });

  it('folds loss metrics and previews from job snapshots (bounded event lists, any order)', () => {
    useXmesh.setState({ jobId: 'job-1' });
    const p = (step: number) => ({ type: 'preview' as const, kind: 'mesh' as const, positions: new Float32Array(3), colors: new Float32Array(3).fill(step / 10), step });
    applyJob(job({ events: [p(0), { type: 'metric', name: 'loss', value: -0.1, step: 1 }, { type: 'step', k: 1, n: 10 }] }));
    applyJob(job({ events: [{ type: 'metric', name: 'loss', value: -0.2, step: 2 }, p(5), { type: 'metric', name: 'loss', value: -0.3, step: 3 }] }));
    applyJob(job({ events: [p(0)] })); // an older preview never replaces a newer one
    const s = useXmesh.getState();
    expect(s.losses).toEqual([-0.1, -0.2, -0.3]);
    expect(s.preview!.step).toBe(5);
    expect(s.step).toEqual({ k: 1, n: 10 });
    expect(s.run).toBe('running');
    applyJob(job({ id: 'job-other', status: 'done' }));
    expect(useXmesh.getState().run).toBe('running');
  });

  it('a finished job shows the result; export GLB/PLY carries it; before/after toggles', () => {
    xmeshActions().pickSample('pyramid');
    const mesh = useXmesh.getState().mesh!.mesh;
    useXmesh.setState({ jobId: 'job-1' });
    expect(xmeshActions().exportMesh('glb')).toBeUndefined();
    const result = {
      positions: mesh.positions, colors: new Float32Array(mesh.positions.length).fill(0.7), indices: mesh.indices, offsets: new Float32Array(mesh.positions.length),
      losses: [-0.1, -0.2], msPerIter: 5, recipe: { pipeline: 'xmesh', version: '0', prompt: 'p', params: {}, clip: { imageSize: 16, dim: 8 }, backend: 'wasm', fieldParams: 1, fieldState: 'cpu' },
    } as unknown as XmeshResult;
    applyJob(job({ status: 'done', result }));
    expect(useXmesh.getState().run).toBe('done');
    expect(useXmesh.getState().preview!.colors[0]).toBeCloseTo(0.7);
    const glb = xmeshActions().exportMesh('glb')!;
    expect(glb.name).toMatch(/\.glb$/);
    expect(new TextDecoder().decode(glb.bytes.subarray(0, 4))).toBe('glTF');
    expect(new TextDecoder().decode(glb.bytes)).toContain('"mesh":"sample:pyramid"');
    expect(new TextDecoder().decode(xmeshActions().exportMesh('ply')!.bytes.subarray(0, 3))).toBe('ply');
    xmeshActions().toggleBefore();
    expect(useXmesh.getState().showBefore).toBe(true);
  });
});

describe('xmesh store: pause / resume', () => {
  it('asks the client, shows pausing until the worker confirms with a paused phase, then resumes', () => {
    const calls: string[] = [];
    const client = { pause: (id: string) => calls.push(`pause ${id}`), resume: (id: string) => calls.push(`resume ${id}`) } as unknown as StudioClient;
    useStudio.setState({ client });
    useXmesh.setState({ jobId: 'job-1' });
    applyJob(job({ events: [{ type: 'phase', phase: 'steps' }, { type: 'step', k: 2, n: 10 }] }));
    expect(useXmesh.getState().run).toBe('running');
    xmeshActions().togglePause();
    expect(calls).toEqual(['pause job-1']);
    expect(useXmesh.getState().pending).toBe('pause');
    xmeshActions().togglePause(); // ignored while a request is in flight
    expect(calls).toHaveLength(1);
    applyJob(job({ events: [{ type: 'step', k: 3, n: 10 }, { type: 'phase', phase: 'paused', label: 'paused at iteration 3/10' }] }));
    expect(useXmesh.getState()).toMatchObject({ run: 'paused', pending: undefined });
    // Snapshots without a phase event keep the paused state.
    applyJob(job({ events: [{ type: 'step', k: 3, n: 10 }] }));
    expect(useXmesh.getState().run).toBe('paused');
    xmeshActions().togglePause();
    expect(calls).toEqual(['pause job-1', 'resume job-1']);
    expect(useXmesh.getState().pending).toBe('resume');
    applyJob(job({ events: [{ type: 'phase', phase: 'paused' }, { type: 'phase', phase: 'steps' }, { type: 'step', k: 4, n: 10 }] }));
    expect(useXmesh.getState()).toMatchObject({ run: 'running', pending: undefined });
    // Cancel while paused ends in canceled.
    applyJob(job({ status: 'canceled', events: [{ type: 'phase', phase: 'paused' }] }));
    expect(useXmesh.getState().run).toBe('canceled');
    useStudio.setState({ client: undefined });
  });
});
