/**
 * The job API in Node, without a worker: the same JobQueue and task registry the browser
 * uses, executed in-process on onnxruntime-node, with models from assets/ (or URLs) cached
 * in $ATELIER_CACHE_DIR / ~/.cache/atelier.
 */
import { createNodeRuntime } from '../../models/runtime/backends/nodeCpu.ts';
import type { Runtime } from '../../models/runtime/Runtime.ts';
import { ModelRegistry } from '../../models/registry.ts';
import { NodeCache } from '../../models/cache/nodeCache.ts';
import { nodeFetchFile } from '../../models/loader/nodeFetchFile.ts';
import { SessionPool } from '../../models/loader/SessionPool.ts';
import { allManifests } from '../../models/manifests/index.ts';
import { JobQueue } from '../../pipelines/core/queue.ts';
import { executeTask, type TaskSpec } from '../../pipelines/registry.ts';
import { probeCapabilities } from '../../models/capabilities.ts';

export interface NodeJobSpec extends TaskSpec { label?: string }

export interface NodeJobHost {
  registry: ModelRegistry;
  queue: JobQueue<NodeJobSpec>;
  runtime(): Promise<Runtime>;
  dispose(): Promise<void>;
}

/** Registry only (no runtime): for `info` and `models`, which must stay fast. */
export function createNodeRegistry(opts?: { cacheDir?: string; fixtures?: boolean }): ModelRegistry {
  return new ModelRegistry(allManifests({ fixtures: opts?.fixtures }), new NodeCache(opts?.cacheDir), nodeFetchFile(), () => probeCapabilities());
}

export function createNodeJobHost(opts?: { cacheDir?: string; threads?: number }): NodeJobHost {
  const registry = createNodeRegistry(opts);
  const pool = new SessionPool(registry);
  let rt: Promise<Runtime> | undefined;
  const runtime = () => (rt ??= createNodeRuntime({ threads: opts?.threads }));
  const queue = new JobQueue<NodeJobSpec>(async ({ spec }, ctx) => {
    const r = await runtime();
    return executeTask(spec, r, { ...ctx, models: { session: (id, so) => pool.session(r, id, so) } });
  });
  return {
    registry,
    queue,
    runtime,
    async dispose() {
      queue.dispose();
      await pool.dispose();
      if (rt) await (await rt).dispose();
    },
  };
}
