/**
 * Test hooks for Playwright: `window.__atelier` runs ONNX graphs through the real worker
 * as 'graph-run' jobs and reads the numbers back, so e2e specs can compare WebGPU / wasm
 * outputs with onnxruntime-node and see which EP and tensor location were used. Tiny and
 * always installed (it only adds an object to window).
 */
import type { JobView, ProbeResult, StudioClient } from '../worker/StudioClient.ts';

export type HookFeeds = Record<string, { dtype: 'float32' | 'int32' | 'int64' | 'uint8' | 'bool'; dims: number[]; data: number[] }>;

export interface GraphRunOutput {
  backend: string;
  executionProviders: string[];
  outputs: Record<string, { dims: number[]; data: number[]; location: string; dtype: string }>;
}

export interface AtelierHooks {
  client: StudioClient;
  /** Run a graph on 'webgpu' (outputs kept on the GPU, then read back) or 'wasm'. Rejects with the job's error. */
  runGraph(bytes: number[] | Uint8Array, feeds: HookFeeds, backend: 'webgpu' | 'wasm', fetch?: string[]): Promise<GraphRunOutput>;
  probe(): Promise<ProbeResult>;
  /** Enqueue a job and resolve with its final view. */
  runJob(spec: Parameters<StudioClient['enqueue']>[0]): Promise<JobView>;
}

declare global {
  interface Window { __atelier?: AtelierHooks }
}

function finished(client: StudioClient, id: string): Promise<JobView> {
  return new Promise((resolve) => {
    const check = (jobs: JobView[]): boolean => {
      const j = jobs.find((x) => x.id === id);
      if (!j || j.status === 'queued' || j.status === 'running') return false;
      resolve(j);
      return true;
    };
    if (check(client.jobs())) return;
    const off = client.onJobs((jobs) => { if (check(jobs)) off(); });
  });
}

export function installTestHooks(client: StudioClient): void {
  const runJob = async (spec: Parameters<StudioClient['enqueue']>[0]) => finished(client, client.enqueue(spec));
  window.__atelier = {
    client,
    probe: () => client.probe(),
    runJob,
    async runGraph(bytes, feeds, backend, fetch) {
      const j = await runJob({
        task: 'graph-run', label: `graph-run (${backend})`, backend,
        input: { model: bytes instanceof Uint8Array ? bytes : Uint8Array.from(bytes), feeds, fetch, outputsOnGpu: backend === 'webgpu' },
      });
      if (j.status !== 'done') throw new Error(`graph-run on ${backend} ${j.status}: ${j.error ?? ''}`);
      return j.result as GraphRunOutput;
    },
  };
}
