/** DType ↔ ONNX TensorProto.DataType codes, byte sizes and typed-array constructors. */
import type { DType, TensorValues } from './ir.ts';

export const ONNX_CODE: Record<DType, number> = {
  float32: 1, uint8: 2, int8: 3, int32: 6, int64: 7, bool: 9, float16: 10, float64: 11,
};
const FROM_CODE = new Map<number, DType>(Object.entries(ONNX_CODE).map(([k, v]) => [v, k as DType]));

export function dtypeFromCode(code: number): DType {
  const d = FROM_CODE.get(code);
  if (!d) throw new Error(`unsupported ONNX data type code ${code}`);
  return d;
}

export const BYTES: Record<DType, number> = { float32: 4, uint8: 1, int8: 1, int32: 4, int64: 8, bool: 1, float16: 2, float64: 8 };

/** Typed-array view over raw little-endian bytes (copied so alignment is always valid). */
export function valuesFromBytes(dtype: DType, bytes: Uint8Array): TensorValues {
  const buf = bytes.slice().buffer;
  switch (dtype) {
    case 'float32': return new Float32Array(buf);
    case 'float64': return new Float64Array(buf);
    case 'int32': return new Int32Array(buf);
    case 'int64': return new BigInt64Array(buf);
    case 'float16': return new Uint16Array(buf);
    case 'int8': return new Int8Array(buf);
    case 'uint8': case 'bool': return new Uint8Array(buf);
  }
}

export function bytesOf(values: TensorValues): Uint8Array {
  return new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
}

export function emptyValues(dtype: DType, n: number): TensorValues {
  return valuesFromBytes(dtype, new Uint8Array(n * BYTES[dtype]));
}

export const numel = (dims: readonly number[]): number => dims.reduce((a, b) => a * b, 1);
