/**
 * Visual and non-visual sentences from separate grammars, labeled — the text side of visualness
 * scoring (visualness_dyvte.md §A). Visual sentences describe things one can picture (Microworld
 * scenes, painted objects, everyday scenes); non-visual ones are abstract, temporal, emotional or
 * logical statements. Train and val draw from the same templates; test uses different templates
 * (the same words), so a scorer must generalize beyond sentence frames.
 *
 *   sampleSentence(new Prng('s:1:0'), { split: 'test' })  // { text, visual, category, template }
 */
import { COLOR_NAMES, MATERIALS, MESHES, SHAPES } from './attributes.ts';
import { captionScene } from './captions.ts';
import { captionMesh, sampleMeshSpec } from './meshScene.ts';
import type { Prng } from './prng.ts';
import { sampleScene } from './scene.ts';
import type { Split } from './splits.ts';

export type SentenceCategory = 'scene' | 'object' | 'everyday' | 'abstract' | 'temporal' | 'emotional' | 'logical';

export interface Sentence {
  text: string;
  visual: boolean;
  category: SentenceCategory;
  /** Template id ("train:everyday:0"), so evaluations can group by frame. */
  template: string;
}

/** Slot fillers shared by train and test templates. */
export const SLOTS: Record<string, readonly string[]> = {
  color: COLOR_NAMES,
  shape: SHAPES,
  mesh: MESHES,
  material: MATERIALS,
  noun: ['dog', 'cat', 'bird', 'horse', 'car', 'boat', 'house', 'tree', 'flower', 'ball', 'apple', 'kite', 'umbrella', 'chair', 'bicycle'],
  verb: ['runs', 'sits', 'flies', 'stands', 'sleeps', 'floats', 'rolls', 'rests', 'waits'],
  verbing: ['running', 'sitting', 'flying', 'standing', 'sleeping', 'floating', 'rolling', 'resting', 'waiting'],
  place: [
    'on the beach', 'in the snow', 'under a tree', 'across the street', 'by the river', 'near the lake',
    'in the forest', 'over the hills', 'at sunset', 'on the grass', 'in the sky', 'on a wooden table',
  ],
  texture: ['shiny', 'fluffy', 'rough', 'smooth', 'wet', 'dusty', 'bright', 'dark'],
  abstract: ['freedom', 'knowledge', 'justice', 'truth', 'honesty', 'patience', 'wisdom', 'progress', 'trust', 'success', 'failure', 'democracy', 'luck', 'responsibility'],
  predicate: [
    'worth the effort', 'hard to define', 'a matter of opinion', 'more important than ever', 'never guaranteed',
    'earned over time', 'a kind of power', 'often misunderstood',
  ],
  event: ['the meeting', 'the deadline', 'the review', 'the election', 'the exam', 'the launch', 'the payment', 'the contract', 'the interview'],
  time: ['next week', 'tomorrow', 'later this year', 'last month', 'in two days', 'after the holidays', 'next year', 'monday'],
  moved: ['was moved to', 'was postponed until', 'is planned for', 'was finished by', 'should happen before'],
  emotion: ['hopeful', 'anxious', 'grateful', 'confused', 'proud', 'uncertain', 'relieved', 'worried', 'excited', 'calm'],
  topic: ['the future', 'the results', 'my decision', 'the plan', 'our progress', 'the changes', 'the outcome', 'the idea'],
  prop: [
    'the premise holds', 'the argument is valid', 'the rule applies', 'the claim is true', 'the price rises',
    'demand falls', 'the theory is correct', 'the policy changes', 'the assumption fails',
  ],
  consequence: ['the conclusion follows', 'the result must change', 'we should reconsider', 'the plan fails', 'nothing else matters', 'the proof is complete'],
};

interface Grammar {
  category: SentenceCategory;
  visual: boolean;
  templates: readonly string[];
}

/** Templates of train and val. {slot} is filled from SLOTS; "{a:slot}" adds the right article. */
const TRAIN: readonly Grammar[] = [
  { category: 'object', visual: true, templates: ['the {color} {shape} sits in the center', '{a:color} {shape} next to {a:color} {shape}', 'a {texture} {color} {noun} {place}'] },
  { category: 'everyday', visual: true, templates: ['{a:color} {noun} {verb} {place}', 'the {noun} {verb} {place}', 'a {texture} {noun} and a {color} {noun} {place}'] },
  { category: 'abstract', visual: false, templates: ['{abstract} is {predicate}', 'some say {abstract} is {predicate}'] },
  { category: 'temporal', visual: false, templates: ['{event} {moved} {time}', 'we will discuss {event} {time}'] },
  { category: 'emotional', visual: false, templates: ['i feel {emotion} about {topic}', 'she was {emotion} about {topic}'] },
  { category: 'logical', visual: false, templates: ['if {prop} then {consequence}', '{consequence} only if {prop}'] },
];

/** Test templates: new frames, same words. */
const TEST: readonly Grammar[] = [
  { category: 'object', visual: true, templates: ['you can see {a:color} {shape} with {a:color} {shape} beside it', 'there is a {texture} {noun} {place}'] },
  { category: 'everyday', visual: true, templates: ['{place} {a:color} {noun} is {verbing}', 'look at the {color} {noun} {verbing} {place}'] },
  { category: 'abstract', visual: false, templates: ['nobody can prove that {abstract} is {predicate}', 'in the end {abstract} matters more than {abstract}'] },
  { category: 'temporal', visual: false, templates: ['it is unclear whether {event} happens {time}', '{time} we will know about {event}'] },
  { category: 'emotional', visual: false, templates: ['being {emotion} about {topic} is normal', 'they felt {emotion} and {emotion} about {topic}'] },
  { category: 'logical', visual: false, templates: ['assume {prop} then {consequence}', 'it follows that {consequence} because {prop}'] },
];

function fill(template: string, rng: Prng): string {
  return template.replace(/\{(a:)?([a-z]+)\}/g, (_m, art: string | undefined, slot: string) => {
    const word = rng.pick(SLOTS[slot]);
    return art ? `${/^[aeiou]/.test(word) ? 'an' : 'a'} ${word}` : word;
  });
}

export interface SentenceOptions {
  split?: Split;
  /** Force a visual (true) or non-visual (false) sentence; default: either, 50/50. */
  visual?: boolean;
}

export function sampleSentence(rng: Prng, opts: SentenceOptions = {}): Sentence {
  const split = opts.split ?? 'train';
  const visual = opts.visual ?? rng.chance(0.5);
  const set = split === 'test' ? 'test' : 'train';
  // Captions of real Microworld scenes and painted meshes are visual sentences too (train/val only:
  // their frames would leak into the test templates otherwise).
  if (visual && set === 'train' && rng.chance(0.4)) {
    if (rng.chance(0.6)) {
      const scene = sampleScene(rng, { split });
      return { text: rng.pick(captionScene(scene)).text, visual: true, category: 'scene', template: 'train:scene-caption' };
    }
    return { text: rng.pick(captionMesh(sampleMeshSpec(rng, split))), visual: true, category: 'object', template: 'train:mesh-caption' };
  }
  const grammars = (set === 'test' ? TEST : TRAIN).filter((g) => g.visual === visual);
  const g = rng.pick(grammars);
  const k = rng.int(g.templates.length);
  return { text: fill(g.templates[k], rng), visual, category: g.category, template: `${set}:${g.category}:${k}` };
}

/** Every literal word of every template and filler (for the tokenizer's vocabulary). */
export function sentenceGrammarText(): string[] {
  const out: string[] = [];
  for (const g of [...TRAIN, ...TEST]) for (const t of g.templates) out.push(t.replace(/\{(a:)?[a-z]+\}/g, ' '));
  for (const list of Object.values(SLOTS)) out.push(...list);
  out.push('a an');
  return out;
}
