/**
 * A small in-memory ONNX IR: plain data that the builder makes, the reader fills from
 * `.onnx` bytes, autodiff and surgery rewrite, and the encoder turns back into bytes
 * (onnx-buf). Kept deliberately close to ModelProto so round trips are lossless for
 * everything we use.
 */
export type DType = 'float32' | 'float16' | 'int64' | 'int32' | 'uint8' | 'int8' | 'bool' | 'float64';

/** A dim is a number, or a symbolic name such as 'batch'. */
export type Dim = number | string;

export interface ValueInfo {
  name: string;
  dtype: DType;
  /** undefined = unknown rank. */
  shape?: Dim[];
}

export type TensorValues = Float32Array | Float64Array | Int32Array | BigInt64Array | Uint8Array | Int8Array | Uint16Array;

export interface TensorData {
  name: string;
  dtype: DType;
  dims: number[];
  /** Raw values; for float16 a Uint16Array of bit patterns, for bool a Uint8Array. */
  values: TensorValues;
  /** Set when the tensor lives in an external-data file (values then hold the loaded bytes, if resolved). */
  external?: { location: string; offset: number; length: number };
}

export type Attr =
  | { kind: 'int'; value: number }
  | { kind: 'float'; value: number }
  | { kind: 'string'; value: string }
  | { kind: 'ints'; value: number[] }
  | { kind: 'floats'; value: number[] }
  | { kind: 'strings'; value: string[] }
  | { kind: 'tensor'; value: TensorData }
  | { kind: 'graph'; value: Graph };

export interface Node {
  /** Unique, readable name (scoped, e.g. `down_blocks.1.attentions.0.transformer_blocks.0.attn2/MatMul_3`). */
  name: string;
  op: string;
  domain?: string;
  inputs: string[]; // '' = omitted optional input
  outputs: string[];
  attrs: Record<string, Attr>;
}

export interface Graph {
  name: string;
  nodes: Node[];
  inputs: ValueInfo[];
  outputs: ValueInfo[];
  initializers: Map<string, TensorData>;
  /** Intermediate value types when known (shape inference / reader). */
  valueInfo: Map<string, ValueInfo>;
}

export interface Model {
  graph: Graph;
  opset: number;
  irVersion: number;
  producer: string;
  /** metadata_props */
  metadata: Record<string, string>;
}

export const DEFAULT_OPSET = 17;
