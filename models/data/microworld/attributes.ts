/**
 * The closed vocabulary of Microworld: every attribute value a generator can produce.
 * Captions, questions, splits and the micro-CLIP tokenizer are all built from these lists, so
 * adding a value here adds it everywhere (and to the tokenizer's vocabulary).
 */

export type Rgb = readonly [number, number, number];

/** Color names with fixed sRGB values (0..255); chosen to stay distinct after antialiasing. */
export const COLORS = {
  red: [220, 30, 35],
  orange: [245, 130, 20],
  yellow: [250, 215, 30],
  green: [40, 160, 60],
  blue: [35, 80, 215],
  purple: [130, 50, 175],
  pink: [245, 120, 185],
  brown: [120, 70, 30],
  black: [20, 20, 20],
  white: [245, 245, 245],
  gray: [128, 128, 128],
} as const satisfies Record<string, Rgb>;
export type ColorName = keyof typeof COLORS;
export const COLOR_NAMES = Object.keys(COLORS) as ColorName[];

export const SHAPES = ['circle', 'square', 'triangle', 'star', 'heart', 'ring', 'cross', 'diamond', 'hexagon', 'moon'] as const;
export type ShapeName = (typeof SHAPES)[number];

export const PATTERNS = ['solid', 'striped', 'dotted', 'checkered'] as const;
export type PatternName = (typeof PATTERNS)[number];

export const SIZES = ['small', 'large'] as const;
export type SizeName = (typeof SIZES)[number];

export const POSITIONS = ['left', 'right', 'top', 'bottom', 'center'] as const;
export type PositionName = (typeof POSITIONS)[number];

/** Plain backgrounds are named by a color; textured ones by what they depict. */
export const TEXTURES = ['sky', 'grass', 'sand', 'night', 'brick wall', 'wood'] as const;
export type TextureName = (typeof TEXTURES)[number];
export const PLAIN_BACKGROUNDS = ['white', 'black', 'gray', 'yellow', 'blue', 'green', 'pink'] as const satisfies readonly ColorName[];
export type PlainBackground = (typeof PLAIN_BACKGROUNDS)[number];

export const MESHES = ['sphere', 'cube', 'torus', 'cylinder', 'cone', 'vase', 'capsule', 'teapot', 'pyramid', 'bowl'] as const;
export type MeshName = (typeof MESHES)[number];

/** Material families; 'color' and the three pattern families take a color name too. */
export const MATERIALS = ['color', 'stripes', 'dots', 'checker', 'brick', 'wood', 'marble', 'gold', 'zebra', 'lava', 'grass', 'metal', 'stone'] as const;
export type MaterialName = (typeof MATERIALS)[number];
/** Materials whose look is parameterized by a color name ("red brick", "blue stripes"). */
export const COLORED_MATERIALS: readonly MaterialName[] = ['color', 'stripes', 'dots', 'checker', 'brick', 'marble'];

export const MOTIONS = ['static', 'pan left', 'pan right', 'tilt up', 'tilt down', 'zoom in', 'zoom out', 'roll clockwise', 'roll anticlockwise'] as const;
export type MotionName = (typeof MOTIONS)[number];

export const NUMBER_WORDS = ['zero', 'one', 'two', 'three', 'four', 'five'] as const;

export function colorRgb(name: ColorName): Rgb {
  return COLORS[name];
}
