/**
 * One error class per load failure, each with a code (mirrors LoadErrorCode in
 * app/worker/StudioClient.ts) and a message that names the model and the file, so the
 * Models window and the CLI can show exactly what went wrong and what to do.
 */
export type LoadErrorCode = 'unreachable' | 'sha256-mismatch' | 'truncated' | 'not-onnx' | 'io-mismatch' | 'needs-f16' | 'needs-buffer' | 'unknown';

export class ModelLoadError extends Error {
  constructor(readonly code: LoadErrorCode, readonly modelId: string, message: string, readonly file?: string) {
    super(message);
    this.name = 'ModelLoadError';
  }
}

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const where = (model: string, file?: string) => (file ? `model "${model}", file "${file}"` : `model "${model}"`);

export class UnreachableError extends ModelLoadError {
  constructor(model: string, file: string, url: string, cause: string) {
    super('unreachable', model, `Cannot download ${where(model, file)}: ${url} is unreachable (${cause}). Check the address or your connection.`, file);
  }
}

export class Sha256MismatchError extends ModelLoadError {
  constructor(model: string, file: string, expected: string, actual: string) {
    super('sha256-mismatch', model, `Integrity check failed for ${where(model, file)}: sha256 is ${actual.slice(0, 16)}…, the manifest expects ${expected.slice(0, 16)}…. The file is corrupt or a different version; it was not cached.`, file);
  }
}

export class TruncatedError extends ModelLoadError {
  constructor(model: string, file: string, expected: number, actual: number) {
    super('truncated', model, `Truncated download for ${where(model, file)}: got ${actual} of ${expected} bytes. Retry the download.`, file);
  }
}

export class NotOnnxError extends ModelLoadError {
  constructor(model: string, file: string, detail: string) {
    super('not-onnx', model, `${cap(where(model, file))} is not an ONNX model (${detail}).`, file);
  }
}

export class IoMismatchError extends ModelLoadError {
  constructor(model: string, problems: string[]) {
    super('io-mismatch', model, `I/O contract mismatch for ${where(model)}: ${problems.join('; ')}.`);
  }
}

export class NeedsF16Error extends ModelLoadError {
  constructor(model: string, adapter: string) {
    super('needs-f16', model, `${cap(where(model))} needs WebGPU shader-f16 (fp16 weights), but ${adapter} does not offer it. Use an fp32 variant or another GPU.`);
  }
}

export class NeedsBufferError extends ModelLoadError {
  constructor(model: string, need: number, max: number) {
    super('needs-buffer', model, `${cap(where(model))} needs GPU buffers of ${fmtBytes(need)}, but this adapter's maxBufferSize is ${fmtBytes(max)}.`);
  }
}

export function fmtBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  let v = n;
  while (v >= 1024 && i < units.length - 1) { v /= 1024; i++; }
  return `${v.toFixed(i ? 1 : 0)} ${units[i]}`;
}

/** Any thrown value as a coded load error (unknown failures keep their message). */
export function asLoadError(modelId: string, err: unknown): ModelLoadError {
  if (err instanceof ModelLoadError) return err;
  return new ModelLoadError('unknown', modelId, `Loading model "${modelId}" failed: ${(err as Error)?.message ?? String(err)}`);
}
