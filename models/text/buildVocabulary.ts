/**
 * Builds micro-CLIP's vocabulary deterministically from the Microworld grammars: every attribute
 * value, every template and filler word, and the words of captions and questions generated from
 * fixed seeds. Same code → same list → same ids, on every machine. The result is committed as
 * vocab.json (`atelier microworld --kind vocab --out models/text/vocab.json`); a test keeps the two equal.
 */
import {
  COLOR_NAMES, MATERIALS, MESHES, MOTIONS, NUMBER_WORDS, PATTERNS, POSITIONS, SHAPES, SIZES, TEXTURES,
  PLAIN_BACKGROUNDS, type MaterialName,
} from '../data/microworld/attributes.ts';
import { backgroundPhrase } from '../data/microworld/backgrounds.ts';
import { captionScene } from '../data/microworld/captions.ts';
import { captionMesh } from '../data/microworld/meshScene.ts';
import { plural } from '../data/microworld/phrases.ts';
import { Prng } from '../data/microworld/prng.ts';
import { questionsFor } from '../data/microworld/questions.ts';
import { sampleScene } from '../data/microworld/scene.ts';
import { sentenceGrammarText } from '../data/microworld/sentences.ts';
import { materialUsesColor } from '../data/microworld/materials.ts';
import { pretokenize } from './normalize.ts';
import { PUNCTUATION, SPECIALS, Vocabulary } from './vocabulary.ts';

/** All texts the Microworld generators can produce words from (fixed seeds: deterministic). */
function grammarTexts(): string[] {
  const texts: string[] = [
    ...COLOR_NAMES, ...SHAPES, ...SHAPES.map(plural), ...PATTERNS, ...SIZES, ...POSITIONS, ...TEXTURES,
    ...MESHES, ...MATERIALS, ...MOTIONS, ...NUMBER_WORDS, 'yes no object objects',
    ...sentenceGrammarText(),
    ...PLAIN_BACKGROUNDS.map((color) => backgroundPhrase({ kind: 'plain', color })),
    ...TEXTURES.map((texture) => backgroundPhrase({ kind: 'texture', texture })),
    '0 1 2 3 4 5 6 7 8 9',
  ];
  for (const mesh of MESHES) {
    for (const material of MATERIALS as readonly MaterialName[]) {
      for (const color of materialUsesColor(material) ? COLOR_NAMES : [undefined]) {
        texts.push(...captionMesh({ mesh, material, ...(color ? { color } : {}), materialSeed: 0, elevation: 0, azimuth: 0 }));
      }
    }
  }
  // Captions and questions vary in structure with the scene; 400 scenes per split reach them all.
  for (const split of ['train', 'test'] as const) {
    const rng = new Prng(`vocabulary:${split}`);
    for (let i = 0; i < 400; i++) {
      const scene = sampleScene(rng, { split });
      for (const c of captionScene(scene)) texts.push(c.text);
      for (const q of questionsFor(scene, rng)) texts.push(q.question, q.answer);
    }
  }
  return texts;
}

let cached: Vocabulary | null = null;

/** The Microworld vocabulary (built once per process). */
export function microworldVocabulary(): Vocabulary {
  if (cached) return cached;
  const words = new Set<string>();
  for (const t of grammarTexts()) for (const tok of pretokenize(t)) if (tok.kind === 'word') words.add(tok.text);
  const sorted = [...words].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  cached = new Vocabulary([SPECIALS.pad, SPECIALS.unk, ...PUNCTUATION, ...sorted, SPECIALS.sot, SPECIALS.eot]);
  return cached;
}
