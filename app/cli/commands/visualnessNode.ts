/**
 * Node-side loading for the visualness CLI and evaluation: the committed TIP scorer
 * (assets/models/visualness) and the zero-shot baseline built on the spot from micro-CLIP
 * (its text tower + the NULL image through its vision tower), both as VisualnessScorers.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeModel } from '../../../models/graph/decode.ts';
import { encodeModel } from '../../../models/graph/encode.ts';
import type { Runtime, Session } from '../../../models/runtime/Runtime.ts';
import { MicroTokenizer } from '../../../models/text/tokenizer.ts';
import { ClipModel } from '../../../models/zoo/clip/ClipModel.ts';
import { microTokenize } from '../../../models/train/clip/microTokenize.ts';
import { pairedEmbeddings, readMicroClip, type VisualnessModelJson } from '../../../models/train/visualness/recipe.ts';
import { buildVisualnessGraph } from '../../../models/train/visualness/visualnessGraph.ts';
import { VisualnessScorer, microScoringTokenizer } from '../../../pipelines/visualness/scorer.ts';

export const DEFAULT_TIP_DIR = join('assets', 'models', 'visualness');
export const DEFAULT_CLIP_DIR = join('assets', 'models', 'micro-clip');

export interface LoadedScorer { scorer: VisualnessScorer; session: Session; threshold?: number; contextLength: number; /** sha256 of the text encoder the scorer was built from. */ textSha256?: string; /** sha256 of the vision encoder its NULL embedding came from. */ visionSha256?: string }

export async function loadTipScorer(rt: Runtime, dir = DEFAULT_TIP_DIR): Promise<LoadedScorer & { json: VisualnessModelJson }> {
  if (!existsSync(join(dir, 'model.json'))) throw new Error(`no visualness model in ${dir} (run \`npm run train -- visualness\`)`);
  const json = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8')) as VisualnessModelJson;
  const session = await rt.createSession(new Uint8Array(await readFile(join(dir, json.files.scorer.name))));
  const L = json.tokenizer.contextLength;
  return { scorer: new VisualnessScorer(rt, session, microScoringTokenizer(L)), session, threshold: json.threshold, json, contextLength: L };
}

/** The paper's zero-shot baseline on micro-CLIP: its own (un-tuned) text tower scored against its own NULL embedding. */
export async function loadZeroShotScorer(rt: Runtime, dir = DEFAULT_CLIP_DIR): Promise<LoadedScorer> {
  if (!existsSync(join(dir, 'model.json'))) throw new Error(`no micro-CLIP in ${dir} (run \`npm run train -- clip\`)`);
  const mc = await readMicroClip(dir);
  const L = mc.config.text.contextLength;
  const clip = await ClipModel.create(rt, { vision: mc.vision, text: mc.text, tokenize: microTokenize(MicroTokenizer.microworld({ contextLength: L })) });
  let nullUnit: Float32Array;
  try {
    nullUnit = (await pairedEmbeddings(clip, [], mc.config.vision.imageSize)).embeds;
  } finally {
    await clip.dispose();
  }
  const g = buildVisualnessGraph(decodeModel(mc.text), nullUnit, { heads: mc.config.text.heads });
  const session = await rt.createSession(encodeModel(g.model));
  const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
  return { scorer: new VisualnessScorer(rt, session, microScoringTokenizer(L)), session, contextLength: L, textSha256: sha(mc.text), visionSha256: sha(mc.vision) };
}
