/**
 * Token grounding for the UNet recipe (`--ground λ`), after TokenCompose (Wang et al., CVPR 2024):
 * a token loss that pulls each noun's cross-attention into its object's mask,
 *   L_token = mean over grounded (item, noun) of (1 − Σ_{q∈mask} A_q / Σ_q A_q)²,
 * with A the noun's cross-attention map (heads averaged) in every cross-attention layer, and the
 * object's mask area-averaged to that layer's resolution. Microworld knows every object's mask from
 * its scene graph, so the supervision is exact. Why: with ε-MSE alone the micro-UNet routes the
 * prompt through <sot>/first-word keys as a global code (measured: noun maps peak inside the object
 * ~10 % of the time, objects cover ~4 % of the image), so per-token heatmaps and prompt-to-prompt
 * edits have nothing to hold on to.
 *
 *   const g = groundedScenes({ seed: 'micro-unet-v1:data', scenes: 6000, size: 64, latent: 16 }, tokenize);
 *   g.samples[i].image; g.nounsOf[c]  // [[token position, object index in its scene], …] of caption c
 */
import { SHAPES } from '../../data/microworld/attributes.ts';
import { captionScene } from '../../data/microworld/captions.ts';
import { Prng } from '../../data/microworld/prng.ts';
import { renderScene } from '../../data/microworld/renderScene.ts';
import { type Scene, sampleScene } from '../../data/microworld/scene.ts';
import { GraphBuilder, type Value } from '../../graph/builder.ts';
import { add, div, mul, sub } from '../../graph/ops/elementwise.ts';
import { reduceMean, reduceSum } from '../../graph/ops/reduce.ts';
import type { Rgb8 } from '../../vision/normalize.ts';

export interface GroundedScene { image: Rgb8; captions: string[]; objects: number }

/** Object masks at the latent resolution and, per caption, its grounded nouns. */
export interface Grounding {
  /** Side of the mask grid (the UNet's latent side). */
  size: number;
  /** [objects in all scenes, size²] masks, area-averaged from the image (values in [0, 1]). */
  masks: Float32Array;
  /** Per scene, the row in `masks` of its first object. */
  firstObject: number[];
  /** Per caption (global index, as the recipe numbers them): [token position, object index in its scene] pairs. */
  nounsOf: Array<Array<[number, number]>>;
}

export interface GroundedSet { samples: GroundedScene[]; grounding: Grounding }

export interface GroundedSpec { seed: string; scenes: number; size: number; latent: number; singles?: number }

/** Word positions of a tokenized caption (MicroTokenizer: position = key index in the context). */
export type WordsOf = (text: string) => ReadonlyArray<{ text: string; position: number }>;

/**
 * Nouns (shape words) of a caption bound to the scene object of that shape. A shape named by two
 * objects of the scene is ambiguous without parsing the caption's order, so it is left ungrounded.
 */
export function groundNouns(scene: Scene, words: ReadonlyArray<{ text: string; position: number }>): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (const w of words) {
    if (!(SHAPES as readonly string[]).includes(w.text)) continue;
    const idx = scene.objects.flatMap((o, k) => (o.shape === w.text ? [k] : []));
    if (idx.length === 1) out.push([w.position, idx[0]]);
  }
  return out;
}

/** Area average of a [S, S] mask into [s, s] (S a multiple of s). */
export function poolMask(m: Float32Array, S: number, s: number, out = new Float32Array(s * s), offset = 0): Float32Array {
  const f = S / s;
  for (let y = 0; y < s; y++) for (let x = 0; x < s; x++) {
    let acc = 0;
    for (let dy = 0; dy < f; dy++) for (let dx = 0; dx < f; dx++) acc += m[(y * f + dy) * S + x * f + dx];
    out[offset + y * s + x] = acc / (f * f);
  }
  return out;
}

/**
 * Train-split Microworld scenes rendered with their masks: the same streams as the CLIP sample
 * sets (`${seed}:train` → fork 'scenes', the first `singles` scenes with one object), so the images
 * equal `sceneSamples('train', seed, …)`'s.
 */
export function groundedScenes(s: GroundedSpec, words: WordsOf, onProgress?: (done: number) => void): GroundedSet {
  const rng = new Prng(`${s.seed}:train`).fork('scenes');
  const singles = s.singles ?? Math.floor(s.scenes / 4);
  const samples: GroundedScene[] = [], masks: Float32Array[] = [], firstObject: number[] = [], nounsOf: Array<Array<[number, number]>> = [];
  for (let i = 0; i < s.scenes; i++) {
    const one = i < singles;
    const scene = sampleScene(rng, { split: 'train', width: s.size, minObjects: 1, maxObjects: one ? 1 : 3 });
    const r = renderScene(scene);
    const captions = captionScene(scene).map((c) => c.text);
    firstObject.push(masks.length);
    for (const m of r.masks) masks.push(poolMask(m, s.size, s.latent));
    for (const c of captions) nounsOf.push(groundNouns(scene, words(c)));
    samples.push({ image: r.image, captions, objects: scene.objects.length });
    if (i % 500 === 0) onProgress?.(i);
  }
  const all = new Float32Array(masks.length * s.latent * s.latent);
  masks.forEach((m, k) => all.set(m, k * m.length));
  return { samples, grounding: { size: s.latent, masks: all, firstObject, nounsOf } };
}

/** Batch inputs of the token loss: `ground_<s>` [B, s², L] per resolution, `ground_weight` [B, 1, L]. */
export const groundInput = (s: number): string => `ground_${s}`;
export const GROUND_WEIGHT = 'ground_weight';

/**
 * Fill the token-loss targets of batch row `row` for a caption's grounded nouns: the object's mask
 * pooled to each resolution in the noun's key column, weight 1 on that column.
 */
export function fillGroundTargets(g: Grounding, sample: number, nouns: ReadonlyArray<[number, number]>, row: number, L: number, targets: ReadonlyMap<number, Float32Array>, weight: Float32Array): void {
  const S = g.size, per = S * S;
  for (const [pos, obj] of nouns) {
    const m = g.masks.subarray((g.firstObject[sample] + obj) * per, (g.firstObject[sample] + obj + 1) * per);
    for (const [s, t] of targets) {
      const pooled = s === S ? m : poolMask(m, S, s);
      for (let q = 0; q < s * s; q++) t[(row * s * s + q) * L + pos] = pooled[q];
    }
    weight[row * L + pos] = 1;
  }
}

const CROSS_SOFTMAX = /\.attn2\/Softmax(?:_\d+)?$/;

/**
 * The token loss over every cross-attention Softmax the builder has made so far (probabilities
 * [B, H, T, K]); adds the `ground_<s>` and `ground_weight` inputs. Returns the scalar loss (mean
 * over layers) and the latent sides it needs targets for.
 */
export function tokenGroundingLoss(b: GraphBuilder, batch: number, keys: number): { loss: Value; sizes: number[] } {
  const layers = b.nodes.filter((n) => n.op === 'Softmax' && CROSS_SOFTMAX.test(n.name)).map((n) => {
    const info = b.info.get(n.outputs[0]);
    const shape = info?.shape;
    if (!info || shape?.length !== 4 || typeof shape[2] !== 'number') throw new Error(`tokenGroundingLoss: ${n.name} has no static [B, H, T, K] shape`);
    return { probs: info as Value, T: shape[2] };
  });
  if (!layers.length) throw new Error('tokenGroundingLoss: no cross-attention layers in the graph');
  const sizes = [...new Set(layers.map((l) => Math.round(Math.sqrt(l.T))))];
  const inputs = new Map(sizes.map((s) => [s, b.input(groundInput(s), 'float32', [batch, s * s, keys])]));
  const weight = b.input(GROUND_WEIGHT, 'float32', [batch, 1, keys]);
  const count = add(b, reduceSum(b, weight, [0, 1, 2], false), 1e-6);
  const perLayer = layers.map(({ probs, T }) => {
    const p = reduceMean(b, probs, [1], false); // [B, T, K], heads averaged
    const inside = reduceSum(b, mul(b, p, inputs.get(Math.round(Math.sqrt(T)))!), [1], true); // [B, 1, K]
    const total = add(b, reduceSum(b, p, [1], true), 1e-6);
    const miss = sub(b, 1, div(b, inside, total));
    return div(b, reduceSum(b, mul(b, weight, mul(b, miss, miss)), [0, 1, 2], false), count);
  });
  const sum = perLayer.reduce((a, v) => add(b, a, v));
  return { loss: mul(b, sum, 1 / perLayer.length), sizes };
}
