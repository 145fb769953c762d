/**
 * VLM training/eval items from Microworld scenes: per scene one caption item (prompt
 * CAPTION_PROMPT, answer = the scene's 'list' caption, e.g. "a green checkered circle and an
 * orange striped hexagon") and question items whose answers are exact from the scene graph
 * (models/data/microworld/questions.ts: color, shape, pattern, size, position, counts,
 * relations, existence). Items are a pure function of (split, seed, scene index), so the
 * held-out benchmark set is the same on every machine.
 *
 * Scoring: questions by exact match of the decoded answer; captions by attribute recall —
 * the fraction of the scene's distinct color/shape/pattern words that the caption mentions.
 */
import { captionScene, type Question, type QuestionKind, type Scene, sceneSample, type Split } from '../../data/microworld/index.ts';
import { Prng } from '../../data/microworld/prng.ts';
import { CAPTION_PROMPT } from '../../zoo/vlm/text.ts';

export type ItemKind = 'caption' | QuestionKind;

export interface VlmItem {
  /** Index of the scene (image) in its split stream. */
  scene: number;
  kind: ItemKind;
  prompt: string;
  answer: string;
}

export interface SceneItems {
  scene: Scene;
  image: { width: number; height: number; data: Uint8Array };
  items: VlmItem[];
}

/** The three kinds the task names first are asked more often than the rest. */
const FAVOURED: ReadonlySet<QuestionKind> = new Set(['color', 'count', 'left-of', 'right-of']);

/** Scene `index` of `split`, with its caption item and up to `questions` question items. */
export function sceneItems(split: Split, seed: number | string, index: number, questions = 3): SceneItems {
  const s = sceneSample(split, seed, index);
  const rng = new Prng(`vlm-items:${split}:${seed}:${index}`);
  const list = captionScene(s.scene).find((c) => c.style === 'list')!;
  const items: VlmItem[] = [{ scene: index, kind: 'caption', prompt: CAPTION_PROMPT, answer: list.text }];
  const pool = [...s.questions];
  const picked: Question[] = [];
  while (picked.length < questions && pool.length) {
    const fav = pool.filter((q) => FAVOURED.has(q.kind));
    const from = fav.length && rng.chance(0.5) ? fav : pool;
    const q = rng.pick(from);
    picked.push(q);
    pool.splice(pool.indexOf(q), 1);
  }
  for (const q of picked) items.push({ scene: index, kind: q.kind, prompt: q.question, answer: q.answer });
  return { scene: s.scene, image: s.image, items };
}

/** Distinct attribute words of a scene's objects (what a caption should mention). */
export function sceneAttributes(scene: Scene): Set<string> {
  const out = new Set<string>();
  for (const o of scene.objects) {
    out.add(o.color);
    out.add(o.shape);
    if (o.pattern !== 'solid') out.add(o.pattern);
  }
  return out;
}

/** 1/0 exact match for answers, attribute recall in [0, 1] for captions. */
export function scoreItem(item: VlmItem, scene: Scene, output: string): number {
  const norm = (t: string) => t.trim().toLowerCase().replace(/[.?!]+$/, '');
  if (item.kind !== 'caption') return norm(output) === norm(item.answer) ? 1 : 0;
  const want = sceneAttributes(scene);
  if (want.size === 0) return 1;
  const words = new Set(output.toLowerCase().split(/[^a-z]+/));
  let hit = 0;
  for (const w of want) if (words.has(w)) hit++;
  return hit / want.size;
}
