/**
 * Visualness data (visualness_dyvte.md §A2, rebuilt on Microworld): labeled sentences with the
 * image each one is paired with for TIP-CLIP fine-tuning (§A3).
 *  - visual sentences keep an image: a Microworld scene caption with its own render (exact pair),
 *    or a grammar sentence ("a red dog runs on the beach") with a proxy render — a scene whose
 *    objects take the colors and shapes the sentence names (Microworld has no dogs, but the
 *    pair still ties "red" to red pixels and keeps visual text away from the NULL image);
 *  - non-visual sentences (abstract, temporal, emotional, logical) are paired with the NULL image;
 *  - half of each class are context sentences (contextGrammar.ts): visual scenes named without
 *    any word of the visual vocabulary, and non-visual idioms built on color/shape words. Without
 *    them the two classes share no content word and a word list separates them perfectly, which
 *    real text never allows (measured before: word list F1 1.000 on test, 0.887 hand-written).
 * Splits: train and val use the training templates (different seeds); test uses the test
 * templates of microworld/sentences.ts (new frames, same words) and of contextGrammar.ts (new
 * frames, new idioms and nouns). Balanced 50/50.
 *
 *   const train = visualnessExamples('train', 2000);   // [{ text, visual, category, template, scene? }]
 *   const hand = handwrittenSet();                      // ≥ 100 hand-labeled sentences (JSON fixture)
 *   const nul = nullImage(64);                          // seeded uniform-noise RGB image
 */
import { COLOR_NAMES, SHAPES, type ColorName, type ShapeName } from '../microworld/attributes.ts';
import { captionScene } from '../microworld/captions.ts';
import { Prng, type Seed } from '../microworld/prng.ts';
import { sampleScene, type Scene } from '../microworld/scene.ts';
import { sampleContextSentence } from './contextGrammar.ts';
import { sampleSentence } from '../microworld/sentences.ts';
import type { Split } from '../microworld/splits.ts';
import handwritten from './handwritten.json';

export interface VisualnessExample {
  text: string;
  visual: boolean;
  /** Microworld sentence category ('scene' for exact scene captions). */
  category: string;
  template: string;
  /** The paired scene of a visual example (exact or proxy); undefined for non-visual ones (NULL image). */
  scene?: Scene;
  note?: string;
}

export const VISUALNESS_DATA_SEED = 'visualness-v2';

/** Share of each class drawn from the context grammar (figurative / plain / scenery sentences). */
export const CONTEXT_SHARE = 0.5;

/** Probability that a visual training example is an exact scene caption rather than a grammar sentence. */
const SCENE_CAPTION_SHARE = 0.6;

/** `n` examples of a split, alternating visual / non-visual (deterministic in split, seed, index). */
export function visualnessExamples(split: Split, n: number, seed: Seed = VISUALNESS_DATA_SEED, size = 64): VisualnessExample[] {
  const out: VisualnessExample[] = [];
  for (let i = 0; i < n; i++) out.push(visualnessExample(split, i, seed, size));
  return out;
}

export function visualnessExample(split: Split, index: number, seed: Seed = VISUALNESS_DATA_SEED, size = 64): VisualnessExample {
  const rng = new Prng(`visualness:${split}:${seed}:${index}`);
  const visual = index % 2 === 0;
  if (rng.chance(CONTEXT_SHARE)) {
    const c = sampleContextSentence(rng, split, visual);
    return { text: c.text, visual, category: c.category, template: c.template, ...(visual ? { scene: proxyScene(c.text, rng, split, size) } : {}) };
  }
  if (!visual) {
    const s = sampleSentence(rng, { split, visual: false });
    return { text: s.text, visual: false, category: s.category, template: s.template };
  }
  // Scene captions only outside test: the test split must consist of unseen templates.
  if (split !== 'test' && rng.chance(SCENE_CAPTION_SHARE)) {
    const scene = sampleScene(rng, { split, width: size });
    return { text: rng.pick(captionScene(scene)).text, visual: true, category: 'scene', template: `${split}:scene-caption`, scene };
  }
  const s = sampleSentence(rng, { split, visual: true });
  return { text: s.text, visual: true, category: s.category, template: s.template, scene: proxyScene(s.text, rng, split, size) };
}

const COLOR_SET = new Set<string>(COLOR_NAMES);
const SHAPE_SET = new Set<string>(SHAPES);

/** A scene whose objects take the colors and shapes named in `text` (in order), for sentences with no exact render. */
export function proxyScene(text: string, rng: Prng, split: Split, size = 64): Scene {
  const words = text.toLowerCase().split(/[^a-z]+/);
  const colors = words.filter((w) => COLOR_SET.has(w)) as ColorName[];
  const shapes = words.filter((w) => SHAPE_SET.has(w)) as ShapeName[];
  const n = Math.max(1, Math.min(3, Math.max(colors.length, shapes.length)));
  const scene = sampleScene(rng, { split, width: size, minObjects: n, maxObjects: n });
  scene.objects = scene.objects.map((o, i) => ({ ...o, color: colors[i] ?? o.color, shape: shapes[i] ?? o.shape }));
  return scene;
}

interface HandwrittenJson {
  sentences: { text: string; visual: boolean; note?: string }[];
}

/** The hand-written, hand-labeled fixture (handwritten.json). */
export function handwrittenSet(): VisualnessExample[] {
  return (handwritten as HandwrittenJson).sentences.map((s, i) => ({
    text: s.text, visual: s.visual, category: 'handwritten', template: `handwritten:${i}`, ...(s.note ? { note: s.note } : {}),
  }));
}

/** TIP-CLIP's NULL image (§A3): uniform random RGB bytes from a fixed seed. */
export function nullImage(size: number, seed: Seed = 'tip-clip-null'): { width: number; height: number; data: Uint8Array } {
  const rng = new Prng(seed);
  const data = new Uint8Array(size * size * 3);
  for (let i = 0; i < data.length; i++) data[i] = rng.int(256);
  return { width: size, height: size, data };
}
