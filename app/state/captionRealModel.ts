/**
 * The real VLM for the Caption workspace: the user picks the files of a SmolVLM per-layer export
 * (models/manifests/vlmSmolvlm.ts lists them); they are hashed here (WebCrypto) and pinned against
 * the spec — a missing file or a known hash that differs is refused with the spec's message —
 * and then travel to the worker as the caption task's `real` input.
 */
import { SMOLVLM_256M_LAYERWISE, pinRealVlm, type RealVlmSpec } from '../../models/manifests/vlmSmolvlm.ts';
import type { RealVlmFiles } from '../../pipelines/dyvte/realRun.ts';

export interface PickedFile { name: string; bytes: Uint8Array }

export interface PickedRealModel extends RealVlmFiles {
  totalBytes: number;
  fileCount: number;
  hasGates: boolean;
}

async function sha256Hex(b: Uint8Array): Promise<string> {
  const d = new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', b as Uint8Array<ArrayBuffer>));
  return Array.from(d, (x) => x.toString(16).padStart(2, '0')).join('');
}

/**
 * Pin picked files (names as exported; folders in the picked paths are ignored) → the caption
 * task's `real` input. Throws the spec's PinError (which file, how big, where from) when one is missing.
 */
export async function pinPickedFiles(picked: readonly PickedFile[], spec: RealVlmSpec = SMOLVLM_256M_LAYERWISE): Promise<PickedRealModel> {
  const files: Record<string, Uint8Array> = {}, sha256: Record<string, string> = {};
  for (const f of picked) {
    const name = f.name.split('/').pop()!;
    files[name] = f.bytes;
  }
  const digests: Record<string, { bytes: number; sha256: string }> = {};
  for (const [name, b] of Object.entries(files)) {
    sha256[name] = await sha256Hex(b);
    digests[name] = { bytes: b.length, sha256: sha256[name] };
  }
  const pinned = pinRealVlm(spec, digests);
  const used = new Set([...pinned.map((m) => m.files[0].name), spec.tokenizer.name]);
  const kept = Object.fromEntries(Object.entries(files).filter(([n]) => used.has(n)));
  return {
    id: spec.id, config: spec.config, files: kept, sha256: Object.fromEntries(Object.entries(sha256).filter(([n]) => used.has(n))),
    totalBytes: Object.values(kept).reduce((a, b) => a + b.length, 0), fileCount: Object.keys(kept).length,
    hasGates: pinned.some((m) => m.files[0].name === 'dyvte_gates.onnx'),
  };
}
