/**
 * Sessions for manifest models, created once per (runtime backend, model, options) and
 * reused across jobs — compiling a WebGPU session is the slow part, not running it.
 * Owns every session it made; `dispose()` releases them (worker dispose, CLI exit).
 */
import type { Runtime, Session, SessionOptions } from '../runtime/Runtime.ts';
import type { ModelRegistry } from '../registry.ts';
import { createModelSession, type LoadProgress } from './loadModel.ts';

export class SessionPool {
  private readonly sessions = new Map<string, Promise<Session>>();

  constructor(private readonly registry: ModelRegistry) {}

  session(rt: Runtime, modelId: string, opts?: SessionOptions, onProgress?: (p: LoadProgress) => void): Promise<Session> {
    const key = `${rt.backend}|${modelId}|${JSON.stringify(opts?.outputsOnGpu ?? false)}|${JSON.stringify(opts?.freeDimensionOverrides ?? {})}`;
    let s = this.sessions.get(key);
    if (!s) {
      s = this.registry.load(modelId, { onProgress }).then((loaded) => createModelSession(rt, loaded, opts));
      // A failed load must not poison later attempts (the user may fix the cause and retry).
      s.catch(() => this.sessions.delete(key));
      this.sessions.set(key, s);
    }
    return s;
  }

  /** Drop sessions of one model (after the user deletes it from the cache). */
  async evict(modelId: string): Promise<void> {
    const doomed = [...this.sessions.entries()].filter(([k]) => k.split('|')[1] === modelId);
    for (const [k] of doomed) this.sessions.delete(k);
    await Promise.all(doomed.map(([, p]) => p.then((s) => s.dispose(), () => undefined)));
  }

  async dispose(): Promise<void> {
    const all = [...this.sessions.values()];
    this.sessions.clear();
    await Promise.all(all.map((p) => p.then((s) => s.dispose(), () => undefined)));
  }
}
