/**
 * Captions of 2D scenes: several phrasings per scene, all true of the scene graph.
 *
 *   captionScene(scene)        // every applicable style, in a fixed order
 *   sampleCaption(scene, rng)  // one of them, for training
 *
 * Styles cover attribute-first ("a red striped star") and object-first ("a star that is red and
 * striped") word orders, positions, counts and spatial relations ("a red star to the left of a
 * blue ring").
 */
import { COLOR_NAMES, SHAPES } from './attributes.ts';
import { backgroundPhrase } from './backgrounds.ts';
import { attributeFirst, numberWord, objectFirst, positionPhrase, relationPhrase, relationsBetween, withArticle } from './phrases.ts';
import type { Prng } from './prng.ts';
import type { Scene, SceneObject } from './scene.ts';

export type CaptionStyle = 'list' | 'list-background' | 'sizes' | 'positions' | 'count' | 'object-first' | 'relation' | 'photo';

export interface Caption {
  style: CaptionStyle;
  text: string;
}

function joinAnd(items: string[]): string {
  if (items.length <= 1) return items.join('');
  if (items.length === 2) return `${items[0]} and ${items[1]}`;
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** Objects from left to right, top to bottom: the order a reader scans, for stable phrasing. */
function readingOrder(objects: readonly SceneObject[]): SceneObject[] {
  return [...objects].sort((a, b) => a.cx - b.cx || a.cy - b.cy);
}

/** The first pair of objects with a clear relation, if any (a → b). */
function firstRelation(scene: Scene): [SceneObject, string, SceneObject] | null {
  const side = Math.min(scene.width, scene.height);
  const objs = readingOrder(scene.objects);
  for (let i = 0; i < objs.length; i++) {
    for (let j = 0; j < objs.length; j++) {
      if (i === j) continue;
      const rels = relationsBetween(objs[i], objs[j], side);
      if (rels.length > 0) return [objs[i], relationPhrase(rels[0]), objs[j]];
    }
  }
  return null;
}

export function captionScene(scene: Scene): Caption[] {
  const objs = readingOrder(scene.objects);
  const n = objs.length;
  const bg = backgroundPhrase(scene.background);
  const af = objs.map((o) => withArticle(attributeFirst(o)));
  const out: Caption[] = [
    { style: 'list', text: joinAnd(af) },
    { style: 'list-background', text: `${joinAnd(af)} ${bg}` },
    { style: 'sizes', text: joinAnd(objs.map((o) => withArticle(attributeFirst(o, { size: true })))) },
    { style: 'positions', text: joinAnd(objs.map((o) => `${withArticle(attributeFirst(o))} ${positionPhrase(o.position)}`)) },
    {
      style: 'count',
      text: n === 1 ? `one object: ${af[0]}` : `${numberWord(n)} objects: ${joinAnd(af)}`,
    },
    { style: 'object-first', text: `there is ${joinAnd(objs.map((o, i) => withArticle(objectFirst(o, i))))} ${bg}` },
    { style: 'photo', text: `a photo of ${joinAnd(af)}` },
  ];
  const rel = firstRelation(scene);
  if (rel) {
    const [a, phrase, b] = rel;
    out.push({ style: 'relation', text: `${withArticle(attributeFirst(a))} ${phrase} ${withArticle(attributeFirst(b))}` });
  }
  return out;
}

/** One caption, chosen by the stream (relations preferred when they exist, so models learn them). */
export function sampleCaption(scene: Scene, rng: Prng): Caption {
  const all = captionScene(scene);
  const rel = all.find((c) => c.style === 'relation');
  if (rel && rng.chance(0.3)) return rel;
  return rng.pick(all);
}

export interface FalseCaption {
  text: string;
  /** What was changed from a true caption. */
  change: 'color' | 'shape' | 'relation';
}

const OPPOSITE_PHRASE: Record<string, string> = {
  'to the left of': 'to the right of',
  'to the right of': 'to the left of',
  above: 'below',
  below: 'above',
};

/**
 * Hard negatives: captions that differ from a true one in exactly one thing — one object's color,
 * one object's shape, or the direction of a relation — and are false of the scene graph. For
 * compositional evaluation (does the model bind "red" to "star"?) and contrastive training.
 */
export function falseCaptions(scene: Scene, rng: Prng): FalseCaption[] {
  const objs = readingOrder(scene.objects);
  const out: FalseCaption[] = [];
  if (objs.length === 0) return out;
  const k = rng.int(objs.length);
  const o = objs[k];
  const exists = (c: SceneObject): boolean => objs.some((p) => p.color === c.color && p.shape === c.shape && p.pattern === c.pattern);
  const describe = (swap: SceneObject): string => joinAnd(objs.map((p, i) => withArticle(attributeFirst(i === k ? swap : p))));
  const colors = COLOR_NAMES.filter((c) => c !== o.color && !exists({ ...o, color: c }));
  if (colors.length > 0) out.push({ text: describe({ ...o, color: rng.pick(colors) }), change: 'color' });
  const shapes = SHAPES.filter((s) => s !== o.shape && !exists({ ...o, shape: s }));
  if (shapes.length > 0) out.push({ text: describe({ ...o, shape: rng.pick(shapes) }), change: 'shape' });
  const rel = firstRelation(scene);
  if (rel) {
    const [a, phrase, b] = rel;
    out.push({ text: `${withArticle(attributeFirst(a))} ${OPPOSITE_PHRASE[phrase]} ${withArticle(attributeFirst(b))}`, change: 'relation' });
  }
  return out;
}
