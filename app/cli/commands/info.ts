/**
 * `atelier info [--json]`: backends this machine can use, the cache directory, and the
 * models with their cache state. With --json, stdout carries exactly one JSON object.
 */
import { availableParallelism } from 'node:os';
import { createNodeRegistry } from '../nodeHost.ts';
import { defaultCacheDir } from '../../../models/cache/nodeCache.ts';
import { nodeBackendAvailability } from '../../../models/runtime/backends/nodeAvailability.ts';
import { has, type CliIo } from '../io.ts';

export interface InfoBackend { id: string; available: boolean; detail: string }

export async function collectInfo(): Promise<{ backends: InfoBackend[]; cacheDir: string; models: unknown[] }> {
  const cores = availableParallelism();
  const [cpu, wasm] = await nodeBackendAvailability();
  const nodeErr = cpu.error;
  const webErr = wasm.error;
  const backends: InfoBackend[] = [
    { id: 'node-cpu', available: !nodeErr, detail: nodeErr ?? `onnxruntime-node CPU EP, ${cores} threads` },
    { id: 'node-wasm', available: !webErr, detail: webErr ?? 'onnxruntime-web wasm EP in Node (parity tests), 1 thread' },
    { id: 'webgpu', available: false, detail: 'browser only: open the studio (npm start)' },
    { id: 'wasm', available: false, detail: 'browser only: the studio falls back to it without WebGPU' },
  ];
  const registry = createNodeRegistry();
  const models = (await registry.entries()).map(({ manifest: m, bytes, cached }) => ({
    id: m.id, title: m.title, task: m.task, source: m.source, bytes, cached, needs: m.needs,
  }));
  return { backends, cacheDir: defaultCacheDir(), models };
}

export async function run(args: string[], io: CliIo): Promise<number> {
  const info = await collectInfo();
  if (has(args, 'json')) {
    io.out(JSON.stringify(info, null, 2));
    return 0;
  }
  io.out('Backends:');
  for (const b of info.backends) io.out(`  ${b.available ? '✓' : '·'} ${b.id.padEnd(10)} ${b.detail}`);
  io.out(`Cache: ${info.cacheDir}`);
  io.out('Models:');
  for (const m of info.models as { id: string; bytes: number; cached: boolean; title: string }[]) {
    io.out(`  ${m.id.padEnd(16)} ${String(m.bytes).padStart(10)} B  ${m.cached ? 'cached' : 'not cached'}  ${m.title}`);
  }
  return 0;
}
