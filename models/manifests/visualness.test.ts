import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { validateManifest } from './schema.ts';
import { VISUALNESS_MANIFESTS, VISUALNESS_MICRO } from './visualness.ts';
import { readNullEmbedding, VISUALNESS_CLIP_VIT_B32 } from './visualnessReal.ts';

describe('visualness manifests', () => {
  it('micro: valid manifests whose bytes and sha256 match the committed files; unit NULL embedding of the embed dim', () => {
    for (const m of VISUALNESS_MANIFESTS) {
      expect(validateManifest(m)).toEqual([]);
      const bytes = readFileSync(`assets/${m.files[0].url}`);
      expect(bytes.length).toBe(m.files[0].bytes);
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(m.files[0].sha256);
    }
    const n = VISUALNESS_MICRO.nullEmbedding;
    expect(n.kind).toBe('inline');
    if (n.kind === 'inline') {
      expect(n.values).toHaveLength(VISUALNESS_MICRO.embedDim);
      expect(Math.hypot(...n.values)).toBeCloseTo(1, 4);
    }
    expect(VISUALNESS_MICRO.scorer.io.inputs.filter((i) => i.name.startsWith('attn_delta_')).length).toBeGreaterThan(0);
  });

  it('real path: CLIP ViT-B/32 text encoder + a 512-float NULL file; wrong sizes and zero vectors are refused', () => {
    expect(VISUALNESS_CLIP_VIT_B32.text.io.outputs.map((o) => o.name)).toContain('text_embeds');
    expect(VISUALNESS_CLIP_VIT_B32.nullEmbedding.dim).toBe(512);
    const v = new Float32Array(512).fill(2);
    const unit = readNullEmbedding(new Uint8Array(v.buffer), 512);
    expect(Math.hypot(...unit)).toBeCloseTo(1, 5);
    expect(() => readNullEmbedding(new Uint8Array(100), 512)).toThrow(/100 bytes, expected 2048/);
    expect(() => readNullEmbedding(new Uint8Array(2048), 512)).toThrow(/zero or non-finite/);
  });
});
