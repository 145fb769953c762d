/**
 * `npm run eval -- t2i [--json] [--n 200] [--steps 25] [--guidance 5] [--inversion-n 20] [--attention-n 50]
 *   [--vae DIR --unet DIR --clip-eval DIR]`: the micro text-to-image stack on held-out prompts.
 *
 *  - color / shape / background: the *evaluator* micro-CLIP (independently seeded, so the generator cannot
 *    score itself) classifies each generated image zero-shot; prompts are 'list-background' captions of
 *    single-object test-split scenes (held-out color×shape / pattern×shape combinations). The same scenes'
 *    real renders give the ceiling (`real_images`).
 *  - vae_psnr: encode (mean) → decode of the real images. inversion_psnr: VAE-encode, DDIM-invert with the
 *    prompt, regenerate with guidance 1, decode, compare (25 steps).
 *  - attention_in_mask: on 1–2-object scenes with position captions, does each object's noun token's
 *    cross-attention (mean over layers and steps) peak inside that object's true mask?
 *  - s_per_image: wall time of one text2image job (text encode + steps with CFG + decode) in Node.
 */
import { createNodeRuntime } from '../../../models/runtime/backends/nodeCpu.ts';
import type { Runtime } from '../../../models/runtime/Runtime.ts';
import { COLOR_NAMES, PLAIN_BACKGROUNDS, SHAPES, TEXTURES } from '../../../models/data/microworld/attributes.ts';
import { type Background, backgroundPhrase } from '../../../models/data/microworld/backgrounds.ts';
import { captionScene } from '../../../models/data/microworld/captions.ts';
import { attributeFirst, withArticle } from '../../../models/data/microworld/phrases.ts';
import { Prng } from '../../../models/data/microworld/prng.ts';
import { renderScene } from '../../../models/data/microworld/renderScene.ts';
import { type Scene, sampleScene } from '../../../models/data/microworld/scene.ts';
import { decodeModel } from '../../../models/graph/decode.ts';
import { encodeModel } from '../../../models/graph/encode.ts';
import { MicroTokenizer } from '../../../models/text/tokenizer.ts';
import { readClipDir } from '../../../models/train/clip/evalCli.ts';
import { microTokenize } from '../../../models/train/clip/microTokenize.ts';
import { colorPrompt, shapePrompt } from '../../../models/train/clip/prompts.ts';
import { psnr } from '../../../models/train/diffusion/common.ts';
import { DEFAULT_DIRS, loadMicroStack, type MicroStack } from '../../../models/train/diffusion/microStack.ts';
import { normalizeBatch, type Rgb8 } from '../../../models/vision/normalize.ts';
import { ClipModel, cosineMatrix, normalizeRows } from '../../../models/zoo/clip/ClipModel.ts';
import { tapAttention } from '../../../models/zoo/taps/attentionTaps.ts';
import { executeTask } from '../../../pipelines/registry.ts';
import { bytesProvider } from '../../../pipelines/text2image/bytesProvider.ts';
import { generateWithAttention, peakPixel } from '../../../pipelines/text2image/attentionMaps.ts';
import { ddimInvert, ddimSample } from '../../../pipelines/text2image/ddimLoop.ts';
import { initialLatents, type Text2ImageResult } from '../../../pipelines/text2image/index.ts';
import { bundleTokenizer, encodePrompts } from '../../../pipelines/text2image/textContext.ts';
import { UnetRunner, decodeLatents, encodeImages, fromRgb8 } from '../../../pipelines/text2image/unetRunner.ts';
import { flag, has } from '../io.ts';

interface Case { scene: Scene; prompt: string; image: Rgb8 }

const BACKGROUNDS: Background[] = [
  ...PLAIN_BACKGROUNDS.map((color) => ({ kind: 'plain', color }) as Background),
  ...TEXTURES.map((texture) => ({ kind: 'texture', texture }) as Background),
];
const bgKey = (b: Background) => (b.kind === 'plain' ? `plain:${b.color}` : `texture:${b.texture}`);

function cases(n: number, seed: string, objects: [number, number], style: 'list-background' | 'positions'): Case[] {
  const rng = new Prng(seed);
  return Array.from({ length: n }, () => {
    const scene = sampleScene(rng, { split: 'test', width: 64, minObjects: objects[0], maxObjects: objects[1] });
    const prompt = captionScene(scene).find((c) => c.style === style)!.text;
    return { scene, prompt, image: renderScene(scene).image };
  });
}

/** Zero-shot color, shape and background of single-object images, by the evaluator CLIP. */
async function classify(clip: ClipModel, images: Rgb8[], cs: Case[]): Promise<{ color: number; shape: number; background: number }> {
  const D = clip.dim;
  const emb = normalizeRows(await clip.encodeImages(normalizeBatch(images).data, images.length), D);
  const argmax = async (i: number, prompts: string[]) => {
    const sims = cosineMatrix(emb.subarray(i * D, (i + 1) * D), normalizeRows(await clip.encodeTexts(prompts), D), D);
    return sims.indexOf(Math.max(...sims));
  };
  let color = 0, shape = 0, background = 0;
  for (let i = 0; i < cs.length; i++) {
    const o = cs[i].scene.objects[0];
    color += COLOR_NAMES[await argmax(i, COLOR_NAMES.map(colorPrompt))] === o.color ? 1 : 0;
    shape += SHAPES[await argmax(i, SHAPES.map(shapePrompt))] === o.shape ? 1 : 0;
    // Candidates differ only in the background phrase (object phrase fixed to the truth).
    const obj = withArticle(attributeFirst(o));
    background += bgKey(BACKGROUNDS[await argmax(i, BACKGROUNDS.map((b) => `${obj} ${backgroundPhrase(b)}`))]) === bgKey(cs[i].scene.background) ? 1 : 0;
  }
  const n = cs.length;
  return { color: color / n, shape: shape / n, background: background / n };
}

async function generateAll(rt: Runtime, stack: MicroStack, cs: Case[], steps: number, guidance: number, log: (m: string) => void) {
  const models = bytesProvider(rt, stack.bytes);
  const images: Rgb8[] = [];
  let seconds = 0;
  try {
    for (let i = 0; i < cs.length; i++) {
      const t0 = performance.now();
      const end = await executeTask({ task: 'text2image', input: { prompt: cs[i].prompt, seed: i, steps, guidance }, params: { bundle: stack.bundle, previewEvery: 0 } }, rt, { signal: new AbortController().signal, emit: () => {}, models });
      if (end.type !== 'complete') throw new Error(`generation ${i} failed: ${end.type === 'error' ? end.message : end.type}`);
      // The first job also creates the sessions; time only warm jobs when there are several.
      if (i > 0 || cs.length === 1) seconds += (performance.now() - t0) / 1000;
      const r = end.result as Text2ImageResult;
      images.push({ width: r.width, height: r.height, data: r.rgb });
      if (i % 20 === 0) log(`generated ${i + 1}/${cs.length}`);
    }
  } finally {
    await models.dispose();
  }
  return { images, sPerImage: seconds / Math.max(1, cs.length - (cs.length > 1 ? 1 : 0)) };
}

async function reconstruction(rt: Runtime, stack: MicroStack, cs: Case[], nInv: number, steps: number) {
  const b = stack.bundle, S = b.imageSize, per = 3 * S * S;
  const enc = await rt.createSession(stack.bytes[b.models.vaeEncoder]);
  const dec = await rt.createSession(stack.bytes[b.models.vaeDecoder]);
  const unet = new UnetRunner(rt, await rt.createSession(stack.bytes[b.models.unet]), b);
  const text = await rt.createSession(stack.bytes[b.models.textEncoder]);
  try {
    const real = new Float32Array(cs.length * per);
    cs.forEach((c, i) => fromRgb8(c.image.data, S, real, i * per));
    const z = await encodeImages(rt, enc, b, real, cs.length);
    const vaePsnr = psnr(await decodeLatents(rt, dec, b, z, cs.length), real);
    const lp = z.length / cs.length, inv: number[] = [];
    for (let i = 0; i < Math.min(nInv, cs.length); i++) {
      const { context } = await encodePrompts(rt, text, await bundleTokenizer(b), ['', cs[i].prompt]);
      const path = await ddimInvert(unet, z.slice(i * lp, (i + 1) * lp), context.subarray(context.length / 2), steps);
      const back = await ddimSample(unet, path[path.length - 1], context, { steps, guidance: 1 });
      inv.push(psnr(await decodeLatents(rt, dec, b, back, 1), real.subarray(i * per, (i + 1) * per)));
    }
    return { vaePsnr, inversionPsnr: inv.reduce((s, v) => s + v, 0) / Math.max(1, inv.length) };
  } finally {
    for (const s of [enc, dec, unet.session, text]) await s.dispose();
  }
}

async function attentionInMask(rt: Runtime, stack: MicroStack, cs: Case[], steps: number, guidance: number): Promise<number> {
  const b = stack.bundle;
  const { model, layers } = tapAttention(decodeModel(stack.bytes[b.models.unet]), { cross: { expose: 'mean' } });
  const unet = new UnetRunner(rt, await rt.createSession(encodeModel(model)), b);
  const text = await rt.createSession(stack.bytes[b.models.textEncoder]);
  const tokenize = await bundleTokenizer(b);
  let hits = 0, total = 0;
  try {
    for (let i = 0; i < cs.length; i++) {
      const { context } = await encodePrompts(rt, text, tokenize, ['', cs[i].prompt]);
      const r = await generateWithAttention(unet, layers.map((l) => ({ output: l.output!, queries: l.queries!, keys: l.keys! })),
        initialLatents(1000 + i, b.latentChannels * b.latentSize * b.latentSize), context, { steps, guidance });
      const words = tokenize(cs[i].prompt).words;
      const masks = renderScene(cs[i].scene).masks;
      // Caption order is reading order (left→right, top→bottom); the k-th shape word names the k-th object.
      const order = cs[i].scene.objects.map((o, k) => ({ o, k })).sort((p, q) => p.o.cx - q.o.cx || p.o.cy - q.o.cy);
      const nouns = words.filter((w) => (SHAPES as readonly string[]).includes(w.text));
      order.forEach(({ o, k }, j) => {
        const w = nouns[j];
        if (!w || w.text !== o.shape) return;
        const [x, y] = peakPixel(r, w.position, b.imageSize);
        hits += masks[k][y * b.imageSize + x] > 0.5 ? 1 : 0;
        total++;
      });
    }
  } finally {
    await unet.session.dispose();
    await text.dispose();
  }
  return hits / Math.max(1, total);
}

export async function run(args: string[]): Promise<number> {
  const num = (k: string, d: number) => Number(flag(args, k) ?? d);
  const n = num('n', 200), steps = num('steps', 25), guidance = num('guidance', 5), nInv = num('inversion-n', 20), nAttn = num('attention-n', 50);
  const asJson = has(args, 'json');
  const log = (m: string) => console.error(m);
  const stack = loadMicroStack({ vae: flag(args, 'vae') ?? DEFAULT_DIRS.vae, unet: flag(args, 'unet') ?? DEFAULT_DIRS.unet });
  const evaluator = await readClipDir(flag(args, 'clip-eval') ?? 'assets/models/micro-clip-eval');
  const rt = await createNodeRuntime();
  const clip = await ClipModel.create(rt, { vision: evaluator.vision, text: evaluator.text, tokenize: microTokenize(MicroTokenizer.microworld({ contextLength: evaluator.json.tokenizer.contextLength })) });
  try {
    const held = cases(n, 't2i-eval-v1', [1, 1], 'list-background');
    log(`t2i eval: ${n} held-out prompts, ${steps} DDIM steps, guidance ${guidance}`);
    const gen = await generateAll(rt, stack, held, steps, guidance, log);
    const generated = await classify(clip, gen.images, held);
    const realImages = await classify(clip, held.map((c) => c.image), held);
    const rec = await reconstruction(rt, stack, held, nInv, steps);
    const attention = nAttn > 0 ? await attentionInMask(rt, stack, cases(nAttn, 't2i-attn-v1', [1, 2], 'positions'), steps, guidance) : undefined;
    const out = {
      ...generated, vae_psnr: +rec.vaePsnr.toFixed(2), inversion_psnr: +rec.inversionPsnr.toFixed(2), real_images: realImages,
      s_per_image: +gen.sPerImage.toFixed(3), attention_in_mask: attention, n, steps, guidance, inversion_n: Math.min(nInv, n), attention_n: nAttn,
      evaluator: evaluator.json.id, untrained: stack.unet.training?.untrainedContext === true,
    };
    if (asJson) console.log(JSON.stringify(out));
    else for (const [k, v] of Object.entries(out)) console.log(`${k.padEnd(18)} ${typeof v === 'object' ? JSON.stringify(v) : v}`);
    return 0;
  } finally {
    await clip.dispose();
    await rt.dispose();
  }
}
