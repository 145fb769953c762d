/**
 * A ModelProvider over in-memory model bytes (CLI on local files, tests): sessions are created on
 * first use and reused; `dispose` releases them. Unknown ids fail with the list of known ones.
 */
import type { ModelProvider } from '../core/events.ts';
import type { Runtime, Session } from '../../models/runtime/Runtime.ts';

export function bytesProvider(rt: Runtime, bytes: Record<string, Uint8Array>): ModelProvider & { dispose(): Promise<void> } {
  const sessions = new Map<string, Promise<Session>>();
  return {
    session(id) {
      const b = bytes[id];
      if (!b) return Promise.reject(new Error(`no model '${id}' (have ${Object.keys(bytes).join(', ') || 'none'})`));
      let s = sessions.get(id);
      if (!s) sessions.set(id, (s = rt.createSession(b)));
      return s;
    },
    async dispose() {
      await Promise.all([...sessions.values()].map(async (s) => (await s).dispose()));
      sessions.clear();
    },
  };
}
