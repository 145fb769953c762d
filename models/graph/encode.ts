/**
 * IR → ONNX bytes, with onnx-buf (protobuf-es). Initializers are written as raw_data;
 * tensors marked `external` are written as EXTERNAL references and their bytes returned
 * separately so callers can store weights next to the model (SD-size models, >2 GB cap).
 */
import { create, toBinary } from '@bufbuild/protobuf';
import {
  AttributeProtoSchema, AttributeProto_AttributeType as AT, GraphProtoSchema, ModelProtoSchema, NodeProtoSchema,
  OperatorSetIdProtoSchema, StringStringEntryProtoSchema, TensorProtoSchema, TensorProto_DataLocation,
  TensorShapeProtoSchema, TensorShapeProto_DimensionSchema, TypeProtoSchema, TypeProto_TensorSchema, ValueInfoProtoSchema,
  type AttributeProto, type GraphProto, type TensorProto, type ValueInfoProto,
} from 'onnx-buf';
import type { Attr, Graph, Model, TensorData, ValueInfo } from './ir.ts';
import { ONNX_CODE, bytesOf } from './dtype.ts';

const utf8 = new TextEncoder();

function tensorProto(t: TensorData): TensorProto {
  if (t.external) {
    return create(TensorProtoSchema, {
      name: t.name, dataType: ONNX_CODE[t.dtype], dims: t.dims.map(BigInt), dataLocation: TensorProto_DataLocation.EXTERNAL,
      externalData: [
        create(StringStringEntryProtoSchema, { key: 'location', value: t.external.location }),
        create(StringStringEntryProtoSchema, { key: 'offset', value: String(t.external.offset) }),
        create(StringStringEntryProtoSchema, { key: 'length', value: String(t.external.length) }),
      ],
    });
  }
  return create(TensorProtoSchema, {
    name: t.name, dataType: ONNX_CODE[t.dtype], dims: t.dims.map(BigInt), rawData: bytesOf(t.values).slice(),
  });
}

export function valueInfoProto(v: ValueInfo): ValueInfoProto {
  const shape = v.shape
    ? create(TensorShapeProtoSchema, {
      dim: v.shape.map((d) => create(TensorShapeProto_DimensionSchema, {
        value: typeof d === 'number' ? { case: 'dimValue', value: BigInt(d) } : { case: 'dimParam', value: d },
      })),
    })
    : undefined;
  return create(ValueInfoProtoSchema, {
    name: v.name,
    type: create(TypeProtoSchema, { value: { case: 'tensorType', value: create(TypeProto_TensorSchema, { elemType: ONNX_CODE[v.dtype], shape }) } }),
  });
}

function attrProto(name: string, a: Attr): AttributeProto {
  switch (a.kind) {
    case 'int': return create(AttributeProtoSchema, { name, type: AT.INT, i: BigInt(a.value) });
    case 'float': return create(AttributeProtoSchema, { name, type: AT.FLOAT, f: a.value });
    case 'string': return create(AttributeProtoSchema, { name, type: AT.STRING, s: utf8.encode(a.value) });
    case 'ints': return create(AttributeProtoSchema, { name, type: AT.INTS, ints: a.value.map(BigInt) });
    case 'floats': return create(AttributeProtoSchema, { name, type: AT.FLOATS, floats: a.value });
    case 'strings': return create(AttributeProtoSchema, { name, type: AT.STRINGS, strings: a.value.map((s) => utf8.encode(s)) });
    case 'tensor': return create(AttributeProtoSchema, { name, type: AT.TENSOR, t: tensorProto(a.value) });
    case 'graph': return create(AttributeProtoSchema, { name, type: AT.GRAPH, g: graphProto(a.value) });
  }
}

export function graphProto(g: Graph): GraphProto {
  return create(GraphProtoSchema, {
    name: g.name,
    node: g.nodes.map((n) => create(NodeProtoSchema, {
      name: n.name, opType: n.op, domain: n.domain ?? '', input: n.inputs, output: n.outputs,
      attribute: Object.entries(n.attrs).map(([k, a]) => attrProto(k, a)),
    })),
    input: g.inputs.map(valueInfoProto),
    output: g.outputs.map(valueInfoProto),
    initializer: [...g.initializers.values()].map(tensorProto),
    valueInfo: [...g.valueInfo.values()].map(valueInfoProto),
  });
}

/** Encode a model. Opset imports: the default domain at `model.opset`, plus any custom domains used. */
export function encodeModel(m: Model): Uint8Array {
  const domains = new Set<string>();
  for (const n of m.graph.nodes) if (n.domain) domains.add(n.domain);
  const proto = create(ModelProtoSchema, {
    irVersion: BigInt(m.irVersion),
    producerName: m.producer,
    graph: graphProto(m.graph),
    opsetImport: [
      create(OperatorSetIdProtoSchema, { domain: '', version: BigInt(m.opset) }),
      ...[...domains].map((d) => create(OperatorSetIdProtoSchema, { domain: d, version: 1n })),
    ],
    metadataProps: Object.entries(m.metadata).map(([key, value]) => create(StringStringEntryProtoSchema, { key, value })),
  });
  return toBinary(ModelProtoSchema, proto);
}
