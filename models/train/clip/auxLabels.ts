/**
 * Labels for micro-CLIP's auxiliary attribute heads (zoo/clip/clipGraphs.ts `AuxHeads`).
 *
 * Why: contrastive batches can be matched by color, background and position words alone, so
 * the image tower learns shape, pattern and material late or never (issue 4's diagnosis). A
 * supervised head per attribute on the image embedding gives those attributes a gradient in
 * every batch. Microworld knows every attribute exactly, so the labels are free. Labels exist
 * only where the attribute names the whole image: single-object scenes (color, shape, pattern)
 * and mesh renders (material); everything else gets an all-zero row, which adds no loss.
 */
import { COLOR_NAMES, MATERIALS, PATTERNS, SHAPES } from '../../data/microworld/attributes.ts';
import type { AuxHeads } from '../../zoo/clip/clipGraphs.ts';
import type { SampleAttrs } from './samples.ts';
import type { HostTensor } from '../DataLoader.ts';

const CLASSES = { color: COLOR_NAMES, shape: SHAPES, pattern: PATTERNS, material: MATERIALS } as const;
export type AuxAttribute = keyof typeof CLASSES;
export const AUX_ATTRIBUTES = Object.keys(CLASSES) as AuxAttribute[];

export function auxHeads(weight: number): AuxHeads {
  return { weight, heads: AUX_ATTRIBUTES.map((name) => ({ name, classes: CLASSES[name].length })) };
}

/** Class index of `attr` for a sample, or -1 where the image has no single value of it. */
export function auxLabel(a: SampleAttrs, attr: AuxAttribute): number {
  if (a.objects !== 1) return -1;
  if (attr === 'material') return a.kind === 'mesh' && a.material ? MATERIALS.indexOf(a.material) : -1;
  if (a.kind !== 'scene') return -1;
  const v = a[attr];
  return v === undefined ? -1 : (CLASSES[attr] as readonly string[]).indexOf(v);
}

/** One-hot [B, classes] rows for these samples (zero rows where unlabeled). */
export function auxOneHot(attrs: readonly SampleAttrs[], attr: AuxAttribute): Float32Array {
  const K = CLASSES[attr].length;
  const out = new Float32Array(attrs.length * K);
  attrs.forEach((a, i) => {
    const k = auxLabel(a, attr);
    if (k >= 0) out[i * K + k] = 1;
  });
  return out;
}

/** The `attr_<head>` batch inputs for these samples' attributes. */
export function auxTensors(attrs: readonly SampleAttrs[]): Record<string, HostTensor> {
  const out: Record<string, HostTensor> = {};
  for (const a of AUX_ATTRIBUTES) {
    const data = auxOneHot(attrs, a);
    out[`attr_${a}`] = { dtype: 'float32', dims: [attrs.length, CLASSES[a].length], data };
  }
  return out;
}
