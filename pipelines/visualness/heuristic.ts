/**
 * Word-list baseline (visualness_dyvte.md §A7, VG-Objects style): score = fraction of a
 * sentence's unique words that are in a list of picturable words; visual if above a threshold
 * tuned on validation, like every scorer here.
 *
 * The list is the visual vocabulary of the training data — every color, shape, pattern,
 * material, mesh, background, and the visual slot fillers (nouns, places, textures, verbs) of the
 * Microworld grammars — i.e. the same lexical knowledge the fine-tuned model gets. It is built
 * from code, not written by hand: a first hand-written generic list was dropped because it was
 * written after the hand-written evaluation fixture and overlapped its words (a leak that made
 * the baseline look better on that set than a lexicon can honestly be).
 */
import { COLOR_NAMES, MATERIALS, MESHES, PATTERNS, SHAPES, TEXTURES } from '../../models/data/microworld/attributes.ts';
import { SLOTS } from '../../models/data/microworld/sentences.ts';

const VISUAL_SLOTS = ['color', 'shape', 'mesh', 'material', 'noun', 'verb', 'verbing', 'place', 'texture'] as const;
const FUNCTION_WORDS = new Set(['a', 'an', 'the', 'on', 'in', 'at', 'by', 'of', 'over', 'under', 'across', 'near']);

function words(list: readonly string[]): string[] {
  return list.flatMap((s) => s.toLowerCase().match(/\p{L}+/gu) ?? []).filter((w) => !FUNCTION_WORDS.has(w));
}

export const VISUAL_WORDS: ReadonlySet<string> = new Set([
  ...words([...COLOR_NAMES, ...SHAPES, ...SHAPES.map((s) => `${s}s`), ...PATTERNS, ...MATERIALS, ...MESHES, ...TEXTURES]),
  ...VISUAL_SLOTS.flatMap((k) => words(SLOTS[k])),
]);

/** Fraction of unique words (letters only, lower-cased) that are in the list; 0 for no words. */
export function heuristicScore(text: string, list: ReadonlySet<string> = VISUAL_WORDS): number {
  const unique = new Set(text.toLowerCase().match(/\p{L}+/gu) ?? []);
  if (!unique.size) return 0;
  let hit = 0;
  for (const w of unique) if (list.has(w)) hit++;
  return hit / unique.size;
}
