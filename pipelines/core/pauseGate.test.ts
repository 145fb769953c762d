import { describe, expect, it } from 'vitest';
import { CanceledError } from './events.ts';
import { PauseGate } from './pauseGate.ts';

describe('PauseGate', () => {
  it('passes through when open, holds while paused, releases every waiter on resume', async () => {
    const g = new PauseGate();
    const signal = new AbortController().signal;
    await g.wait(signal);
    g.pause();
    expect(g.paused).toBe(true);
    let released = 0;
    const a = g.wait(signal).then(() => released++);
    const b = g.wait(signal).then(() => released++);
    await new Promise((r) => setTimeout(r, 20));
    expect(released).toBe(0);
    g.resume();
    await Promise.all([a, b]);
    expect(released).toBe(2);
    expect(g.paused).toBe(false);
  });

  it('an abort while waiting (or before) rejects with CanceledError', async () => {
    const g = new PauseGate();
    g.pause();
    const ctl = new AbortController();
    const w = g.wait(ctl.signal);
    ctl.abort();
    await expect(w).rejects.toBeInstanceOf(CanceledError);
    await expect(g.wait(ctl.signal)).rejects.toBeInstanceOf(CanceledError);
    g.resume(); // nothing left waiting
  });
});
