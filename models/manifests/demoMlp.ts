/** Manifest of the generated demo MLP (assets/models/demo-mlp/model.onnx). */
import type { ModelManifest } from './schema.ts';
import { ASSET_HASHES } from './assetHashes.ts';

const file = ASSET_HASHES['models/demo-mlp/model.onnx'];

export const demoMlpManifest: ModelManifest = {
  id: 'demo-mlp',
  title: 'Demo MLP (64 → 64 → 16, seeded)',
  task: 'demo',
  files: [{ name: 'model.onnx', bytes: file.bytes, sha256: file.sha256 }],
  io: {
    inputs: [{ name: 'x', dtype: 'float32', shape: ['batch', 64] }],
    outputs: [{ name: 'probs', dtype: 'float32', shape: ['batch', 16] }],
  },
  needs: { memoryBytes: 1 << 20 },
  source: 'assets',
};
