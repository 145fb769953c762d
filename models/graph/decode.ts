/**
 * ONNX bytes → IR. Handles raw_data and the typed *_data fields, and external-data
 * initializers: pass `externalData` (location → bytes) to resolve them now; otherwise
 * they keep their `external` reference and empty values.
 */
import { fromBinary } from '@bufbuild/protobuf';
import {
  AttributeProto_AttributeType as AT, ModelProtoSchema, TensorProto_DataLocation,
  type AttributeProto, type GraphProto, type TensorProto, type ValueInfoProto,
} from 'onnx-buf';
import type { Attr, DType, Graph, Model, TensorData, ValueInfo } from './ir.ts';
import { BYTES, dtypeFromCode, emptyValues, numel, valuesFromBytes } from './dtype.ts';

const utf8 = new TextDecoder();
type External = Record<string, Uint8Array>;

function typedFromFields(t: TensorProto, dtype: DType, n: number) {
  const v = emptyValues(dtype, n);
  const src: ArrayLike<number | bigint> =
    dtype === 'float32' ? t.floatData
      : dtype === 'float64' ? t.doubleData
        : dtype === 'int64' ? t.int64Data
          : t.int32Data; // int32, int8, uint8, bool, float16 (bit patterns) live in int32_data
  for (let i = 0; i < n && i < src.length; i++) (v as any)[i] = dtype === 'int64' ? BigInt(src[i]) : Number(src[i]);
  return v;
}

export function tensorFromProto(t: TensorProto, ext?: External): TensorData {
  const dtype = dtypeFromCode(t.dataType);
  const dims = t.dims.map(Number);
  const n = numel(dims);
  if (t.dataLocation === TensorProto_DataLocation.EXTERNAL) {
    const kv = Object.fromEntries(t.externalData.map((e) => [e.key, e.value]));
    const location = kv.location;
    const offset = Number(kv.offset ?? 0);
    const length = kv.length !== undefined ? Number(kv.length) : n * BYTES[dtype];
    const file = ext?.[location];
    if (file && offset + length > file.byteLength) {
      throw new Error(`external data for '${t.name}' is truncated: needs bytes ${offset}..${offset + length} of '${location}', file has ${file.byteLength}`);
    }
    return {
      name: t.name, dtype, dims,
      values: file ? valuesFromBytes(dtype, file.subarray(offset, offset + length)) : emptyValues(dtype, 0),
      external: { location, offset, length },
    };
  }
  if (t.rawData.byteLength > 0) {
    if (t.rawData.byteLength !== n * BYTES[dtype]) throw new Error(`tensor '${t.name}': raw_data has ${t.rawData.byteLength} bytes, expected ${n * BYTES[dtype]}`);
    return { name: t.name, dtype, dims, values: valuesFromBytes(dtype, t.rawData) };
  }
  return { name: t.name, dtype, dims, values: typedFromFields(t, dtype, n) };
}

function valueInfo(v: ValueInfoProto): ValueInfo {
  const tt = v.type?.value.case === 'tensorType' ? v.type.value.value : undefined;
  const dims = tt?.shape?.dim.map((d) => (d.value.case === 'dimValue' ? Number(d.value.value) : d.value.case === 'dimParam' ? d.value.value : '?'));
  return { name: v.name, dtype: tt ? dtypeFromCode(tt.elemType) : 'float32', shape: dims };
}

function attr(a: AttributeProto, ext?: External): Attr {
  switch (a.type) {
    case AT.INT: return { kind: 'int', value: Number(a.i) };
    case AT.FLOAT: return { kind: 'float', value: a.f };
    case AT.STRING: return { kind: 'string', value: utf8.decode(a.s) };
    case AT.INTS: return { kind: 'ints', value: a.ints.map(Number) };
    case AT.FLOATS: return { kind: 'floats', value: [...a.floats] };
    case AT.STRINGS: return { kind: 'strings', value: a.strings.map((s) => utf8.decode(s)) };
    case AT.TENSOR: return { kind: 'tensor', value: tensorFromProto(a.t!, ext) };
    case AT.GRAPH: return { kind: 'graph', value: graphFromProto(a.g!, ext) };
    default: throw new Error(`attribute '${a.name}': unsupported attribute type ${a.type}`);
  }
}

export function graphFromProto(g: GraphProto, ext?: External): Graph {
  const initializers = new Map<string, TensorData>();
  for (const t of g.initializer) initializers.set(t.name, tensorFromProto(t, ext));
  return {
    name: g.name,
    nodes: g.node.map((n, i) => ({
      name: n.name || `${n.opType}_${i}`, op: n.opType, domain: n.domain || undefined,
      inputs: [...n.input], outputs: [...n.output],
      attrs: Object.fromEntries(n.attribute.map((a) => [a.name, attr(a, ext)])),
    })),
    // Graph inputs that are also initializers are overridable weights, not feeds.
    inputs: g.input.filter((v) => !initializers.has(v.name)).map(valueInfo),
    outputs: g.output.map(valueInfo),
    initializers,
    valueInfo: new Map(g.valueInfo.map((v) => [v.name, valueInfo(v)])),
  };
}

/** Parse ONNX bytes. Throws a clear error for bytes that are not an ONNX model. */
export function decodeModel(bytes: Uint8Array, externalData?: External): Model {
  let proto;
  try {
    proto = fromBinary(ModelProtoSchema, bytes);
  } catch (e) {
    throw new Error(`not an ONNX model: ${(e as Error).message}`, { cause: e });
  }
  if (!proto.graph || proto.irVersion === 0n) throw new Error('not an ONNX model: no graph or IR version in these bytes');
  const opset = proto.opsetImport.find((o) => o.domain === '' || o.domain === 'ai.onnx');
  return {
    graph: graphFromProto(proto.graph, externalData),
    opset: opset ? Number(opset.version) : 0,
    irVersion: Number(proto.irVersion),
    producer: proto.producerName,
    metadata: Object.fromEntries(proto.metadataProps.map((p) => [p.key, p.value])),
  };
}
