/**
 * Which Node backends can load here (for `atelier info`), without creating sessions:
 * importing the onnxruntime package is enough to catch a missing or broken install.
 */
export interface BackendAvailability { id: 'node-cpu' | 'node-wasm'; available: boolean; error?: string }

async function tryImport(load: () => Promise<unknown>): Promise<string | undefined> {
  try {
    await load();
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}

export async function nodeBackendAvailability(): Promise<BackendAvailability[]> {
  const cpu = await tryImport(() => import('onnxruntime-node'));
  const wasm = await tryImport(() => import('onnxruntime-web'));
  return [
    { id: 'node-cpu', available: !cpu, ...(cpu ? { error: cpu } : {}) },
    { id: 'node-wasm', available: !wasm, ...(wasm ? { error: wasm } : {}) },
  ];
}
