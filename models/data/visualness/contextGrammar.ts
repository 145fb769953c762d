/**
 * Context sentences for visualness: the cases a word list gets wrong and a user writes all the time.
 *  - 'figurative' (non-visual): color / shape / picture words used as idioms or abstractly
 *    ("she was green with envy about the merger", "the report paints a dark picture of the budget");
 *  - 'plain' (non-visual): office and news text whose words are mostly outside micro-CLIP's vocabulary;
 *  - 'scenery' (visual): seeable scenes named without any color, shape or Microworld noun
 *    ("a lantern hangs above the doorway", "in the photo a sailor waves beside a lighthouse").
 *
 * Train (and val, other seeds) and test draw from DIFFERENT templates AND different idioms / nouns /
 * verbs, so a held-out score measures whether a model reads context rather than memorized phrases.
 * The idioms of the hand-written fixture (handwritten.json: "felt blue", "golden opportunity",
 * "red tape", "green light", "gray area", ...) are used by neither grammar, so that set stays
 * independent of training. Most nouns here are not in micro-CLIP's 349-word vocabulary: they reach
 * the model as <unk>, like a user's words do, and only the context (verbs, prepositions, frames the
 * vocabulary has) can carry the decision. That is deliberate, and why this grammar lives here and
 * not in microworld/sentences.ts (whose words define the vocabulary and must all be known).
 *
 *   sampleContextSentence(new Prng('x'), 'test', true)  // { text, visual: true, category: 'scenery', template: 'test:scenery:2' }
 */
import type { Prng } from '../microworld/prng.ts';
import type { Split } from '../microworld/splits.ts';

export type ContextCategory = 'figurative' | 'plain' | 'scenery';

export interface ContextSentence {
  text: string;
  visual: boolean;
  category: ContextCategory;
  template: string;
}

type Slots = Readonly<Record<string, readonly string[]>>;

/** Slots shared by both grammars: people, organisations, matters (no visual words). */
const COMMON: Slots = {
  // third person singular, so every template's verb agrees
  who: ['she', 'he', 'the manager', 'my sister', 'our client', 'the director', 'my neighbor', 'the mayor', 'our lawyer'],
  org: ['the company', 'the team', 'the committee', 'the council', 'our department', 'the startup', 'the agency', 'the union'],
  matter: ['the budget', 'the merger', 'the proposal', 'the deadline', 'the contract', 'the election', 'the review', 'the exam', 'the schedule', 'the audit', 'the new policy', 'the lawsuit'],
  time: ['next week', 'tomorrow', 'later this year', 'last month', 'after the holidays', 'by friday', 'this quarter', 'on monday'],
};

const TRAIN_SLOTS: Slots = {
  ...COMMON,
  contest: ['the election', 'the race', 'the vote', 'the tournament', 'the debate'],
  // scenery: seeable things, none of them a Microworld color, shape, material or slot noun
  thing: ['lantern', 'bench', 'fountain', 'ladder', 'statue', 'bridge', 'tower', 'wheelbarrow', 'bucket', 'barrel', 'fence', 'doorway', 'staircase', 'windmill', 'tent', 'cabin', 'bottle', 'candle', 'basket', 'rock', 'cliff', 'shelf', 'window', 'mailbox',
    'barn', 'shed', 'wheel', 'rope', 'boulder', 'hut', 'signpost', 'cart', 'sack', 'jar', 'mirror', 'carpet', 'puddle', 'stump', 'log', 'railing', 'stool', 'drum', 'trunk', 'flag', 'curtain', 'sofa', 'oven', 'truck'],
  person: ['a fisherman', 'a child', 'an old woman', 'a farmer', 'a soldier', 'a cyclist', 'a girl', 'a man in a coat', 'a painter', 'a young woman', 'a shepherd', 'a clown', 'a baker', 'a tourist'],
  // participle states and -ing actions, so visual frames also use "is", "was", "that", "there"
  state: ['leaning', 'hanging', 'lying', 'perched', 'stacked', 'chained', 'nailed', 'balanced', 'wedged', 'piled up'],
  acting: ['climbing', 'kneeling', 'sweeping the floor', 'carrying a sack', 'waving', 'painting a door', 'reading a map', 'digging'],
  seen: ['we noticed', 'i saw', 'she spotted', 'they found', 'we photographed', 'he pointed at'],
  stand: ['stand', 'sit', 'wait', 'kneel', 'huddle', 'crouch'],
  posture: ['hangs', 'leans', 'lies', 'towers', 'perches', 'glows', 'sways', 'dangles'],
  action: ['climbs', 'kneels', 'waves', 'crouches', 'sweeps the path', 'carries a bucket', 'walks', 'ties a rope'],
  prep: ['above', 'below', 'beside', 'behind', 'against', 'next to', 'in front of', 'on top of', 'inside', 'along', 'under'],
  substance: ['moss', 'rust', 'ivy', 'frost', 'sawdust', 'soot'],
  weather: ['the rain pours down', 'the wind blows', 'the sun goes down', 'the fog lifts'],
  doc: ['report', 'invoice', 'budget', 'proposal', 'agreement', 'survey', 'policy'],
  office: ['approve', 'revise', 'sign', 'vote on', 'audit', 'reject', 'discuss'],
  noticed: ['we noticed', 'i saw', 'she pointed out', 'they found', 'he admitted', 'we learned'],
};

const TEST_SLOTS: Slots = {
  ...COMMON,
  thing: ['lighthouse', 'harbor', 'pier', 'cathedral', 'scarecrow', 'wagon', 'chimney', 'balcony', 'canoe', 'tractor', 'kettle', 'lamp', 'pillar', 'gate', 'porch', 'crate', 'hammock', 'anchor', 'well', 'haystack'],
  person: ['a sailor', 'a boy', 'a nurse', 'an old man', 'a hiker', 'a waiter', 'a grandmother', 'a mechanic'],
  action: ['waves', 'leans over the railing', 'pushes a cart', 'fixes a net', 'drinks tea', 'reads a newspaper', 'hammers a nail', 'smokes a pipe'],
  placed: ['is tied to', 'is parked next to', 'is propped against', 'sticks out of', 'peeks out from behind', 'rises above'],
  part: ['a rusty handle', 'a broken window', 'a tall mast', 'a crooked roof', 'a loose plank'],
  doc: ['spreadsheet', 'contract', 'forecast', 'memo', 'application', 'statement'],
  office: ['finalize', 'resubmit', 'review', 'cancel', 'renew', 'forward'],
  process: ['review', 'approval', 'edits', 'negotiation', 'testing'],
};

interface Grammar { category: ContextCategory; visual: boolean; templates: readonly string[] }

const TRAIN: readonly Grammar[] = [
  {
    category: 'figurative', visual: false, templates: [
      '{who} was green with envy about {matter}',
      '{matter} is just a red herring',
      '{matter} came out of the blue',
      'after {matter} {org} is finally in the black',
      '{who} is a dark horse in {contest}',
      'these are dark days for {org}',
      '{who} was kept in the dark about {matter}',
      'i only have a rough idea of {matter}',
      '{who} was the star of {matter}',
      '{who} sees red whenever {matter} comes up',
      '{matter} is only the tip of the iceberg',
      'the payment for {matter} was made under the table',
      '{who} has a solid argument about {matter}',
      '{org} is under pressure to finish {matter} {time}',
      'prices rose above expectations after {matter}',
      'the council sat on the fence about {matter}',
      '{matter} was swept under the rug',
      '{matter} is on the back burner until {time}',
      '{matter} hangs by a thread',
      'the cost of {matter} went through the roof',
      '{matter} turned out to be a gold mine for {org}',
      '{org} cut corners on {matter}',
      '{who} stands behind the decision on {matter}',
      // idioms on words micro-CLIP knows as visual (star, heart, stone, sand, tree, ball, cat, ...)
      '{who} had a change of heart about {matter}',
      '{who} left no stone unturned in {matter}',
      '{matter} is a stepping stone for {org}',
      '{org} drew a line in the sand over {matter}',
      '{who} is barking up the wrong tree with {matter}',
      '{who} dropped the ball on {matter}',
      '{who} let the cat out of the bag about {matter}',
      '{matter} hit a wall {time}',
      '{who} rolled out the red carpet for {org}',
      '{who} threw a hat into the ring for {contest}',
      '{matter} is a horse of a different color',
      '{who} took {matter} to heart',
      '{matter} snowballed into a crisis for {org}',
      '{org} is the top dog in {contest}',
      'there is a window of opportunity for {matter}',
      '{who} sees the world through rose colored glasses',
      'many moons ago {org} tried a similar {doc}',
      'let us circle back to {matter} {time}',
      '{who} belongs to the inner circle of {org}',
      // one common idiom per color, shape, texture and material word of the visual vocabulary, so
      // that no such word is only ever visual in training (none of test's or the fixture's idioms)
      '{org} waved the white flag on {matter}',
      '{matter} was a whitewash',
      '{who} follows the golden rule in {matter}',
      '{who} left {org} with a golden handshake',
      '{matter} has entered the public sphere',
      '{who} is still wet behind the ears',
      '{who} won {contest} fair and square',
      '{org} got a square deal on {matter}',
      '{who} is caught in a love triangle',
      '{who} was tickled pink about {matter}',
      'the {doc} is full of purple prose',
      '{who} showed a yellow streak during {matter}',
      '{matter} takes a lot of gray matter',
      'the goods were sold on the black market',
      '{org} hired a white collar consultant for {matter}',
      '{who} has a checkered past',
      '{who} gave a wooden speech about {matter}',
      '{who} had a bright idea about {matter}',
      '{org} has a dark sense of humor',
      'it was smooth sailing for {matter}',
      '{org} is going through a rough patch',
      '{who} earned the stripes on {matter}',
      '{who} helped us connect the dots on {matter}',
      'the name of {who} rings a bell',
      '{who} crossed the line during {matter}',
      '{who} was the star witness in {matter}',
      '{org} is firing on all cylinders',
      '{who} hit a brick wall with {matter}',
      '{who} stayed stone cold during {matter}',
      'the {doc} has a sunset clause',
      '{who} is snowed under with {matter}',
      'prices for {matter} are sky high',
      '{who} was sold down the river by {org}',
      '{matter} is an umbrella term',
      '{who} is the apple of the eye of {who}',
      '{org} missed the boat on {matter}',
      '{matter} is still on the table',
      '{who} will chair the committee {time}',
    ],
  },
  {
    category: 'plain', visual: false, templates: [
      '{org} will {office} the {doc} {time}',
      '{who} needs to {office} the {doc} before {matter}',
      'the {doc} for {matter} is still missing a signature',
      'the minutes of {matter} were sent to {org}',
      'can you confirm the date of {matter}',
      '{org} expects a decision on {matter} {time}',
      // the frames of the new scenery templates, here with nothing to see
      '{noticed} that {matter} is behind schedule',
      'there was no {doc} for {matter}',
      'you can {office} the {doc} {time}',
      'the {doc} that {who} sent is still under review',
      '{who} is working on the {doc} for {org}',
      'it is clear that {matter} needs more time',
      // function words the visual templates use (and, an, at, near, below, there, ...), with nothing to see
      '{matter} and {matter} are both on hold',
      '{who} and {who} disagree about {matter}',
      'an {doc} for {matter} is planned {time}',
      '{org} is near an agreement on {matter}',
      'at the moment {matter} has no sponsor',
      'costs stayed below the limit for {matter}',
      'beside {matter} there is little to discuss',
      'there is no reason to delay {matter}',
      'they will {office} the {doc} {time}',
      '{who} was tired and frustrated after {matter}',
      'the {doc} and the {doc} are due {time}',
      '{org} cut costs across the board',
    ],
  },
  {
    category: 'scenery', visual: true, templates: [
      '{a:thing} {posture} {prep} the {thing}',
      '{person} {action} {prep} the {thing}',
      'the {thing} {prep} the {thing} is covered in {substance}',
      '{person} {action} by the {thing} while {weather}',
      'yesterday we saw {a:thing} {prep} the {thing}',
      'the old {thing} {posture} {prep} {a:thing} near the {thing}',
      'a tall {thing} and a small {thing} {prep} the {thing}',
      '{a:thing} {posture} in the corner of the {thing}',
      '{seen} {a:thing} that was {state} {prep} the {thing}',
      'the {thing} is {state} {prep} {a:thing}',
      'there was {a:thing} {state} {prep} the {thing}',
      '{person} is {acting} {prep} the {thing}',
      'a picture of {a:thing} {prep} {a:thing}',
      '{a:thing} and {a:thing} lie {prep} the {thing}',
      'from the {thing} we watched {person} {action}',
      // function words the non-visual templates use (you, can, it, this, my, our, they, then, more, than, out, for, will)
      'you will find {a:thing} {state} {prep} the {thing}',
      'from the {thing} you can watch {person} {action}',
      'it {posture} {prep} the {thing} after {weather}',
      'this {thing} is taller than the {thing} {prep} it',
      'my {thing} {posture} {prep} our {thing}',
      'they {stand} {prep} the {thing} for an hour',
      '{person} carries the {thing} out of the {thing}',
      'then {person} {action} {prep} the {thing}',
      'the {thing} has more {substance} than the {thing}',
      '{a:thing} about the size of {a:thing} {posture} {prep} the {thing}',
      'there is nothing {prep} the {thing} but {a:thing}',
      'the {thing} should stand {prep} the {thing}',
      'she {action} {prep} the {thing} and {a:thing}',
      'i left {a:thing} {state} {prep} the {thing}',
      '{a:thing} with no {thing} {posture} {prep} the {thing}',
      'the {thing} is about as tall as {a:thing} {prep} it',
    ],
  },
];

const TEST: readonly Grammar[] = [
  {
    category: 'figurative', visual: false, templates: [
      'those were the golden years of {org}',
      'now the ball is in our court on {matter}',
      '{who} was caught red-handed during {matter}',
      'the new stadium is a white elephant for {org}',
      '{matter} has become a vicious circle',
      'the shiny new strategy changed nothing about {matter}',
      '{matter} is at the heart of the dispute',
      '{org} has a wide sphere of influence',
      '{who} passed {matter} with flying colors',
      'the report paints a dark picture of {matter}',
      'they promised us the moon and delivered nothing',
      'the writing is on the wall for {org}',
      '{who} was a wet blanket about {matter}',
      '{matter} fell below expectations {time}',
    ],
  },
  {
    category: 'plain', visual: false, templates: [
      'according to the auditor the {doc} needs another round of {process}',
      'it is likely that {org} will {office} the {doc} {time}',
    ],
  },
  {
    category: 'scenery', visual: true, templates: [
      'you can spot {a:thing} that {placed} the {thing}',
      'in the photo {person} {action} beside {a:thing}',
      '{a:thing} with {part} {placed} the {thing}',
      '{person} {action} near the {thing} at dawn',
    ],
  },
];

function fill(template: string, slots: Slots, rng: Prng): string {
  return template.replace(/\{(a:)?([a-z]+)\}/g, (_m, art: string | undefined, slot: string) => {
    const list = slots[slot];
    if (!list) throw new Error(`context grammar: no slot '${slot}'`);
    const word = rng.pick(list);
    return art ? `${/^[aeiou]/.test(word) ? 'an' : 'a'} ${word}` : word;
  });
}

/** A context sentence of `split` (val shares train's templates, test has its own) with the given label. */
export function sampleContextSentence(rng: Prng, split: Split, visual: boolean): ContextSentence {
  const set = split === 'test' ? 'test' : 'train';
  const grammars = (set === 'test' ? TEST : TRAIN).filter((g) => g.visual === visual);
  // Non-visual: mostly figurative (the hard case), some plain office text so <unk>-heavy text is not
  // a visual cue by itself (visual has one grammar, so the pick is trivial there).
  const g = grammars.length > 1 ? (rng.chance(0.7) ? grammars.find((x) => x.category === 'figurative') : grammars.find((x) => x.category === 'plain')) : grammars[0];
  if (!g) throw new Error('context grammar: missing category');
  const k = rng.int(g.templates.length);
  return { text: fill(g.templates[k], set === 'test' ? TEST_SLOTS : TRAIN_SLOTS, rng), visual, category: g.category, template: `${set}:${g.category}:${k}` };
}

/** Every word a grammar ('train' covers val) can produce: templates and fillers. */
export function contextGrammarWords(set: 'train' | 'test'): Set<string> {
  const slots = set === 'test' ? TEST_SLOTS : TRAIN_SLOTS;
  const texts = [...(set === 'test' ? TEST : TRAIN).flatMap((g) => g.templates.map((t) => t.replace(/\{(a:)?[a-z]+\}/g, ' '))), ...Object.values(slots).flat()];
  return new Set(texts.flatMap((t) => t.match(/[a-z]+/g) ?? []));
}
