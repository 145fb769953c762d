import { describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-node';
import { encodeModel } from './encode.ts';
import { decodeModel } from './decode.ts';
import type { Model } from './ir.ts';

const model = (): Model => ({
  opset: 17, irVersion: 8, producer: 'test', metadata: { purpose: 'roundtrip' },
  graph: {
    name: 'g',
    inputs: [{ name: 'x', dtype: 'float32', shape: ['batch', 3] }],
    outputs: [{ name: 'y', dtype: 'float32', shape: ['batch', 3] }],
    initializers: new Map([['w', { name: 'w', dtype: 'float32', dims: [3], values: new Float32Array([1, 2, 3]) }]]),
    valueInfo: new Map(),
    nodes: [
      { name: 'mul', op: 'Mul', inputs: ['x', 'w'], outputs: ['t'], attrs: {} },
      { name: 'sm', op: 'Softmax', inputs: ['t'], outputs: ['y'], attrs: { axis: { kind: 'int', value: -1 } } },
    ],
  },
});

describe('encode/decode', () => {
  it('round-trips through bytes and runs in onnxruntime-node', async () => {
    const bytes = encodeModel(model());
    const back = decodeModel(bytes);
    expect(back.metadata.purpose).toBe('roundtrip');
    expect(back.graph.inputs[0].shape).toEqual(['batch', 3]);
    expect([...(back.graph.initializers.get('w')!.values as Float32Array)]).toEqual([1, 2, 3]);
    expect(back.graph.nodes[1].attrs.axis).toEqual({ kind: 'int', value: -1 });
    const s = await ort.InferenceSession.create(bytes);
    const out = await s.run({ x: new ort.Tensor('float32', new Float32Array([1, 1, 1]), [1, 3]) });
    const y = out.y.data as Float32Array;
    expect(y[2]).toBeCloseTo(Math.exp(3) / (Math.exp(1) + Math.exp(2) + Math.exp(3)), 5);
  });

  it('rejects bytes that are not ONNX with a clear message', () => {
    expect(() => decodeModel(new TextEncoder().encode('hello, I am a text file'))).toThrow(/not an ONNX model/);
  });

  it('resolves external-data initializers and reports truncation', () => {
    const m = model();
    const w = m.graph.initializers.get('w')!;
    w.external = { location: 'weights.bin', offset: 4, length: 12 };
    const bytes = encodeModel(m);
    const file = new Uint8Array(16);
    new Float32Array(file.buffer, 4, 3).set([7, 8, 9]);
    const back = decodeModel(bytes, { 'weights.bin': file });
    expect([...(back.graph.initializers.get('w')!.values as Float32Array)]).toEqual([7, 8, 9]);
    expect(() => decodeModel(bytes, { 'weights.bin': file.subarray(0, 10) })).toThrow(/truncated/);
  });
});
