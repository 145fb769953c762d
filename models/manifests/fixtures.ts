/**
 * Broken-model fixtures: one manifest per load failure, each with the error code it must
 * produce. Shown in the Models window only when the studio is opened with `?fixtures=1`
 * (the worker is created with `{ fixtures: true }`), and loaded by the Node tests.
 */
import type { LoadErrorCode } from '../loader/errors.ts';
import type { ModelManifest } from './schema.ts';
import { ASSET_HASHES } from './assetHashes.ts';

const tiny = ASSET_HASHES['fixtures/tiny.onnx'];
const tinyIo: ModelManifest['io'] = {
  inputs: [{ name: 'x', dtype: 'float32', shape: [1, 4] }],
  outputs: [{ name: 'y', dtype: 'float32', shape: [1, 4] }],
};

function fixture(id: string, expect: LoadErrorCode, m: Partial<ModelManifest>): ModelManifest & { expect: LoadErrorCode } {
  return {
    id, title: `Fixture: ${expect}`, task: 'fixture', source: 'assets', needs: {}, io: tinyIo,
    files: [{ name: 'model.onnx', bytes: tiny.bytes, sha256: tiny.sha256, url: 'fixtures/tiny.onnx' }],
    note: `must fail with "${expect}"`, expect, ...m,
  };
}

export const FIXTURE_MANIFESTS: (ModelManifest & { expect: LoadErrorCode })[] = [
  fixture('fixture-unreachable', 'unreachable', {
    source: 'url',
    // Port 9 (discard) on loopback: connection refused, in Node and in the browser, offline.
    files: [{ name: 'model.onnx', bytes: tiny.bytes, sha256: tiny.sha256, url: 'http://127.0.0.1:9/atelier-fixture/model.onnx' }],
  }),
  fixture('fixture-sha256-mismatch', 'sha256-mismatch', {
    files: [{ name: 'model.onnx', bytes: tiny.bytes, sha256: '0'.repeat(64), url: 'fixtures/tiny.onnx' }],
  }),
  fixture('fixture-truncated', 'truncated', {
    // The manifest describes the whole model; the file on disk is its first half.
    files: [{ name: 'model.onnx', bytes: tiny.bytes, sha256: tiny.sha256, url: 'fixtures/truncated.onnx' }],
  }),
  fixture('fixture-not-onnx', 'not-onnx', {
    files: [{ name: 'model.onnx', ...ASSET_HASHES['fixtures/not-onnx.onnx'], url: 'fixtures/not-onnx.onnx' }],
  }),
  fixture('fixture-io-mismatch', 'io-mismatch', {
    io: {
      inputs: [{ name: 'pixels', dtype: 'float32', shape: [1, 3, 8, 8] }],
      outputs: [{ name: 'y', dtype: 'float32', shape: [1, 4] }],
    },
  }),
  fixture('fixture-needs-f16', 'needs-f16', { needs: { f16: true } }),
  fixture('fixture-needs-buffer', 'needs-buffer', { needs: { minBufferBytes: 64 * 2 ** 30 } }),
];
