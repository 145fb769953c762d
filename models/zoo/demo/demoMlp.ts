/**
 * The demo model: a tiny seeded MLP, x[batch,64] → MatMul+Add → Relu → MatMul+Add →
 * Softmax → y[batch,16]. Built with the graph IR and encoded by models/graph/encode.ts, so
 * the repo ships no downloaded weights; `writeDemoAssets.ts` writes the bytes to
 * assets/models/demo-mlp/ and a test checks that regenerating gives the committed bytes.
 */
import type { Model, TensorData } from '../../graph/ir.ts';
import { encodeModel } from '../../graph/encode.ts';

export const DEMO_MLP = { id: 'demo-mlp', inputs: 64, hidden: 64, outputs: 16, seed: 20261129 } as const;

/** mulberry32: tiny, fast, good enough for weights that only need to be reproducible. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function weights(name: string, dims: number[], scale: number, rand: () => number): TensorData {
  const n = dims.reduce((a, b) => a * b, 1);
  const v = new Float32Array(n);
  for (let i = 0; i < n; i++) v[i] = (rand() * 2 - 1) * scale;
  return { name, dtype: 'float32', dims, values: v };
}

export function buildDemoMlp(seed: number = DEMO_MLP.seed): Model {
  const { inputs: I, hidden: H, outputs: O } = DEMO_MLP;
  const rand = mulberry32(seed);
  // Glorot-ish scales keep activations O(1) so softmax outputs are not saturated.
  const inits = [
    weights('fc1.weight', [I, H], Math.sqrt(6 / (I + H)), rand),
    weights('fc1.bias', [H], 0.1, rand),
    weights('fc2.weight', [H, O], Math.sqrt(6 / (H + O)), rand),
    weights('fc2.bias', [O], 0.1, rand),
  ];
  return {
    opset: 17,
    irVersion: 8,
    producer: 'atelier.zoo.demo',
    metadata: { model: DEMO_MLP.id, seed: String(seed) },
    graph: {
      name: 'demo_mlp',
      inputs: [{ name: 'x', dtype: 'float32', shape: ['batch', I] }],
      outputs: [{ name: 'probs', dtype: 'float32', shape: ['batch', O] }],
      initializers: new Map(inits.map((t) => [t.name, t])),
      valueInfo: new Map(),
      nodes: [
        { name: 'fc1/MatMul', op: 'MatMul', inputs: ['x', 'fc1.weight'], outputs: ['fc1.mm'], attrs: {} },
        { name: 'fc1/Add', op: 'Add', inputs: ['fc1.mm', 'fc1.bias'], outputs: ['fc1.out'], attrs: {} },
        { name: 'act/Relu', op: 'Relu', inputs: ['fc1.out'], outputs: ['act.out'], attrs: {} },
        { name: 'fc2/MatMul', op: 'MatMul', inputs: ['act.out', 'fc2.weight'], outputs: ['fc2.mm'], attrs: {} },
        { name: 'fc2/Add', op: 'Add', inputs: ['fc2.mm', 'fc2.bias'], outputs: ['logits'], attrs: {} },
        { name: 'head/Softmax', op: 'Softmax', inputs: ['logits'], outputs: ['probs'], attrs: { axis: { kind: 'int', value: -1 } } },
      ],
    },
  };
}

export const demoMlpBytes = (seed?: number): Uint8Array => encodeModel(buildDemoMlp(seed));

/** The demo input for step k of the demo job: a smooth, k-dependent signal. */
export function demoInput(k: number, batch = 1): Float32Array {
  const x = new Float32Array(batch * DEMO_MLP.inputs);
  for (let b = 0; b < batch; b++) {
    for (let i = 0; i < DEMO_MLP.inputs; i++) x[b * DEMO_MLP.inputs + i] = Math.sin(0.13 * (i + 1) * (k + 1) + b);
  }
  return x;
}
