/**
 * The zero-shot prompt heads of micro-CLIP's contrastive stage (zoo/clip/clipGraphs.ts
 * `PromptHeads`): color, shape, pattern and material, scored on the evaluation's own prompts
 * (prompts.ts) with the linear heads' labels and priors (`attr_*`, `prior_*`).
 *
 * Material prompts name the image's color for colored materials ("an object with red stripes";
 * "an object made of gold" has none), exactly as the evaluation builds them. So the material head
 * holds one prompt per distinct text — every (colored material, color) and every plain material —
 * and each batch carries `select_material` [B, prompts, 13]: for each image and material class,
 * the one prompt the evaluation would show for that image.
 */
import { COLOR_NAMES, MATERIALS, type ColorName } from '../../data/microworld/attributes.ts';
import type { MicroTokenizer } from '../../text/tokenizer.ts';
import type { PromptHeads } from '../../zoo/clip/clipGraphs.ts';
import type { HostTensor } from '../DataLoader.ts';
import { auxLabel } from './auxLabels.ts';
import { microTokenize } from './microTokenize.ts';
import { classPrompts } from './prompts.ts';
import type { SampleAttrs } from './samples.ts';

const COLORS_OR_NONE: readonly (ColorName | undefined)[] = [undefined, ...COLOR_NAMES];

/** The material prompt table: distinct texts, and per (image color, class) the row of its prompt. */
export class MaterialPromptTable {
  readonly texts: string[] = [];
  private readonly rowOf = new Map<string, number[]>();

  constructor(colors: readonly (ColorName | undefined)[] = COLORS_OR_NONE) {
    const index = new Map<string, number>();
    for (const c of colors) {
      const rows = classPrompts('material', c).prompts.map((t) => {
        let r = index.get(t);
        if (r === undefined) index.set(t, (r = this.texts.push(t) - 1));
        return r;
      });
      this.rowOf.set(c ?? '', rows);
    }
  }

  /** Row of each material class's prompt for an image of this color (or none). */
  rows(color?: ColorName): readonly number[] {
    const r = this.rowOf.get(color ?? '');
    if (!r) throw new Error(`material prompts: no prompt rows for color '${color}'`);
    return r;
  }

  /** select_material [B, prompts, classes]; all-zero blocks for images without a material label (they add no loss). */
  select(attrs: readonly SampleAttrs[]): HostTensor {
    const P = this.texts.length, K = MATERIALS.length;
    const data = new Float32Array(attrs.length * P * K);
    attrs.forEach((a, i) => {
      if (auxLabel(a, 'material') < 0) return;
      this.rows(a.color).forEach((row, k) => { data[(i * P + row) * K + k] = 1; });
    });
    return { dtype: 'float32', dims: [attrs.length, P, K], data };
  }
}

/** Token ids [texts × contextLength], as the eval's ClipModel tokenizes them. */
const encode = (tok: MicroTokenizer, texts: readonly string[]): BigInt64Array => microTokenize(tok)(texts).ids;

export function promptHeads(tok: MicroTokenizer, weight: number, priors: boolean, materials = new MaterialPromptTable()): PromptHeads {
  const plain = (['color', 'shape', 'pattern'] as const).map((name) => {
    const { prompts } = classPrompts(name);
    return { name, classes: prompts.length, ids: encode(tok, prompts) };
  });
  const material = { name: 'material', classes: MATERIALS.length, prompts: materials.texts.length, ids: encode(tok, materials.texts) };
  return { weight, heads: [...plain, material], ...(priors ? { priors: true } : {}) };
}
