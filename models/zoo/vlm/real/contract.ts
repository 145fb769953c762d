/**
 * The per-layer ONNX contract of the real path (spec B9.1): which files, which I/O names and
 * shapes. Two files are the published SmolVLM ONNX parts as they are (`vision_encoder.onnx`,
 * `embed_tokens.onnx`, the transformers.js I/O); the decoder is exported one session per layer
 * plus the head, because the published `decoder_model_merged.onnx` cannot drop tokens between
 * layers (one mask and one sequence length for all layers). `tokenizer.json` is the model's own.
 *
 *   decoder_layer_{i}.onnx  hidden_states [1,seq,d] f32, position_ids [1,seq] i64,
 *                           attention_bias [1,1,seq,total] f32, past_key/past_value [1,kv,past,hd]
 *                           → hidden_states_out [1,seq,d], present_key/present_value [1,kv,total,hd]
 *   lm_head.onnx            hidden_states [1,seq,d] → logits [1,seq,V]   (final RMSNorm inside)
 *   dyvte_gates.onnx        optional: features [batch,2d], layer [batch] i64 → logits [batch,2]
 */
import type { IOSpec } from '../../../manifests/schema.ts';
import type { Session } from '../../../runtime/Runtime.ts';
import type { LlamaVlmConfig } from './config.ts';

export type Io = { inputs: IOSpec[]; outputs: IOSpec[] };

export const REAL_VLM_FILES = {
  vision: 'vision_encoder.onnx',
  embed: 'embed_tokens.onnx',
  layer: (i: number) => `decoder_layer_${i}.onnx`,
  head: 'lm_head.onnx',
  gates: 'dyvte_gates.onnx',
  tokenizer: 'tokenizer.json',
} as const;

export function visionIo(c: LlamaVlmConfig): Io {
  return {
    inputs: [
      { name: 'pixel_values', dtype: 'float32', shape: ['batch_size', 'num_images', 3, c.imageSize, c.imageSize] },
      { name: 'pixel_attention_mask', dtype: 'bool', shape: ['batch_size', 'num_images', c.imageSize, c.imageSize] },
    ],
    outputs: [{ name: 'image_features', dtype: 'float32', shape: ['num_tiles', c.imageTokens, c.hidden] }],
  };
}

export function embedIo(c: LlamaVlmConfig): Io {
  return {
    inputs: [{ name: 'input_ids', dtype: 'int64', shape: ['batch_size', 'sequence_length'] }],
    outputs: [{ name: 'inputs_embeds', dtype: 'float32', shape: ['batch_size', 'sequence_length', c.hidden] }],
  };
}

export function layerIo(c: LlamaVlmConfig): Io {
  const kv = (name: string, len: string): IOSpec => ({ name, dtype: 'float32', shape: [1, c.kvHeads, len, c.headDim] });
  return {
    inputs: [
      { name: 'hidden_states', dtype: 'float32', shape: [1, 'seq', c.hidden] },
      { name: 'position_ids', dtype: 'int64', shape: [1, 'seq'] },
      { name: 'attention_bias', dtype: 'float32', shape: [1, 1, 'seq', 'total'] },
      kv('past_key', 'past'), kv('past_value', 'past'),
    ],
    outputs: [{ name: 'hidden_states_out', dtype: 'float32', shape: [1, 'seq', c.hidden] }, kv('present_key', 'total'), kv('present_value', 'total')],
  };
}

export function headIo(c: LlamaVlmConfig): Io {
  return {
    inputs: [{ name: 'hidden_states', dtype: 'float32', shape: [1, 'seq', c.hidden] }],
    outputs: [{ name: 'logits', dtype: 'float32', shape: [1, 'seq', c.vocabSize] }],
  };
}

export function gatesIo(c: LlamaVlmConfig): Io {
  return {
    inputs: [{ name: 'features', dtype: 'float32', shape: ['batch', 2 * c.hidden] }, { name: 'layer', dtype: 'int64', shape: ['batch'] }],
    outputs: [{ name: 'logits', dtype: 'float32', shape: ['batch', 2] }],
  };
}

/**
 * Problems between a session's declared I/O and the contract (empty = fine): missing names,
 * wrong dtypes, and fixed dims that differ (symbolic dims match anything). Exporters name
 * symbolic dims freely, so only numbers are compared.
 */
export function contractProblems(file: string, io: Io, s: Pick<Session, 'inputs' | 'outputs'>): string[] {
  const out: string[] = [];
  const check = (kind: 'input' | 'output', want: IOSpec[], have: Session['inputs']) => {
    for (const w of want) {
      const h = have.find((x) => x.name === w.name);
      if (!h) { out.push(`${file}: no ${kind} '${w.name}' (has ${have.map((x) => x.name).join(', ') || 'none'})`); continue; }
      if (h.dtype && h.dtype !== w.dtype) out.push(`${file}: ${kind} '${w.name}' is ${h.dtype}, expected ${w.dtype}`);
      if (h.shape) {
        if (h.shape.length !== w.shape.length) out.push(`${file}: ${kind} '${w.name}' has rank ${h.shape.length}, expected ${w.shape.length}`);
        else w.shape.forEach((d, k) => {
          const got = h.shape![k];
          if (typeof d === 'number' && typeof got === 'number' && got !== d) out.push(`${file}: ${kind} '${w.name}' dim ${k} is ${got}, expected ${d}`);
        });
      }
    }
  };
  check('input', io.inputs, s.inputs);
  check('output', io.outputs, s.outputs);
  return out;
}
