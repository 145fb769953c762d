import { afterEach, describe, expect, it } from 'vitest';
import type { StateStorage } from 'zustand/middleware';
import { focusedWindow } from '../state/layout.ts';
import { createLayoutStore } from '../state/layoutStore.ts';
import { FakeStudioClient } from '../state/fakeClient.ts';
import { connectClient, studioActions, useStudio } from '../state/studioStore.ts';
import type { Overlay } from '../state/uiStore.ts';
import { createStudioRegistry, type StudioCtx } from './studioCommands.ts';

const mem = (): StateStorage => { const m = new Map<string, string>(); return { getItem: (k) => m.get(k) ?? null, setItem: (k, v) => void m.set(k, v), removeItem: (k) => void m.delete(k) }; };

function setup() {
  const layout = createLayoutStore(mem);
  layout.getState().setDesk({ w: 1280, h: 720 });
  const ui = { overlay: 'none' as Overlay };
  const ctx = (): StudioCtx => ({
    layout: layout.getState(),
    studio: useStudio.getState(),
    actions: studioActions(),
    ui: { overlay: ui.overlay, show: (o) => { ui.overlay = o; }, toggle: (o) => { ui.overlay = ui.overlay === o ? 'none' : o; }, hide: () => { ui.overlay = 'none'; } },
  });
  return { layout, ui, ctx, reg: createStudioRegistry() };
}

let disconnect: (() => void) | undefined;
afterEach(() => disconnect?.());

describe('studio commands', () => {
  it('the registry builds without conflicts and every command is reachable from a menu or the palette', () => {
    const { reg } = setup();
    expect(reg.list().length).toBeGreaterThan(10);
    for (const id of ['palette.open', 'help.shortcuts', 'jobs.demo', 'window.open.xmesh', 'window.open.caption', 'window.open.queue', 'window.open.models']) expect(reg.get(id)).toBeDefined();
  });

  it('window commands act on the focused window', () => {
    const { layout, ctx, reg } = setup();
    reg.run('window.open.queue', ctx());
    reg.run('window.open.models', ctx());
    expect(focusedWindow(layout.getState().layout)).toBe('models');
    reg.run('window.maximize', ctx());
    expect(layout.getState().layout.windows.models!.maximized).toBe(true);
    reg.run('window.minimize', ctx());
    expect(focusedWindow(layout.getState().layout)).toBe('queue');
    reg.run('window.close', ctx());
    expect(layout.getState().layout.order).toEqual(['models']);
    // models is minimized, so nothing has focus: window commands are disabled.
    expect(reg.run('window.minimize', ctx())).toBe(false);
    expect(reg.enabled('window.close', ctx())).toBe(false);
  });

  it('palette and cheat sheet toggle through their shortcuts', () => {
    const { ui, ctx, reg } = setup();
    const k = { key: 'k', ctrlKey: true, metaKey: false, altKey: false, shiftKey: false };
    reg.match(k, ctx())!.perform(ctx());
    expect(ui.overlay).toBe('palette');
    reg.match({ ...k, key: 'F3', ctrlKey: false }, ctx())!.perform(ctx());
    expect(ui.overlay).toBe('none');
    reg.match({ ...k, key: '?', ctrlKey: false, shiftKey: true }, ctx())!.perform(ctx());
    expect(ui.overlay).toBe('cheatsheet');
  });

  it('demo job: disabled without a client; enqueues task demo with 40 steps and opens the Queue', () => {
    const { layout, ctx, reg } = setup();
    expect(reg.enabled('jobs.demo', ctx())).toBe(false);
    const client = new FakeStudioClient();
    disconnect = connectClient(client);
    expect(reg.run('jobs.demo', ctx())).toBe(true);
    const jobs = useStudio.getState().jobs;
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({ task: 'demo', status: 'running', step: { k: 0, n: 40 } });
    expect(focusedWindow(layout.getState().layout)).toBe('queue');
  });

  it('cancel-running, clear-finished and reorder go through the client', () => {
    const { ctx, reg } = setup();
    const client = new FakeStudioClient();
    disconnect = connectClient(client);
    const a = studioActions().runDemoJob();
    const b = studioActions().runDemoJob();
    const c = studioActions().runDemoJob();
    studioActions().moveJob(c, -1);
    expect(useStudio.getState().jobs.filter((j) => j.status === 'queued').map((j) => j.id)).toEqual([c, b]);
    expect(reg.enabled('jobs.clearFinished', ctx())).toBe(false);
    reg.run('jobs.cancelActive', ctx());
    const st = () => Object.fromEntries(useStudio.getState().jobs.map((j) => [j.id, j.status]));
    expect(st()).toEqual({ [a]: 'canceled', [b]: 'queued', [c]: 'running' });
    reg.run('jobs.clearFinished', ctx());
    expect(useStudio.getState().hiddenJobIds).toEqual([a]);
    expect(reg.enabled('jobs.clearFinished', ctx())).toBe(false);
  });
});

describe('Esc while a job runs', () => {
  it('asks for confirmation only when a job is running and no overlay is up', () => {
    const { ui, ctx, reg } = setup();
    const esc = { key: 'Escape', ctrlKey: false, metaKey: false, altKey: false, shiftKey: false };
    disconnect = connectClient(new FakeStudioClient());
    expect(reg.match(esc, ctx())).toBeUndefined();
    studioActions().runDemoJob();
    reg.match(esc, ctx())!.perform(ctx());
    expect(ui.overlay).toBe('confirm-cancel');
    expect(reg.match(esc, ctx())).toBeUndefined();
  });
});

describe('studio store models', () => {
  it('records a rejected load as that model\'s error and refreshes storage after delete', async () => {
    const client = new FakeStudioClient({
      models: [
        { id: 'ok', task: 'demo', title: 'OK', bytes: 1000, cached: false, needs: {}, source: 'assets', status: 'idle' },
        { id: 'bad', task: 'demo', title: 'Bad', bytes: 10, cached: false, needs: {}, source: 'assets', status: 'idle' },
      ],
      failLoads: { bad: 'bad: bytes are not an ONNX model' },
    });
    disconnect = connectClient(client);
    await studioActions().loadModel('ok');
    await studioActions().loadModel('bad');
    expect(useStudio.getState().loadErrors).toEqual({ bad: 'bad: bytes are not an ONNX model' });
    expect(useStudio.getState().storage?.cachedBytes).toBe(1000);
    await studioActions().deleteModel('ok');
    expect(useStudio.getState().storage?.cachedBytes).toBe(0);
    expect(useStudio.getState().models.find((m) => m.id === 'ok')!.cached).toBe(false);
  });
});
