/**
 * A small hand-written forward + backward graph (one tanh layer, mean-squared loss and its
 * analytic gradient w.r.t. the weights), used as the backend-parity case when the autodiff
 * engine's parity fixture is not available. Shapes are tiny: SwiftShader is slow.
 *   y = tanh(x·W), loss = mean((y - t)²), dW = xᵀ · (2/N · (y - t) ⊙ (1 - y²))
 */
import type { Model, Node } from '../../graph/ir.ts';
import { encodeModel } from '../../graph/encode.ts';
import { mulberry32 } from './demoMlp.ts';

export const GRAD_GRAPH = { batch: 4, inputs: 8, outputs: 6 } as const;

export interface ParityCase {
  model: Uint8Array;
  feeds: Record<string, { dtype: 'float32'; dims: number[]; data: number[] }>;
  fetch: string[];
}

const n = (name: string, op: string, inputs: string[], outputs: string[], attrs: Node['attrs'] = {}): Node => ({ name, op, inputs, outputs, attrs });
const scalar = (name: string, v: number) => ({ name, dtype: 'float32' as const, dims: [], values: new Float32Array([v]) });

export function buildGradGraph(): Model {
  const { batch: B, inputs: I, outputs: O } = GRAD_GRAPH;
  const N = B * O;
  return {
    opset: 17, irVersion: 8, producer: 'atelier.zoo.demo', metadata: { purpose: 'backend parity (forward + backward)' },
    graph: {
      name: 'tanh_mse_grad',
      inputs: [
        { name: 'x', dtype: 'float32', shape: [B, I] },
        { name: 'W', dtype: 'float32', shape: [I, O] },
        { name: 't', dtype: 'float32', shape: [B, O] },
      ],
      outputs: [
        { name: 'loss', dtype: 'float32', shape: [] },
        { name: 'dW', dtype: 'float32', shape: [I, O] },
      ],
      initializers: new Map([['two_over_n', scalar('two_over_n', 2 / N)], ['one', scalar('one', 1)]]),
      valueInfo: new Map(),
      nodes: [
        n('fwd/MatMul', 'MatMul', ['x', 'W'], ['z']),
        n('fwd/Tanh', 'Tanh', ['z'], ['y']),
        n('loss/Sub', 'Sub', ['y', 't'], ['r']),
        n('loss/Mul', 'Mul', ['r', 'r'], ['r2']),
        n('loss/ReduceMean', 'ReduceMean', ['r2'], ['loss'], { keepdims: { kind: 'int', value: 0 } }),
        n('bwd/scale', 'Mul', ['r', 'two_over_n'], ['dy']),
        n('bwd/y2', 'Mul', ['y', 'y'], ['y2']),
        n('bwd/1-y2', 'Sub', ['one', 'y2'], ['dtanh']),
        n('bwd/dz', 'Mul', ['dy', 'dtanh'], ['dz']),
        n('bwd/xT', 'Transpose', ['x'], ['xT'], { perm: { kind: 'ints', value: [1, 0] } }),
        n('bwd/dW', 'MatMul', ['xT', 'dz'], ['dW']),
      ],
    },
  };
}

export function makeGradParityCase(seed = 7): ParityCase {
  const { batch: B, inputs: I, outputs: O } = GRAD_GRAPH;
  const r = mulberry32(seed);
  const vals = (k: number, s: number) => Array.from({ length: k }, () => (r() * 2 - 1) * s);
  return {
    model: encodeModel(buildGradGraph()),
    feeds: {
      x: { dtype: 'float32', dims: [B, I], data: vals(B * I, 1) },
      W: { dtype: 'float32', dims: [I, O], data: vals(I * O, 0.5) },
      t: { dtype: 'float32', dims: [B, O], data: vals(B * O, 0.8) },
    },
    fetch: ['loss', 'dW'],
  };
}
