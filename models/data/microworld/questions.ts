/**
 * Questions and exact answers about a 2D scene (for captioning VLMs and DyVTE-style tests):
 * color of X, shape of the COLOR object, pattern, size, position, counts, spatial relations and
 * existence. A question is only asked when its referent is unique in the scene, so every
 * answer is a single unambiguous word.
 */
import { COLOR_NAMES, SHAPES, type ColorName, type ShapeName } from './attributes.ts';
import { numberWord, plural, relationsBetween, withArticle, type Relation } from './phrases.ts';
import type { Prng } from './prng.ts';
import type { Scene, SceneObject } from './scene.ts';

export type QuestionKind =
  | 'color' | 'shape' | 'pattern' | 'size' | 'position' | 'count' | 'count-shape'
  | 'left-of' | 'right-of' | 'above' | 'below' | 'exists';

export interface Question {
  kind: QuestionKind;
  question: string;
  answer: string;
}

const REL_KIND: Record<Relation, QuestionKind> = { 'left of': 'left-of', 'right of': 'right-of', above: 'above', below: 'below' };
const REL_WORDS: Record<Relation, string> = { 'left of': 'left of', 'right of': 'right of', above: 'above', below: 'below' };
const OPPOSITE: Record<Relation, Relation> = { 'left of': 'right of', 'right of': 'left of', above: 'below', below: 'above' };

function uniqueShape(scene: Scene, o: SceneObject): boolean {
  return scene.objects.filter((p) => p.shape === o.shape).length === 1;
}

function uniqueColor(scene: Scene, o: SceneObject): boolean {
  return scene.objects.filter((p) => p.color === o.color).length === 1;
}

/** All applicable questions; `rng` picks the absent combination of the negative "is there" question. */
export function questionsFor(scene: Scene, rng: Prng): Question[] {
  const out: Question[] = [];
  const objs = scene.objects;
  const side = Math.min(scene.width, scene.height);
  out.push({ kind: 'count', question: 'how many objects are there?', answer: numberWord(objs.length) });
  for (const o of objs) {
    if (uniqueShape(scene, o)) {
      out.push({ kind: 'color', question: `what color is the ${o.shape}?`, answer: o.color });
      out.push({ kind: 'pattern', question: `what pattern does the ${o.shape} have?`, answer: o.pattern });
      out.push({ kind: 'size', question: `is the ${o.shape} small or large?`, answer: o.size });
      out.push({ kind: 'position', question: `where is the ${o.shape}?`, answer: o.position });
    }
    if (uniqueColor(scene, o)) out.push({ kind: 'shape', question: `what shape is the ${o.color} object?`, answer: o.shape });
  }
  // Hand-built scenes may be empty: only the count question applies then.
  if (objs.length === 0) return out;
  const shapesHere = [...new Set(objs.map((o) => o.shape))];
  const countShape: ShapeName = rng.chance(0.7) ? rng.pick(shapesHere) : rng.pick(SHAPES);
  out.push({
    kind: 'count-shape',
    question: `how many ${plural(countShape)} are there?`,
    answer: numberWord(objs.filter((o) => o.shape === countShape).length),
  });
  for (const a of objs) {
    for (const b of objs) {
      if (a === b || !uniqueShape(scene, a) || !uniqueShape(scene, b)) continue;
      for (const r of relationsBetween(a, b, side)) {
        // Ask the true relation and its opposite, so "yes" and "no" are balanced.
        out.push({ kind: REL_KIND[r], question: `is the ${a.shape} ${REL_WORDS[r]} the ${b.shape}?`, answer: 'yes' });
        const opp = OPPOSITE[r];
        out.push({ kind: REL_KIND[opp], question: `is the ${a.shape} ${REL_WORDS[opp]} the ${b.shape}?`, answer: 'no' });
      }
    }
  }
  const present = rng.pick(objs);
  out.push({ kind: 'exists', question: `is there ${withArticle(`${present.color} ${present.shape}`)}?`, answer: 'yes' });
  let color: ColorName;
  let shape: ShapeName;
  do {
    color = rng.pick(COLOR_NAMES);
    shape = rng.pick(SHAPES);
  } while (objs.some((o) => o.color === color && o.shape === shape));
  out.push({ kind: 'exists', question: `is there ${withArticle(`${color} ${shape}`)}?`, answer: 'no' });
  return out;
}
