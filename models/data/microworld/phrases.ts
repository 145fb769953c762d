/**
 * Word-level building blocks shared by captions, questions and sentences: articles, plurals,
 * object noun phrases in attribute-first and object-first order, position and relation phrases.
 */
import { NUMBER_WORDS, type PatternName, type PositionName } from './attributes.ts';
import type { SceneObject } from './scene.ts';

/** "a" or "an" by the first letter (our vocabulary has no silent-h or "uni-" words). */
export function article(word: string): 'a' | 'an' {
  return /^[aeiou]/.test(word) ? 'an' : 'a';
}

export function withArticle(phrase: string): string {
  return `${article(phrase)} ${phrase}`;
}

const PLURALS: Partial<Record<string, string>> = { cross: 'crosses', 'brick wall': 'brick walls', glass: 'glasses' };
export function plural(noun: string): string {
  return PLURALS[noun] ?? `${noun}s`;
}

export function numberWord(n: number): string {
  return NUMBER_WORDS[n] ?? String(n);
}

/** Adjective for a pattern; solid has none by default (a "red star" is solid). */
export function patternAdjective(p: PatternName, explicitSolid = false): string | null {
  if (p === 'solid') return explicitSolid ? 'solid' : null;
  return p;
}

/** "with stripes" etc.: the object-first way to say a pattern. */
export function patternWith(p: PatternName): string | null {
  switch (p) {
    case 'solid':
      return null;
    case 'striped':
      return 'with stripes';
    case 'dotted':
      return 'with dots';
    case 'checkered':
      return 'with a checkered pattern';
  }
}

export interface NounPhraseOptions {
  size?: boolean;
  pattern?: boolean;
}

/** Attribute-first: "large red striped star" (no article). */
export function attributeFirst(o: SceneObject, opts: NounPhraseOptions = {}): string {
  const words: string[] = [];
  if (opts.size) words.push(o.size);
  words.push(o.color);
  const pat = opts.pattern === false ? null : patternAdjective(o.pattern);
  if (pat) words.push(pat);
  words.push(o.shape);
  return words.join(' ');
}

/** Object-first: "star that is red and striped" / "star with stripes that is red". */
export function objectFirst(o: SceneObject, variant: number, opts: NounPhraseOptions = {}): string {
  const pat = opts.pattern === false ? null : patternAdjective(o.pattern);
  const size = opts.size ? o.size : null;
  const adjectives = [size, o.color, pat].filter((w): w is string => w !== null);
  if (variant % 2 === 0) {
    const last = adjectives.pop()!;
    return adjectives.length > 0 ? `${o.shape} that is ${adjectives.join(', ')} and ${last}` : `${o.shape} that is ${last}`;
  }
  const withPat = opts.pattern === false ? null : patternWith(o.pattern);
  const colored = size ? `${o.shape} that is ${size} and ${o.color}` : `${o.shape} colored ${o.color}`;
  return withPat ? `${colored} ${withPat}` : colored;
}

export function positionPhrase(p: PositionName): string {
  switch (p) {
    case 'left':
      return 'on the left';
    case 'right':
      return 'on the right';
    case 'top':
      return 'at the top';
    case 'bottom':
      return 'at the bottom';
    case 'center':
      return 'in the center';
  }
}

export type Relation = 'left of' | 'right of' | 'above' | 'below';

export function relationPhrase(r: Relation): string {
  return r === 'left of' ? 'to the left of' : r === 'right of' ? 'to the right of' : r;
}

/**
 * Clear spatial relations of a to b, from the geometry: centers must differ by more than
 * `margin` (fraction of the image side) along the axis, so every stated relation is visibly true.
 */
export function relationsBetween(a: SceneObject, b: SceneObject, side: number, margin = 0.15): Relation[] {
  const out: Relation[] = [];
  const m = margin * side;
  if (a.cx < b.cx - m) out.push('left of');
  if (a.cx > b.cx + m) out.push('right of');
  if (a.cy < b.cy - m) out.push('above');
  if (a.cy > b.cy + m) out.push('below');
  return out;
}

