/**
 * The checks that need no download (`needs` vs the capability probe) and the ones on
 * bytes (ONNX sniff, I/O contract). Each throws its own ModelLoadError subclass.
 */
import type { Capabilities, IOInfo } from '../runtime/Runtime.ts';
import type { IOSpec, ModelManifest } from '../manifests/schema.ts';
import { decodeModel } from '../graph/decode.ts';
import { IoMismatchError, NeedsBufferError, NeedsF16Error, NotOnnxError } from './errors.ts';

/** Refuse before downloading what this device cannot run. */
export function checkNeeds(m: ModelManifest, caps: Capabilities): void {
  const adapter = caps.adapter ? `the ${caps.adapter.vendor || 'unknown'} ${caps.adapter.architecture || ''} adapter`.replace(/\s+/g, ' ') : 'this device (no WebGPU adapter)';
  if (m.needs.f16 && !caps.shaderF16) throw new NeedsF16Error(m.id, adapter);
  // Without a known limit (Node, CPU EP) there is no GPU buffer to outgrow.
  if (m.needs.minBufferBytes !== undefined && caps.maxBufferSize !== undefined && m.needs.minBufferBytes > caps.maxBufferSize) {
    throw new NeedsBufferError(m.id, m.needs.minBufferBytes, caps.maxBufferSize);
  }
}

/** Graphs up to this size are fully decoded (catches any malformed protobuf); larger ones are sniffed. */
const DECODE_LIMIT = 32 << 20;

/**
 * Is this an ONNX ModelProto? Returns the declared inputs/outputs when the graph was decoded.
 * Protobuf writers emit fields in number order, so a ModelProto starts with field 1
 * (ir_version, varint: tag byte 0x08).
 */
export function sniffOnnx(modelId: string, file: string, bytes: Uint8Array): { inputs: IOInfo[]; outputs: IOInfo[] } | undefined {
  if (bytes.length < 2 || bytes[0] !== 0x08) {
    throw new NotOnnxError(modelId, file, `starts with bytes ${[...bytes.slice(0, 4)].map((b) => b.toString(16).padStart(2, '0')).join(' ')}, not an ONNX ModelProto header`);
  }
  if (bytes.length > DECODE_LIMIT) return undefined;
  try {
    const g = decodeModel(bytes).graph;
    const init = new Set(g.initializers.keys());
    const io = (v: { name: string; dtype: string; shape?: (number | string)[] }): IOInfo => ({ name: v.name, dtype: v.dtype as IOInfo['dtype'], shape: v.shape });
    // Old exporters list initializers among graph inputs; they are not real inputs.
    return { inputs: g.inputs.filter((v) => !init.has(v.name)).map(io), outputs: g.outputs.map(io) };
  } catch (err) {
    throw new NotOnnxError(modelId, file, (err as Error).message);
  }
}

function compare(kind: 'input' | 'output', want: IOSpec, got: IOInfo | undefined, problems: string[]): void {
  if (!got) { problems.push(`the model has no ${kind} "${want.name}"`); return; }
  if (got.dtype && got.dtype !== want.dtype) problems.push(`${kind} "${want.name}" is ${got.dtype}, the manifest says ${want.dtype}`);
  if (!got.shape) return;
  const shapeStr = (s: (number | string)[]) => `[${s.join(', ')}]`;
  if (got.shape.length !== want.shape.length) {
    problems.push(`${kind} "${want.name}" has shape ${shapeStr(got.shape)}, the manifest says ${shapeStr(want.shape)}`);
    return;
  }
  // Symbolic dims on either side match anything; two fixed dims must be equal.
  const bad = want.shape.some((d, i) => typeof d === 'number' && typeof got.shape![i] === 'number' && got.shape![i] !== d);
  if (bad) problems.push(`${kind} "${want.name}" has shape ${shapeStr(got.shape)}, the manifest says ${shapeStr(want.shape)}`);
}

/** The session's (or decoded graph's) inputs/outputs against the manifest's contract. */
export function checkIo(m: ModelManifest, actual: { inputs: readonly IOInfo[]; outputs: readonly IOInfo[] }): void {
  const problems: string[] = [];
  const byName = (xs: readonly IOInfo[]) => new Map(xs.map((x) => [x.name, x]));
  const ins = byName(actual.inputs);
  const outs = byName(actual.outputs);
  for (const w of m.io.inputs) compare('input', w, ins.get(w.name), problems);
  for (const w of m.io.outputs) compare('output', w, outs.get(w.name), problems);
  const declared = new Set(m.io.inputs.map((i) => i.name));
  for (const a of actual.inputs) if (!declared.has(a.name)) problems.push(`the model needs input "${a.name}" that the manifest does not declare`);
  if (problems.length) throw new IoMismatchError(m.id, problems);
}
