/**
 * Labels for micro-CLIP's auxiliary attribute heads (zoo/clip/clipGraphs.ts `AuxHeads`).
 *
 * Why: contrastive batches can be matched by color, background and position words alone, so
 * the image tower learns shape, pattern and material late or never (issue 4's diagnosis). A
 * supervised head per attribute on the image embedding gives those attributes a gradient in
 * every batch. Microworld knows every attribute exactly, so the labels are free. Labels exist
 * only where the attribute names the whole image: single-object scenes (color, shape, pattern),
 * mesh renders (material) and every scene (background); everything else gets an all-zero row,
 * which adds no loss.
 */
import { COLOR_NAMES, MATERIALS, PATTERNS, PLAIN_BACKGROUNDS, SHAPES, TEXTURES } from '../../data/microworld/attributes.ts';
import { backgroundName } from '../../data/microworld/backgrounds.ts';
import type { AuxHeads } from '../../zoo/clip/clipGraphs.ts';
import type { SampleAttrs } from './samples.ts';
import type { HostTensor } from '../DataLoader.ts';

/** Background classes, named as `backgroundName` names them (the text-to-image eval classifies these). */
export const BACKGROUND_NAMES: readonly string[] = [
  ...PLAIN_BACKGROUNDS.map((color) => backgroundName({ kind: 'plain', color })),
  ...TEXTURES.map((texture) => backgroundName({ kind: 'texture', texture })),
];
const CLASSES = { color: COLOR_NAMES, shape: SHAPES, pattern: PATTERNS, material: MATERIALS, background: BACKGROUND_NAMES } as const;
export type AuxAttribute = keyof typeof CLASSES;
export const AUX_ATTRIBUTES = Object.keys(CLASSES) as AuxAttribute[];

export function auxHeads(weight: number, o: { only?: readonly AuxAttribute[]; priors?: boolean } = {}): AuxHeads {
  const names = o.only ?? AUX_ATTRIBUTES;
  return { weight, heads: names.map((name) => ({ name, classes: CLASSES[name].length })), ...(o.priors ? { priors: true } : {}) };
}

/** Class index of `attr` for a sample, or -1 where the image has no single value of it. */
export function auxLabel(a: SampleAttrs, attr: AuxAttribute): number {
  // The background fills every scene, whatever its objects.
  if (attr === 'background') return a.kind === 'scene' && a.background !== undefined ? BACKGROUND_NAMES.indexOf(a.background) : -1;
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

/**
 * The attributes each head's prior is conditioned on: the other half of the held-out pairs
 * (data/microworld/splits.ts: color×shape, pattern×shape, material×mesh). Shape is held out with
 * two attributes (purple star, dotted hexagon), so its prior is p(shape | color, pattern): with
 * color alone, the shape head learned "dotted things are never hexagons" (PyTorch control of the
 * stem, 2,000 steps: held-out hexagon 0.23 → 0.76 and held-out shape 0.85 → 0.91 with the joint
 * condition).
 */
export const PRIOR_CONDITION: Partial<Record<AuxAttribute, readonly (keyof SampleAttrs)[]>> = { color: ['shape'], shape: ['color', 'pattern'], pattern: ['shape'], material: ['mesh'] };

/** The key of a sample's conditioning values (`red|dotted`), or undefined when one is missing. */
export function priorKey(s: SampleAttrs, by: readonly (keyof SampleAttrs)[]): string | undefined {
  const vals = by.map((k) => s[k]);
  return vals.some((v) => v === undefined) ? undefined : vals.map(String).join('|');
}

/** Per head: conditioning key (priorKey) → log p(class | values) over the training images (zoo/clip/clipGraphs.ts `AuxHeads.priors`). */
export type AuxPriors = Partial<Record<AuxAttribute, Map<string, Float32Array>>>;

/**
 * Log class frequencies given the conditioning attribute, counted on the training images.
 * Pairs never seen get log(floor), not −∞: a finite offset keeps the softmax defined.
 */
export function auxPriors(attrs: readonly SampleAttrs[], floor = 1e-4): AuxPriors {
  const out = {} as AuxPriors;
  for (const a of AUX_ATTRIBUTES) {
    const by = PRIOR_CONDITION[a];
    if (!by) continue; // held out with nothing: no adjustment
    const K = CLASSES[a].length, counts = new Map<string, Float64Array>();
    for (const s of attrs) {
      const k = auxLabel(s, a), key = priorKey(s, by);
      if (k < 0 || key === undefined) continue;
      const c = counts.get(key) ?? new Float64Array(K);
      c[k]++;
      counts.set(key, c);
    }
    out[a] = new Map([...counts].map(([key, c]) => {
      const n = c.reduce((x, y) => x + y, 0);
      return [key, Float32Array.from(c, (x) => Math.log(Math.max(floor, x / n)))];
    }));
  }
  return out;
}

/** The `attr_<head>` batch inputs for these samples' attributes (+ `prior_<head>` rows, zero where unknown). */
export function auxTensors(attrs: readonly SampleAttrs[], priors?: AuxPriors): Record<string, HostTensor> {
  const out: Record<string, HostTensor> = {};
  for (const a of AUX_ATTRIBUTES) {
    const K = CLASSES[a].length;
    out[`attr_${a}`] = { dtype: 'float32', dims: [attrs.length, K], data: auxOneHot(attrs, a) };
    if (!priors) continue;
    const data = new Float32Array(attrs.length * K);
    attrs.forEach((s, i) => {
      const by = PRIOR_CONDITION[a], key = by ? priorKey(s, by) : undefined;
      const row = key === undefined ? undefined : priors[a]?.get(key);
      if (row) data.set(row, i * K);
    });
    out[`prior_${a}`] = { dtype: 'float32', dims: [attrs.length, K], data };
  }
  return out;
}
