/**
 * A pause switch a job host owns and a pipeline awaits between iterations (RunContext.pause).
 * Pausing never interrupts an iteration: the pipeline finishes the step it is in, then waits in
 * `wait()` with all of its state (weights, optimizer moments, step counter) still in memory, so
 * resuming continues exactly where it stopped. Cancel wins over pause: an abort while waiting
 * rejects with CanceledError.
 *
 *   const gate = new PauseGate();
 *   runJob(run, rt, input, params, { signal, emit, pause: gate });
 *   gate.pause();   // the pipeline stops before its next iteration
 *   gate.resume();
 */
import { CanceledError, type PauseSignal } from './events.ts';

export class PauseGate implements PauseSignal {
  private waiters: (() => void)[] = [];
  private isPaused = false;

  get paused(): boolean { return this.isPaused; }

  pause(): void { this.isPaused = true; }

  resume(): void {
    this.isPaused = false;
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  wait(signal: AbortSignal): Promise<void> {
    if (signal.aborted) return Promise.reject(new CanceledError());
    if (!this.isPaused) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        this.waiters = this.waiters.filter((f) => f !== done);
        reject(new CanceledError());
      };
      const done = () => { signal.removeEventListener('abort', onAbort); resolve(); };
      this.waiters.push(done);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }
}
