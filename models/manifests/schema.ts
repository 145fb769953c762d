/**
 * Model manifest: everything the studio needs to know about a model before touching its
 * bytes — files with sizes and sha256 (integrity, progress totals), the I/O contract the
 * pipelines rely on (checked against the session after loading), and what the device must
 * offer (`needs`, checked against the capability probe before downloading).
 */
import type { TensorDType } from '../runtime/Runtime.ts';

export type ModelSource = 'assets' | 'url' | 'user';

export interface ManifestFile {
  name: string;
  bytes: number;
  /** Lower-case hex sha256 of the file's bytes. */
  sha256: string;
  /**
   * Where to read it. source 'assets': a path relative to the assets root (default
   * `models/<id>/<name>`); source 'url': an absolute URL. The first file is the model graph.
   */
  url?: string;
}

export interface IOSpec {
  name: string;
  dtype: TensorDType;
  /** Numbers are fixed dims, strings are symbolic (any size). */
  shape: (number | string)[];
}

export interface ModelNeeds {
  /** Needs WebGPU's shader-f16 (fp16 weights). */
  f16?: boolean;
  /** Largest single GPU buffer the model allocates. */
  minBufferBytes?: number;
  /** Estimated peak memory. */
  memoryBytes?: number;
}

export interface ModelManifest {
  id: string;
  title: string;
  /** The pipeline task this model serves (pipelines/registry.ts key), or a free label. */
  task: string;
  files: ManifestFile[];
  io: { inputs: IOSpec[]; outputs: IOSpec[] };
  needs: ModelNeeds;
  source: ModelSource;
  /** Why this manifest exists, for fixtures: the failure it must produce. */
  note?: string;
}

const HEX64 = /^[0-9a-f]{64}$/;

/** Structural validation; returns problems (empty = valid). Used by tests over every manifest. */
export function validateManifest(m: ModelManifest): string[] {
  const p: string[] = [];
  if (!/^[a-z0-9][a-z0-9-]*$/.test(m.id)) p.push(`id "${m.id}" must be kebab-case`);
  if (!m.files.length) p.push('no files');
  for (const f of m.files) {
    if (!Number.isInteger(f.bytes) || f.bytes <= 0) p.push(`${f.name}: bytes must be a positive integer`);
    if (!HEX64.test(f.sha256)) p.push(`${f.name}: sha256 must be 64 lower-case hex digits`);
    if (m.source === 'url' && !f.url) p.push(`${f.name}: source 'url' needs a url`);
  }
  for (const io of [...m.io.inputs, ...m.io.outputs]) {
    if (!io.name) p.push('io entry without a name');
    if (!io.shape.every((d) => typeof d === 'string' || (Number.isInteger(d) && d >= 0))) p.push(`${io.name}: bad shape`);
  }
  return p;
}

export const totalBytes = (m: ModelManifest): number => m.files.reduce((a, f) => a + f.bytes, 0);

/** Where a file is read from: an assets-relative path or an absolute URL. */
export function fileLocation(m: ModelManifest, f: ManifestFile): string {
  return f.url ?? `models/${m.id}/${f.name}`;
}
