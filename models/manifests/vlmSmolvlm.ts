/**
 * The real VLM for the caption task: SmolVLM-256M-Instruct (HuggingFaceTB, Apache-2.0), whose 64
 * image tokens per tile live in the decoder stream, executed layer by layer for DyVTE
 * (models/zoo/vlm/real/). Files and I/O follow the per-layer contract (contract.ts):
 *  - `vision_encoder.onnx`, `embed_tokens.onnx`, `tokenizer.json`: the published files as they are;
 *  - `decoder_layer_{0…29}.onnx`, `lm_head.onnx`: the decoder split per layer by the user (the
 *    published `decoder_model_merged.onnx` cannot drop tokens between layers, spec B9), hence the
 *    `user://` scheme: the user supplies them;
 *  - `dyvte_gates.onnx` is optional (gates must be trained for this model; routers do not transfer
 *    across hidden sizes, spec B9.5) — without it, exit is off or a fixed layer.
 * Sizes are fp32 estimates from the architecture (d 576, 30 layers, vocab 49 280; SigLIP-B/16
 * 93 M); sha256 are unknown offline, so files are pinned on first load (`pinSmolVlm`, trust on
 * first use as clipBundle.ts does), after which the standard loader verifies them.
 */
import { SMOLVLM_256M, type LlamaVlmConfig } from '../zoo/vlm/real/config.ts';
import { type Io, REAL_VLM_FILES, embedIo, gatesIo, headIo, layerIo, visionIo } from '../zoo/vlm/real/contract.ts';
import { PinError, type SpecFile } from './clipBundle.ts';
import type { ModelManifest } from './schema.ts';

const HUB = 'https://huggingface.co/HuggingFaceTB/SmolVLM-256M-Instruct/resolve/main';
const USER = 'user://smolvlm-256m-layerwise';
const MB = 1_000_000;

export interface RealVlmPart { file: SpecFile; io: Io; optional?: boolean }

export interface RealVlmSpec {
  id: string;
  title: string;
  config: LlamaVlmConfig;
  parts: RealVlmPart[];
  tokenizer: SpecFile;
  needs: ModelManifest['needs'];
}

/** The spec for a SmolVLM-shaped config (tests use a micro config with the same contract). */
export function smolvlmSpec(c: LlamaVlmConfig): RealVlmSpec {
  const layerBytes = 4 * (2 * c.hidden * c.heads * c.headDim + 2 * c.hidden * c.kvHeads * c.headDim + 3 * c.hidden * c.intermediate + 2 * c.hidden);
  const tableBytes = 4 * c.vocabSize * c.hidden;
  const F = REAL_VLM_FILES;
  return {
    id: 'smolvlm-256m-layerwise',
    title: 'SmolVLM-256M-Instruct, per-layer export (your files)',
    config: c,
    parts: [
      { file: { name: F.vision, approxBytes: 400 * MB, url: `${HUB}/onnx/vision_encoder.onnx` }, io: visionIo(c) },
      { file: { name: F.embed, approxBytes: tableBytes, url: `${HUB}/onnx/embed_tokens.onnx` }, io: embedIo(c) },
      ...Array.from({ length: c.layers }, (_, i): RealVlmPart => ({ file: { name: F.layer(i), approxBytes: layerBytes, url: `${USER}/${F.layer(i)}` }, io: layerIo(c) })),
      { file: { name: F.head, approxBytes: tableBytes + 4 * c.hidden, url: `${USER}/${F.head}` }, io: headIo(c) },
      { file: { name: F.gates, approxBytes: 4 * c.layers * (2 * c.hidden * c.gateHidden + 2 * c.gateHidden), url: `${USER}/${F.gates}` }, io: gatesIo(c), optional: true },
    ],
    tokenizer: { name: F.tokenizer, approxBytes: 3.5 * MB, url: `${HUB}/tokenizer.json` },
    // fp32 weights (~0.95 GB) plus activations and the KV cache of a ~100-token prompt; the
    // largest single buffer is the 49 280 × 576 embedding / head table.
    needs: { memoryBytes: 1_300 * MB, minBufferBytes: tableBytes },
  };
}

export const SMOLVLM_256M_LAYERWISE: RealVlmSpec = smolvlmSpec(SMOLVLM_256M);

export const realVlmApproxBytes = (s: RealVlmSpec): number =>
  s.parts.filter((p) => !p.optional).reduce((a, p) => a + p.file.approxBytes, 0) + s.tokenizer.approxBytes;

/**
 * Exact manifests (one per ONNX part, source 'user') from the digests of the user's files; the
 * optional gates are included when present. Throws PinError naming the first missing file.
 */
export function pinRealVlm(s: RealVlmSpec, files: Record<string, { bytes: number; sha256: string }>): ModelManifest[] {
  const out: ModelManifest[] = [];
  for (const p of s.parts) {
    const got = files[p.file.name];
    if (!got) {
      if (p.optional) continue;
      throw new PinError(p.file.name, `${s.id}: file ${p.file.name} is missing (about ${(p.file.approxBytes / MB).toFixed(0)} MB; ${p.file.url.startsWith('user://') ? 'export it with the per-layer contract' : `from ${p.file.url}`})`);
    }
    if (p.file.sha256 && got.sha256 !== p.file.sha256) throw new PinError(p.file.name, `${s.id}: ${p.file.name} has sha256 ${got.sha256}, expected ${p.file.sha256}`);
    out.push({
      id: `${s.id}-${p.file.name.replace(/\.onnx$/, '').replace(/_/g, '-')}`, title: `${s.title}: ${p.file.name}`, task: 'caption', source: 'user',
      files: [{ name: p.file.name, bytes: got.bytes, sha256: got.sha256, url: p.file.url }], io: p.io, needs: s.needs,
    });
  }
  if (!files[s.tokenizer.name]) throw new PinError(s.tokenizer.name, `${s.id}: ${s.tokenizer.name} is missing (from ${s.tokenizer.url})`);
  return out;
}

/**
 * sha256 placeholder of files not pinned yet (the user's own export has no published hash). It
 * never matches real bytes, so the generic loader refuses such a file instead of trusting it;
 * pinning (pinRealVlm, from the bytes the user picks) replaces it with the real digest.
 */
export const UNPINNED_SHA256 = '0'.repeat(64);

/**
 * The Models window's row for the real VLM: every required file with its estimated size and the
 * memory needs, source 'user'. It is a listing — the bytes come from the user's files, not from
 * the studio's loader (which has no file picker), and are pinned when picked.
 */
export const SMOLVLM_LISTING: ModelManifest = {
  id: SMOLVLM_256M_LAYERWISE.id,
  title: SMOLVLM_256M_LAYERWISE.title,
  task: 'caption',
  source: 'user',
  // user:// for every file, the published ones too: the loader cannot verify an unpinned file, so
  // it must not download ~1 GB only to refuse it; the bytes come through the Caption workspace.
  files: SMOLVLM_256M_LAYERWISE.parts.filter((p) => !p.optional).map((p) => ({ name: p.file.name, bytes: Math.round(p.file.approxBytes), sha256: UNPINNED_SHA256, url: `${USER}/${p.file.name}` })),
  io: SMOLVLM_256M_LAYERWISE.parts[2].io,
  needs: SMOLVLM_256M_LAYERWISE.needs,
  note: 'estimated sizes; sha256 pinned from the user\'s files (UNPINNED_SHA256 until then)',
};
