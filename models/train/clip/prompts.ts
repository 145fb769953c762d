/**
 * Prompt templates of micro-CLIP's zero-shot evaluation. The same templates are part of the
 * training captions (for single-object scenes and mesh renders), the way CLIP's web captions
 * contain "a photo of a …": zero-shot then asks a question the model was taught to answer, on
 * attribute combinations it never saw (the test split's held-out pairs).
 */
import {
  COLOR_NAMES, MATERIALS, PATTERNS, SHAPES, type ColorName, type MaterialName, type PatternName, type ShapeName,
} from '../../data/microworld/attributes.ts';
import { DEFAULT_MATERIAL_COLOR, materialUsesColor } from '../../data/microworld/materials.ts';
import { materialPhrases } from '../../data/microworld/meshScene.ts';
import { withArticle } from '../../data/microworld/phrases.ts';

export type Attribute = 'color' | 'shape' | 'pattern' | 'material';
export const ATTRIBUTES: readonly Attribute[] = ['color', 'shape', 'pattern', 'material'];

export const colorPrompt = (c: ColorName) => `a photo of ${withArticle(`${c} object`)}`;
export const shapePrompt = (s: ShapeName) => `a photo of ${withArticle(s)}`;
export const patternPrompt = (p: PatternName) => `a photo of ${withArticle(`${p} object`)}`;

/**
 * "a photo of an object made of red brick": colored materials take the sample's own color
 * (or the material's default when the sample has none), so candidates differ only in material.
 */
export function materialPrompt(m: MaterialName, color?: ColorName): string {
  const c = materialUsesColor(m) ? (color ?? DEFAULT_MATERIAL_COLOR[m] ?? 'red') : undefined;
  return `a photo of an object ${materialPhrases(m, c).madeOf}`;
}

/** Every class's prompt for one attribute (material prompts depend on the sample's color). */
export function classPrompts(a: Attribute, color?: ColorName): { classes: readonly string[]; prompts: string[] } {
  switch (a) {
    case 'color': return { classes: COLOR_NAMES, prompts: COLOR_NAMES.map(colorPrompt) };
    case 'shape': return { classes: SHAPES, prompts: SHAPES.map(shapePrompt) };
    case 'pattern': return { classes: PATTERNS, prompts: PATTERNS.map(patternPrompt) };
    case 'material': return { classes: MATERIALS, prompts: MATERIALS.map((m) => materialPrompt(m, color)) };
  }
}
