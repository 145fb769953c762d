/**
 * The CLIP loss of one augmentation pass and its gradient w.r.t. the pixels, as ONE ONNX graph
 * made from the CLIP image tower with the graph toolkit's autodiff (xmesh.md §5.1, §9.4 option A):
 *
 *   pixel_values [V,3,S,S] → image_embeds [V,D] → e = mean over views (raw, unnormalized, §10.4)
 *   loss = −cos(e, t)     (t: the raw text embedding, an input)
 *   outputs: loss, pixel_values_grad
 *
 * Works for micro-CLIP (64 px, D 128) and any CLIP vision export with the public I/O contract
 * (`pixel_values` → `image_embeds`, e.g. ViT-B/32 at 224 px, D 512) whose ops have VJP rules.
 * The caller applies CLIP's mean/std normalization (toPixelValues) and its adjoint.
 *
 *   const g = await ClipGuidance.create(rt, visionModel, 5, textEmbed);
 *   const { loss, dImages } = await g.lossAndGrad(images);   // images in [0,1], dImages = dL/dimages
 */
import { grad } from '../../models/graph/autodiff.ts';
import { GraphBuilder } from '../../models/graph/builder.ts';
import { encodeModel } from '../../models/graph/encode.ts';
import type { Model } from '../../models/graph/ir.ts';
import { rreduce, rsum } from '../../models/graph/ops/common.ts';
import { cloneModel } from '../../models/graph/surgery/graphTools.ts';
import type { Runtime, Session, Tensor } from '../../models/runtime/Runtime.ts';
import { CLIP_MEAN, CLIP_STD } from '../../models/zoo/clip/config.ts';

export const CLIP_LOSS = 'xmesh.clip_loss';
export const TEXT_INPUT = 'xmesh.text_embed';

/** The vision export's pixel size and embedding width, read from its declared I/O. */
export function clipVisionInfo(m: Model): { imageSize: number; dim: number } {
  const px = m.graph.inputs.find((i) => i.name === 'pixel_values');
  const emb = m.graph.outputs.find((o) => o.name === 'image_embeds');
  const imageSize = px?.shape?.[3], dim = emb?.shape?.[1];
  if (!px || !emb) throw new Error("CLIP vision model: needs input 'pixel_values' and output 'image_embeds'");
  if (typeof imageSize !== 'number' || typeof dim !== 'number') throw new Error('CLIP vision model: pixel_values [batch,3,H,W] and image_embeds [batch,D] need static H, W and D');
  return { imageSize, dim };
}

/** Loss + input-gradient graph for a batch of `views` images. */
export function clipGuidanceModel(vision: Model, views: number): Model {
  const { imageSize: S, dim: D } = clipVisionInfo(vision);
  const m = cloneModel(vision);
  const px = m.graph.inputs.find((i) => i.name === 'pixel_values')!;
  px.shape = [views, 3, S, S];
  m.graph.outputs = m.graph.outputs.filter((o) => o.name === 'image_embeds');
  const b = GraphBuilder.from(m);
  const t = b.input(TEXT_INPUT, 'float32', [1, D]);
  const e = rreduce(b, 'ReduceMean', b.value('image_embeds'), [0]);
  const dot = rsum(b, b.op('Mul', [e, t])[0], [1]);
  const ne = b.op('Sqrt', [rsum(b, b.op('Mul', [e, e])[0], [1])])[0];
  const nt = b.op('Sqrt', [rsum(b, b.op('Mul', [t, t])[0], [1])])[0];
  const cos = b.op('Div', [dot, b.op('Mul', [ne, nt])[0]])[0];
  b.output(b.op('Reshape', [b.op('Neg', [cos])[0], b.ints([1])])[0], CLIP_LOSS);
  return grad(b.build(), { loss: CLIP_LOSS, wrt: ['pixel_values'] });
}

/** [V,3,S,S] in [0,1] → CLIP-normalized pixel values (x − mean)/std per channel. */
export function toPixelValues(images: Float32Array, size: number): Float32Array {
  const S2 = size * size, out = new Float32Array(images.length);
  for (let i = 0; i < images.length; i++) {
    const c = Math.floor(i / S2) % 3;
    out[i] = (images[i] - CLIP_MEAN[c]) / CLIP_STD[c];
  }
  return out;
}

export class ClipGuidance {
  private disposed = false;
  private readonly text: Tensor;

  private constructor(
    private readonly rt: Runtime,
    private readonly session: Session,
    readonly views: number,
    readonly imageSize: number,
    textEmbed: Float32Array,
  ) {
    this.text = rt.tensor('float32', textEmbed, [1, textEmbed.length]);
  }

  static async create(rt: Runtime, vision: Model, views: number, textEmbed: Float32Array): Promise<ClipGuidance> {
    const { imageSize, dim } = clipVisionInfo(vision);
    if (textEmbed.length !== dim) throw new Error(`ClipGuidance: text embedding has ${textEmbed.length} values, the image tower's embedding has ${dim}`);
    const session = await rt.createSession(encodeModel(clipGuidanceModel(vision, views)));
    return new ClipGuidance(rt, session, views, imageSize, textEmbed);
  }

  /** images [V,3,S,S] in [0,1] → −cos(mean view embedding, t) and dL/dimages (through the normalization). */
  async lossAndGrad(images: Float32Array): Promise<{ loss: number; dImages: Float32Array }> {
    if (this.disposed) throw new Error('ClipGuidance: used after dispose()');
    const S = this.imageSize, S2 = S * S;
    const out = await this.session.run({
      pixel_values: this.rt.tensor('float32', toPixelValues(images, S), [this.views, 3, S, S]),
      [TEXT_INPUT]: this.text,
    }, [CLIP_LOSS, 'pixel_values_grad']);
    const loss = ((await this.rt.read(out[CLIP_LOSS])) as Float32Array)[0];
    const g = (await this.rt.read(out.pixel_values_grad)) as Float32Array;
    const dImages = new Float32Array(g.length);
    for (let i = 0; i < g.length; i++) dImages[i] = g[i] / CLIP_STD[Math.floor(i / S2) % 3];
    for (const t of Object.values(out)) t.dispose?.();
    return { loss, dImages };
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    this.text.dispose?.();
    await this.session.dispose();
  }
}
