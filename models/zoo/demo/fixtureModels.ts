/**
 * Bytes of the broken-model fixtures (assets/fixtures/), each producing exactly one load
 * failure: a valid tiny model (reused by the sha256-mismatch, I/O-mismatch, needs-f16 and
 * needs-buffer manifests), the same model cut in half (truncated), and a text file named
 * .onnx (not ONNX). Generated, never hand-edited; see writeDemoAssets.ts.
 */
import type { Model } from '../../graph/ir.ts';
import { encodeModel } from '../../graph/encode.ts';

export function tinyModel(): Model {
  return {
    opset: 17, irVersion: 8, producer: 'atelier.fixtures', metadata: { purpose: 'load-failure fixture' },
    graph: {
      name: 'tiny',
      inputs: [{ name: 'x', dtype: 'float32', shape: [1, 4] }],
      outputs: [{ name: 'y', dtype: 'float32', shape: [1, 4] }],
      initializers: new Map(), valueInfo: new Map(),
      nodes: [{ name: 'relu', op: 'Relu', inputs: ['x'], outputs: ['y'], attrs: {} }],
    },
  };
}

export function fixtureFiles(): Record<string, Uint8Array> {
  const tiny = encodeModel(tinyModel());
  return {
    'fixtures/tiny.onnx': tiny,
    'fixtures/truncated.onnx': tiny.slice(0, Math.floor(tiny.length / 2)),
    'fixtures/not-onnx.onnx': new TextEncoder().encode('This is a README, not an ONNX model.\nAtelier must say so instead of crashing.\n'),
  };
}
