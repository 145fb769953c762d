/**
 * Neural style field (NSF) as an ONNX graph (xmesh.md §2): per-vertex positions → vertex colors
 * and displacement offsets. One builder serves both methods:
 *   - 'tdam'      X-Mesh: LayerNorm after every hidden ReLU, the Text-guided Dynamic Attention
 *                 Module between trunk and heads, a free 3-D offset head (tanh · 0.1/√3 per axis);
 *   - 'text2mesh' Text2Mesh: plain ReLU MLP, no text input, scalar offset along the vertex normal
 *                 (tanh · 0.1).
 *
 * Graph inputs:  points [N,3] (network input, §2.1: normalized original positions, optionally
 *                mirrored/standardized by the caller), text_embed [1,D] (tdam only; the RAW CLIP text
 *                feature, §10.4), normals [N,3] (text2mesh only).
 * Graph outputs: colors [N,3] = 0.5 + tanh(h)/2 in (0,1), offsets [N,3] (world-space displacement).
 * Parameters are initializers created with builder.param (names like `trunk.0.weight`).
 *
 *   const { model, params } = buildStyleField(cfg);   // forward graph
 */
import { GraphBuilder, type Value } from '../../models/graph/builder.ts';
import type { Model } from '../../models/graph/ir.ts';
import { Prng } from '../../models/data/microworld/prng.ts';
import { rreduce } from '../../models/graph/ops/common.ts';

export type XmeshMethod = 'tdam' | 'text2mesh';

export interface StyleFieldConfig {
  method: XmeshMethod;
  /** Vertex count N (static: every shape in the graph is known, which autodiff's rules rely on). */
  vertices: number;
  /** Text embedding width D (CLIP ViT-B/32: 512; micro-CLIP: 128). Ignored by text2mesh. */
  textDim: number;
  /** Hidden width W (reference 256). */
  width: number;
  /** Hidden layers after the first trunk Linear (reference 4). */
  depth: number;
  /** Hidden layers per head (reference 2). */
  headDepth: number;
  /** Fourier frequencies (reference 256). */
  frequencies: number;
  /** Std of the Fourier matrix B (X-Mesh MIT-30: 12). */
  sigma: number;
  /** TDAM rank k (reference 30). */
  rank: number;
  /** TDAM reduction ratio r (reference 8; hidden = W / r). */
  reduction: number;
  /** Seeds B and the PyTorch-style initialization. */
  seed: number | string;
}

export const referenceFieldConfig = (method: XmeshMethod, vertices: number, textDim: number, seed: number | string = 23): StyleFieldConfig => ({
  method, vertices, textDim, width: 256, depth: 4, headDepth: 2, frequencies: 256, sigma: 12, rank: 30, reduction: 8, seed,
});

export interface StyleField {
  model: Model;
  /** Trainable parameter names (initializers), in creation order. */
  params: string[];
  config: StyleFieldConfig;
}

/** PyTorch nn.Linear default init: W and b ~ U(−1/√fan_in, 1/√fan_in). */
function uniform(rng: Prng, n: number, bound: number): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = (rng.float() * 2 - 1) * bound;
  return out;
}

class Layers {
  constructor(readonly b: GraphBuilder, readonly rng: Prng) {}

  linear(name: string, x: Value, din: number, dout: number, zero = false): Value {
    const b = this.b;
    return b.scope(name, () => {
      const bound = 1 / Math.sqrt(din);
      const w = b.param('weight', { dims: [din, dout], values: zero ? new Float32Array(din * dout) : uniform(this.rng, din * dout, bound) });
      const bias = b.param('bias', { dims: [dout], values: zero ? new Float32Array(dout) : uniform(this.rng, dout, bound) });
      return b.op('Add', [b.op('MatMul', [x, w])[0], bias])[0];
    });
  }

  layerNorm(name: string, x: Value, d: number): Value {
    const b = this.b;
    return b.scope(name, () => {
      const g = b.param('weight', { dims: [d], values: new Float32Array(d).fill(1) });
      const beta = b.param('bias', { dims: [d], values: new Float32Array(d) });
      return b.op('LayerNormalization', [x, g, beta], { axis: -1, epsilon: { float: 1e-5 } })[0];
    });
  }

  /** Linear → ReLU (→ LayerNorm for X-Mesh). */
  hidden(name: string, x: Value, din: number, dout: number, ln: boolean): Value {
    const h = this.b.op('Relu', [this.linear(name, x, din, dout)])[0];
    return ln ? this.layerNorm(`${name}.ln`, h, dout) : h;
  }

  /**
   * Dynamic linear layer DL(d_in→d_out | t) (§2.5): U = hyper(t) reshaped to [(d_in+1), k],
   * P = U·V with V [k, d_out] zero-initialized, weight = P[:d_in], bias = P[d_in]. The same
   * weight is applied to every vertex (one prompt per run).
   */
  dynamicLinear(name: string, x: Value, t: Value, textDim: number, din: number, dout: number, k: number): Value {
    const b = this.b;
    return b.scope(name, () => {
      const u = this.linear('hyper', t, textDim, (din + 1) * k);
      const v = b.param('V', { dims: [k, dout], values: new Float32Array(k * dout) });
      const p = b.op('MatMul', [b.op('Reshape', [u, b.ints([din + 1, k])])[0], v])[0];
      const w = b.op('Slice', [p, b.ints([0]), b.ints([din]), b.ints([0])])[0];
      const bias = b.op('Slice', [p, b.ints([din]), b.ints([din + 1]), b.ints([0])])[0];
      return b.op('Add', [b.op('MatMul', [x, w])[0], bias])[0];
    });
  }
}

/** gamma(x) = [x, sin(2π x B), cos(2π x B)] with a fixed (non-trained) B ~ N(0, σ²) of shape [3, F]. */
function fourierFeatures(b: GraphBuilder, rng: Prng, x: Value, c: StyleFieldConfig): Value {
  const F = c.frequencies;
  const B = new Float32Array(3 * F);
  for (let i = 0; i < B.length; i++) B[i] = rng.normal(0, c.sigma) * 2 * Math.PI;
  // Progressive encoding (§2.3) is off: X-Mesh's MIT-30 script passes --no_pe, and we use the same
  // encoding for the Text2Mesh baseline so the two methods differ only by TDAM and the heads.
  const xb = b.op('MatMul', [x, b.constant(B, [3, F])])[0];
  return b.op('Concat', [x, b.op('Sin', [xb])[0], b.op('Cos', [xb])[0]], { axis: 1 })[0];
}

/** TDAM (§2.5): channel gate (mean over vertices) then spatial gate (mean over channels). */
function tdam(L: Layers, f: Value, t: Value, c: StyleFieldConfig): Value {
  const b = L.b;
  const C = c.width, h = Math.max(1, Math.floor(C / c.reduction)), D = c.textDim, k = c.rank;
  return b.scope('tdam', () => {
    const hc = L.dynamicLinear('channel.fc2', b.op('Relu', [L.dynamicLinear('channel.fc1', f, t, D, C, h, k)])[0], t, D, h, C, k);
    const ac = b.op('Sigmoid', [rreduce(b, 'ReduceMean', hc, [0])])[0];
    const f1 = b.op('Mul', [f, ac])[0];
    const hs = L.dynamicLinear('spatial.fc2', b.op('Relu', [L.dynamicLinear('spatial.fc1', f1, t, D, C, h, k)])[0], t, D, h, C, k);
    const as = b.op('Sigmoid', [rreduce(b, 'ReduceMean', hs, [1])])[0];
    return b.op('Mul', [f1, as])[0];
  });
}

export function buildStyleField(c: StyleFieldConfig): StyleField {
  const b = new GraphBuilder(`xmesh_nsf_${c.method}`);
  const rng = new Prng(`xmesh-nsf:${c.seed}`);
  const L = new Layers(b, rng);
  const N = c.vertices, W = c.width;
  const xmesh = c.method === 'tdam';
  const x = b.input('points', 'float32', [N, 3]);
  const t = xmesh ? b.input('text_embed', 'float32', [1, c.textDim]) : undefined;
  const normals = xmesh ? undefined : b.input('normals', 'float32', [N, 3]);

  const gamma = fourierFeatures(b, rng.fork('fourier'), x, c);
  let f = L.hidden('trunk.0', gamma, 3 + 2 * c.frequencies, W, xmesh);
  for (let i = 1; i <= c.depth; i++) f = L.hidden(`trunk.${i}`, f, W, W, xmesh);
  if (t) f = tdam(L, f, t, c);

  const head = (name: string, dout: number): Value => b.scope(name, () => {
    let h = f;
    for (let i = 0; i < c.headDepth; i++) h = L.hidden(`${i}`, h, W, W, xmesh);
    // Last Linear zeroed (both repos): the run starts at gray 0.5 and zero displacement.
    return b.op('Tanh', [L.linear('out', h, W, dout, true)])[0];
  });
  const colors = b.op('Add', [b.op('Mul', [head('color', 3), b.constant([0.5], [])])[0], b.constant([0.5], [])])[0];
  let offsets: Value;
  if (xmesh) {
    // §2.4: per-component bound 0.1/√3 so the offset norm stays below 0.1.
    offsets = b.op('Mul', [head('disp', 3), b.constant([0.1 / Math.sqrt(3)], [])])[0];
  } else {
    // Text2Mesh: scalar along the (load-time) vertex normal; §10.2: normals come from the file or
    // are computed area-weighted at load (pipelines/core/mesh).
    offsets = b.op('Mul', [b.op('Mul', [head('disp', 1), b.constant([0.1], [])])[0], normals!])[0];
  }
  b.output(colors, 'colors');
  b.output(offsets, 'offsets');
  return { model: b.build({ metadata: { xmesh_config: JSON.stringify(c) } }), params: [...b.params], config: c };
}

/** Number of trainable scalars (for logs and the README's parameter counts). */
export function paramCount(f: StyleField): number {
  let n = 0;
  for (const p of f.params) n += f.model.graph.initializers.get(p)!.values.length;
  return n;
}
