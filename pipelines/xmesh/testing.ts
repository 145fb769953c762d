/**
 * Small fixtures shared by the xmesh tests and the pipeline's self-check: a tiny CLIP-shaped
 * vision graph (random weights, the public `pixel_values` → `image_embeds` contract) and a tiny
 * closed mesh. Not used by the studio at run time.
 */
import type { Model } from '../../models/graph/ir.ts';
import { clipTextGraph, clipVisionGraph } from '../../models/zoo/clip/clipGraphs.ts';
import type { ClipConfig } from '../../models/zoo/clip/config.ts';
import { vitDefaults } from '../../models/zoo/vit.ts';

/** A 1-layer ViT at `size` px (patch 8), projecting to `dim`, with static batch-free I/O like a CLIP export. */
export function tinyClipVision(size = 16, dim = 8, seed: number | string = 'tiny-clip'): Model {
  return clipVisionGraph(tinyClipConfig(size, dim), seed);
}

/** The matching text tower: input_ids [batch,4] int64 (vocabulary of 8) → text_embeds [batch,dim]. */
export function tinyClipText(dim = 8, seed: number | string = 'tiny-clip'): Model {
  return clipTextGraph(tinyClipConfig(16, dim), seed);
}

function tinyClipConfig(size: number, dim: number): ClipConfig {
  return {
    vision: { ...vitDefaults, imageSize: size, patchSize: 8, width: 16, layers: 1, heads: 2, headDim: dim, head: 'visual_projection', pool: 'cls' },
    text: { vocabSize: 8, contextLength: 4, width: 16, layers: 1, heads: 2, mlpRatio: 2, layerNormEps: 1e-5, eotId: 1 },
    projectionDim: dim,
    logitScaleInit: Math.log(1 / 0.07),
  };
}

/** A UV sphere (rings × segments), CCW seen from outside, unit radius. */
export function uvSphere(rings = 4, segments = 6): { positions: Float32Array; indices: Uint32Array } {
  const p: number[] = [0, 1, 0];
  for (let r = 1; r < rings; r++) {
    const th = (Math.PI * r) / rings;
    for (let s = 0; s < segments; s++) {
      const ph = (2 * Math.PI * s) / segments;
      p.push(Math.sin(th) * Math.cos(ph), Math.cos(th), Math.sin(th) * Math.sin(ph));
    }
  }
  p.push(0, -1, 0);
  const idx: number[] = [];
  const ring = (r: number, s: number) => 1 + (r - 1) * segments + (s % segments);
  const bottom = p.length / 3 - 1;
  for (let s = 0; s < segments; s++) idx.push(0, ring(1, s + 1), ring(1, s));
  for (let r = 1; r < rings - 1; r++) {
    for (let s = 0; s < segments; s++) {
      const a = ring(r, s), b = ring(r, s + 1), c = ring(r + 1, s), d = ring(r + 1, s + 1);
      idx.push(a, b, d, a, d, c);
    }
  }
  for (let s = 0; s < segments; s++) idx.push(bottom, ring(rings - 1, s), ring(rings - 1, s + 1));
  return { positions: Float32Array.from(p), indices: Uint32Array.from(idx) };
}
