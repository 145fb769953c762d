/**
 * A small typed builder that emits standard ONNX (opset ≥ 17) as our IR.
 *
 *   const b = new GraphBuilder('mlp');
 *   const x = b.input('x', 'float32', ['batch', 4]);
 *   const y = b.scope('fc1', () => matmul(b, x, b.param('weight', { dims: [4, 8], values })));
 *   b.output(relu(b, y), 'y');
 *   const model = b.build();                 // → encodeModel(model) for bytes
 *
 * Every emitted value gets a dtype and, where inferable, a static shape (infer.ts), so
 * helpers and autodiff can reason about ranks and broadcasting while the graph is built.
 * `GraphBuilder.from(model)` continues an existing model (autodiff and surgery append to it).
 */
import type { Attr, DType, Dim, Graph, Model, Node, TensorData, TensorValues, ValueInfo } from './ir.ts';
import { DEFAULT_OPSET } from './ir.ts';
import { numel } from './dtype.ts';
import { type ConstVal, constFromTensor, inferAll, inferInto } from './infer.ts';

export interface Value { readonly name: string; readonly dtype: DType; readonly shape?: Dim[] }

/** number → int, number[] → ints, string → string, string[] → strings, {float}/{floats} for floats, or a raw Attr. */
export type AttrInput = number | number[] | string | string[] | { float: number } | { floats: number[] } | { tensor: TensorData } | Attr;

export function toAttr(a: AttrInput): Attr {
  if (typeof a === 'number') return { kind: 'int', value: a };
  if (typeof a === 'string') return { kind: 'string', value: a };
  if (Array.isArray(a)) {
    if (a.length > 0 && typeof a[0] === 'string') return { kind: 'strings', value: a as string[] };
    return { kind: 'ints', value: a as number[] };
  }
  if ('kind' in a) return a;
  if ('float' in a) return { kind: 'float', value: a.float };
  if ('floats' in a) return { kind: 'floats', value: a.floats };
  return { kind: 'tensor', value: a.tensor };
}

/** IEEE 754 binary16 bits of a number (round to nearest even), for float16 constants. */
export function toHalfBits(x: number): number {
  const f = new Float32Array([x]);
  const u = new Uint32Array(f.buffer)[0];
  const sign = (u >>> 16) & 0x8000;
  const exp = (u >>> 23) & 0xff;
  let mant = u & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0); // inf / nan
  const e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00; // overflow → inf
  if (e <= 0) { // subnormal half (or zero)
    if (e < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - e;
    const half = mant >>> shift;
    const rem = mant & ((1 << shift) - 1), mid = 1 << (shift - 1);
    return sign | (half + (rem > mid || (rem === mid && (half & 1)) ? 1 : 0));
  }
  const half = (e << 10) | (mant >>> 13);
  const rem = mant & 0x1fff;
  // a carry out of the mantissa correctly bumps the exponent (up to inf)
  return sign | (half + (rem > 0x1000 || (rem === 0x1000 && (half & 1)) ? 1 : 0));
}

const TYPED: Record<DType, (v: number[]) => TensorValues> = {
  float32: (v) => Float32Array.from(v),
  float64: (v) => Float64Array.from(v),
  float16: (v) => Uint16Array.from(v, toHalfBits),
  int64: (v) => BigInt64Array.from(v.map((x) => BigInt(Math.trunc(x)))),
  int32: (v) => Int32Array.from(v),
  int8: (v) => Int8Array.from(v),
  uint8: (v) => Uint8Array.from(v),
  bool: (v) => Uint8Array.from(v.map((x) => (x ? 1 : 0))),
};

/** Ops whose axes/sizes moved between attribute and input at opset 18; a model must not mix forms. */
const OPSET18_SENSITIVE = new Set(['ReduceMean', 'ReduceMax', 'ReduceMin', 'ReduceProd', 'ReduceL2', 'ReduceSumSquare', 'ReduceLogSumExp', 'Split']);

export class GraphBuilder {
  readonly nodes: Node[] = [];
  readonly inputs: ValueInfo[] = [];
  readonly outputs: ValueInfo[] = [];
  readonly initializers = new Map<string, TensorData>();
  /** Static info of every known value (inputs, initializers, node outputs). */
  readonly info = new Map<string, ValueInfo>();
  /** Small constants known at build time (int64 shape math, axes, scales). */
  readonly consts = new Map<string, ConstVal>();
  /** Partly symbolic int64 shape values (Shape of ['batch', 77] is ['batch', 77]). */
  readonly syms = new Map<string, Dim[]>();
  readonly opset: number;
  /** Names of the initializers made with param() (weights, as opposed to constants), in order. */
  readonly params: string[] = [];
  private readonly scopes: string[] = [];
  private readonly used = new Set<string>();
  private counter = 0;
  private metadata: Record<string, string> = {};

  constructor(readonly name: string, opts: { opset?: number } = {}) {
    this.opset = opts.opset ?? DEFAULT_OPSET;
    if (this.opset < 17) throw new Error(`GraphBuilder: opset ${this.opset} < 17 is not supported`);
  }

  /** Continue building on a copy of an existing model (nodes, inputs, outputs and initializers are kept). */
  static from(model: Model): GraphBuilder {
    const b = new GraphBuilder(model.graph.name, { opset: Math.max(17, model.opset) });
    const g = model.graph;
    b.nodes.push(...g.nodes.map((n) => ({ ...n, inputs: [...n.inputs], outputs: [...n.outputs], attrs: { ...n.attrs } })));
    b.inputs.push(...g.inputs.map((v) => ({ ...v })));
    b.outputs.push(...g.outputs.map((v) => ({ ...v })));
    for (const [k, t] of g.initializers) b.initializers.set(k, t);
    const { info, consts, syms } = inferAll({ ...model, opset: b.opset });
    for (const [k, v] of info) b.info.set(k, v);
    for (const [k, v] of consts) b.consts.set(k, v);
    for (const [k, v] of syms) b.syms.set(k, v);
    for (const k of info.keys()) b.used.add(k);
    for (const n of g.nodes) { b.used.add(n.name); for (const o of n.outputs) b.used.add(o); }
    b.metadata = { ...model.metadata };
    return b;
  }

  /** The scope prefix joined with '.', e.g. "down_blocks.1.attentions.0". */
  get prefix(): string { return this.scopes.join('.'); }

  scope<T>(name: string, fn: () => T): T {
    this.scopes.push(name);
    try { return fn(); } finally { this.scopes.pop(); }
  }

  /** A fresh unique name under the current scope. */
  fresh(base: string): string {
    const p = this.prefix;
    let name = p ? `${p}/${base}` : base;
    while (this.used.has(name)) name = p ? `${p}/${base}_${++this.counter}` : `${base}_${++this.counter}`;
    this.used.add(name);
    return name;
  }

  value(name: string): Value {
    const v = this.info.get(name);
    if (!v) throw new Error(`GraphBuilder: unknown value '${name}'`);
    return v;
  }

  input(name: string, dtype: DType, shape: Dim[]): Value {
    if (this.used.has(name)) throw new Error(`GraphBuilder: name '${name}' already used`);
    this.used.add(name);
    const v: ValueInfo = { name, dtype, shape: [...shape] };
    this.inputs.push(v);
    this.info.set(name, v);
    return v;
  }

  /** An initializer (a weight). Named with the current scope prefix, e.g. "blocks.0.attn.q.weight". */
  param(name: string, t: { dims: number[]; values: Float32Array } | TensorData): Value {
    const full = this.prefix ? `${this.prefix}.${name}` : name;
    if (this.used.has(full)) throw new Error(`GraphBuilder: parameter '${full}' already exists`);
    if (t.values.length !== numel(t.dims)) throw new Error(`param '${full}': ${t.values.length} values for dims [${t.dims}]`);
    this.used.add(full);
    this.params.push(full);
    const dtype: DType = 'dtype' in t ? t.dtype : 'float32';
    return this.addInitializer({ name: full, dtype, dims: [...t.dims], values: t.values });
  }

  constant(values: number[] | TensorValues, dims: number[], dtype: DType = 'float32'): Value {
    const vals = Array.isArray(values) ? TYPED[dtype](values) : values;
    if (vals.length !== numel(dims)) throw new Error(`constant: ${vals.length} values for dims [${dims}]`);
    return this.addInitializer({ name: this.fresh('const'), dtype, dims: [...dims], values: vals });
  }

  /** int64 1-D constant, the usual shape/axes operand. */
  ints(values: number[]): Value { return this.constant(values, [values.length], 'int64'); }

  private addInitializer(t: TensorData): Value {
    this.initializers.set(t.name, t);
    const v: ValueInfo = { name: t.name, dtype: t.dtype, shape: [...t.dims] };
    this.info.set(t.name, v);
    const c = constFromTensor(t);
    if (c) this.consts.set(t.name, c);
    return v;
  }

  /** Generic op; returns its outputs. Missing optional inputs are passed as undefined. */
  op(op: string, inputs: (Value | undefined)[], attrs: Record<string, AttrInput> = {}, nOutputs = 1): Value[] {
    const node = this.fresh(op);
    const outputs = nOutputs === 1 ? [node] : Array.from({ length: nOutputs }, (_, i) => `${node}:${i}`);
    for (const o of outputs) this.used.add(o);
    for (const i of inputs) if (i && !this.info.has(i.name)) throw new Error(`${op}: input '${i.name}' is not a value of this graph`);
    const ins = inputs.map((i) => i?.name ?? '');
    while (ins.length > 0 && ins[ins.length - 1] === '') ins.pop();
    const n: Node = { name: node, op, inputs: ins, outputs, attrs: Object.fromEntries(Object.entries(attrs).map(([k, a]) => [k, toAttr(a)])) };
    return this.addNode(n);
  }

  /** Append a prepared node (names must be unique); returns its outputs with inferred info. */
  addNode(n: Node): Value[] {
    this.nodes.push(n);
    this.used.add(n.name);
    inferInto(n, this.info, this.consts, this.opset, this.syms);
    return n.outputs.map((o) => this.info.get(o) ?? { name: o, dtype: 'float32' });
  }

  /** Mark a value as a graph output, optionally renaming it (through an Identity). */
  output(v: Value, name?: string): Value {
    let out = v;
    if (name && name !== v.name) {
      if (this.used.has(name)) throw new Error(`GraphBuilder: output name '${name}' already used`);
      this.used.add(name);
      out = this.addNode({ name: this.fresh('Identity'), op: 'Identity', inputs: [v.name], outputs: [name], attrs: {} })[0];
    }
    this.outputs.push({ name: out.name, dtype: out.dtype, shape: out.shape && [...out.shape] });
    return out;
  }

  graph(): Graph {
    return {
      name: this.name, nodes: this.nodes, inputs: this.inputs, outputs: this.outputs,
      initializers: this.initializers, valueInfo: new Map(),
    };
  }

  build(opts: { opset?: number; metadata?: Record<string, string> } = {}): Model {
    const opset = opts.opset ?? this.opset;
    if (opset < 17) throw new Error(`build: opset ${opset} < 17 is not supported`);
    if ((opset >= 18) !== (this.opset >= 18) && this.nodes.some((n) => OPSET18_SENSITIVE.has(n.op))) {
      throw new Error(`build: graph was emitted for opset ${this.opset}; pass { opset } to the GraphBuilder constructor instead (Reduce*/Split forms differ across opset 18)`);
    }
    return {
      graph: {
        name: this.name, nodes: [...this.nodes], inputs: [...this.inputs], outputs: [...this.outputs],
        initializers: new Map(this.initializers), valueInfo: new Map(),
      },
      opset, irVersion: opset >= 21 ? 10 : opset >= 19 ? 9 : 8, producer: 'atelier', metadata: { ...this.metadata, ...opts.metadata },
    };
  }
}
