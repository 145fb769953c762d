/**
 * Follow one job of a StudioClient: every new non-terminal event exactly once (the client's
 * job views keep only the last few events, and notify on every change, including other jobs'),
 * then the finished view. Workspaces use it to stream previews and partial text into their stores.
 *
 *   const stop = followJob(client, id, { event: (e) => …, end: (job) => … });
 */
import type { JobEvent } from '../../pipelines/core/events.ts';
import type { JobView, StudioClient } from '../worker/StudioClient.ts';

export interface JobFollower {
  event?(e: JobEvent): void;
  end?(job: JobView): void;
}

const finished = (j: JobView): boolean => j.status !== 'queued' && j.status !== 'running';

export function followJob(client: Pick<StudioClient, 'jobs' | 'onJobs'>, jobId: string, f: JobFollower): () => void {
  let last: JobEvent | undefined;
  let done = false;
  // Set once subscribed; a job already finished ends the follow before that (see the bottom).
  const unsub: { off?: () => void } = {};
  const check = (jobs: JobView[]): void => {
    if (done) return;
    const j = jobs.find((x) => x.id === jobId);
    if (!j) return;
    // Events are shared objects between snapshots: resume after the last one we delivered.
    const from = last ? j.events.lastIndexOf(last) + 1 : 0;
    for (const e of j.events.slice(from)) f.event?.(e);
    if (j.events.length) last = j.events[j.events.length - 1];
    if (finished(j)) {
      done = true;
      unsub.off?.();
      f.end?.(j);
    }
  };
  unsub.off = client.onJobs(check);
  check(client.jobs());
  if (done) unsub.off();
  return () => { done = true; unsub.off?.(); };
}
