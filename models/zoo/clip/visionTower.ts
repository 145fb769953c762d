/**
 * micro-CLIP's image tower: zoo/vit.ts, optionally behind a small convolutional stem.
 *
 * Why a stem: a ViT trained from scratch on a few thousand images learns color in a hundred
 * steps but shape and texture only very slowly, because a linear 8×8 patch embedding must
 * encode outlines that fall anywhere across patch borders. Two 3×3 convolutions with GELU
 * (the second with stride 2) give every token local edge/corner features first ("Early
 * convolutions help transformers see better", Xiao et al. 2021); the ViT then patchifies the
 * stem's feature map. Pixels in, tokens out: the I/O contract is unchanged.
 */
import type { GraphBuilder, Value } from '../../graph/builder.ts';
import { gelu } from '../../graph/ops/elementwise.ts';
import { groupNorm } from '../../graph/ops/norm.ts';
import { Prng } from '../../data/microworld/prng.ts';
import { type VitConfig, type VitOutputs, vitTokens, vitTower } from '../vit.ts';
import type { ClipConfig } from './config.ts';
import { Init } from './textTower.ts';

/** The config the ViT part sees (after the stem: fewer pixels, more channels, smaller patches). */
export function innerVitConfig(c: ClipConfig): VitConfig {
  if (!c.stem) return c.vision;
  const down = stemDown(c.stem);
  if (c.vision.patchSize % down) throw new Error(`stem stride ${down} does not divide patch size ${c.vision.patchSize}`);
  return { ...c.vision, imageSize: c.vision.imageSize / down, patchSize: c.vision.patchSize / down, channels: c.stem.channels.at(-1)! };
}

/** Each stem conv's stride (the first stem strides only in its last conv). */
export function stemStrides(s: NonNullable<ClipConfig['stem']>): number[] {
  if (s.strides) {
    if (s.strides.length !== s.channels.length) throw new Error(`stem: ${s.strides.length} strides for ${s.channels.length} convs`);
    return s.strides;
  }
  return s.channels.map((_, i) => (i === s.channels.length - 1 ? s.stride : 1));
}

/** How much the stem shrinks the image (the product of its strides). */
export const stemDown = (s: NonNullable<ClipConfig['stem']>) => stemStrides(s).reduce((a, x) => a * x, 1);

export const visionTokens = (c: ClipConfig) => vitTokens(innerVitConfig(c));

export function clipVisionTower(b: GraphBuilder, px: Value, c: ClipConfig, seed: number | string): VitOutputs {
  return vitTower(b, c.stem ? convStem(b, px, c, seed) : px, innerVitConfig(c), seed);
}

/**
 * The conv stem alone (scope `stem`, [B,3,S,S] → [B,C,S/down,S/down]): the ViT's input, and
 * on its own the tower's first supervised phase (clipGraphs.ts `clipStemAttributeForward`).
 */
export function convStem(b: GraphBuilder, px: Value, c: ClipConfig, seed: number | string): Value {
  if (!c.stem) throw new Error('convStem: this config has no stem');
  const init = new Init(new Prng(`${seed}:stem`));
  let cin = c.vision.channels;
  return b.scope('stem', () => {
    let h = px;
    const strides = stemStrides(c.stem!), groups = c.stem!.groups;
    c.stem!.channels.forEach((cout, i) => {
      const stride = strides[i];
      b.scope(`conv${i + 1}`, () => {
        const w = b.param('weight', { dims: [cout, cin, 3, 3], values: init.normal(cout * cin * 9, Math.sqrt(2 / (cin * 9))) });
        const bias = b.param('bias', { dims: [cout], values: init.fill(cout, 0) });
        h = b.op('Conv', [h, w, bias], { kernel_shape: [3, 3], strides: [stride, stride], pads: [1, 1, 1, 1] })[0];
      });
      if (groups) {
        h = b.scope(`norm${i + 1}`, () =>
          groupNorm(b, h, groups, b.param('weight', { dims: [cout], values: init.fill(cout, 1) }), b.param('bias', { dims: [cout], values: init.fill(cout, 0) })));
      }
      h = gelu(b, h);
      cin = cout;
    });
    return h;
  });
}
