/**
 * The module Worker: hosts onnxruntime-web (WebGPU / wasm), pipelines and the model
 * manager behind the protocol in ./protocol.ts. Created by ./client.ts. All GPU work of a
 * tab happens here, so chained sessions share one GPUDevice.
 */
/// <reference lib="webworker" />
import { probeCapabilities } from '../../models/capabilities.ts';
import { createBrowserRuntime } from '../../models/runtime/backends/browser.ts';
import { ModelRegistry } from '../../models/registry.ts';
import { allManifests } from '../../models/manifests/index.ts';
import { BrowserCache } from '../../models/cache/browserCache.ts';
import { MemoryCache } from '../../models/cache/ModelCache.ts';
import { httpFetchFile } from '../../models/loader/fetchFile.ts';
import { WorkerHost } from './WorkerHost.ts';
import type { ToWorker } from './protocol.ts';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const origin = scope.location.origin;
// Where Vite serves assets/ (publicDir): the app's base URL on this origin.
const assetsBase = new URL(import.meta.env.BASE_URL, origin).href;

const host = new WorkerHost({
  caps: () => probeCapabilities(),
  createRuntime: createBrowserRuntime,
  // Cache API needs a secure context; without it models still load, just not persistently.
  makeRegistry: (fixtures) => new ModelRegistry(allManifests({ fixtures }), typeof caches !== 'undefined' ? new BrowserCache(origin) : new MemoryCache(), httpFetchFile(assetsBase), () => probeCapabilities()),
  storageEstimate: () => scope.navigator.storage.estimate(),
}, (m) => scope.postMessage(m));

scope.onmessage = (e: MessageEvent<ToWorker>) => {
  if (e.data.type === 'dispose') void host.dispose().then(() => scope.close());
  else host.handle(e.data);
};
