/**
 * `atelier microworld`: look at the procedural world.
 *
 *   npx atelier microworld --kind scenes --n 16 --seed 1 --out grid.png
 *   npx atelier microworld --kind meshes --split test --n 12 --out meshes.png
 *   npx atelier microworld --kind clips --n 6 --size 32 --out clips.png      (one clip per row)
 *   npx atelier microworld --kind sentences --n 20                          (text only)
 *   npx atelier microworld --kind vocab --out models/text/vocab.json        (tokenizer vocabulary)
 *
 * Writes a contact sheet PNG (tile numbers in the corners, the recipe in a tEXt chunk) and the
 * captions to stdout and to a sidecar <out>.txt.
 */
import { writeFileSync } from 'node:fs';
import {
  MOTIONS, clipSample, contactSheet, meshSample, sceneSample, sentenceSample, type RgbImage, type Split,
} from '../../../models/data/microworld/index.ts';
import { microworldVocabulary } from '../../../models/text/buildVocabulary.ts';
import { encodePng } from '../../../pipelines/core/png.ts';

const KINDS = ['scenes', 'meshes', 'clips', 'sentences', 'vocab'] as const;
type Kind = (typeof KINDS)[number];

interface Args {
  kind: Kind;
  n: number;
  seed: string;
  split: Split;
  size: number;
  frames: number;
  out: string | null;
}

const USAGE = `usage: atelier microworld --kind ${KINDS.join('|')} [--n 16] [--seed 1] [--split train|val|test]
                         [--size 64] [--frames 8] [--out grid.png]`;

function parse(argv: string[]): Args | string {
  const a: Args = { kind: 'scenes', n: 16, seed: '1', split: 'train', size: 0, frames: 8, out: null };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    const need = (): string | null => (value === undefined || value.startsWith('--') ? null : value);
    switch (flag) {
      case '--help':
      case '-h':
        return USAGE;
      case '--kind': {
        const v = need();
        if (!v || !(KINDS as readonly string[]).includes(v)) return `--kind must be one of ${KINDS.join(', ')}`;
        a.kind = v as Kind;
        break;
      }
      case '--split': {
        const v = need();
        if (v !== 'train' && v !== 'val' && v !== 'test') return '--split must be train, val or test';
        a.split = v;
        break;
      }
      case '--seed':
        if (!need()) return '--seed needs a value';
        a.seed = value;
        break;
      case '--out':
        if (!need()) return '--out needs a path';
        a.out = value;
        break;
      case '--n':
      case '--size':
      case '--frames': {
        const v = Number(need());
        if (!Number.isInteger(v) || v < 1 || v > 4096) return `${flag} needs a positive integer`;
        if (flag === '--n') a.n = v;
        else if (flag === '--size') a.size = v;
        else a.frames = v;
        break;
      }
      default:
        return `unknown argument ${flag}\n${USAGE}`;
    }
    i++;
  }
  return a;
}

function scenes(a: Args, lines: string[]): RgbImage[] {
  const tiles: RgbImage[] = [];
  for (let i = 0; i < a.n; i++) {
    // Tile i is training sample i of (split, seed): the same whatever --n is.
    const s = sceneSample(a.split, a.seed, i, { width: a.size || 64 });
    tiles.push(s.image);
    const qa = s.questions.slice(0, 3).map((q) => `${q.question} ${q.answer}`);
    lines.push(`#${i} ${s.captions.map((c) => c.text).join(' | ')}`, `   Q: ${qa.join(' / ')}`);
  }
  return tiles;
}

function meshes(a: Args, lines: string[]): RgbImage[] {
  const tiles: RgbImage[] = [];
  for (let i = 0; i < a.n; i++) {
    const s = meshSample(a.split, a.seed, i, a.size || 64);
    tiles.push(s.image);
    lines.push(`#${i} ${s.captions[0]}  (${s.spec.mesh}, ${s.spec.material}${s.spec.color ? ` ${s.spec.color}` : ''})`);
  }
  return tiles;
}

function clips(a: Args, lines: string[]): RgbImage[] {
  const tiles: RgbImage[] = [];
  for (let i = 0; i < a.n; i++) {
    // Cycle through the motions so a small sheet shows each of them.
    const clip = clipSample(a.split, a.seed, i, { frames: a.frames, size: a.size || 32, motion: MOTIONS[i % MOTIONS.length] });
    tiles.push(...clip.frames);
    lines.push(`row ${i}: ${clip.motion} strength ${clip.strength.toFixed(2)}${clip.objectsMoving ? ', objects moving' : ''}`);
  }
  return tiles;
}

export async function run(argv: string[]): Promise<number> {
  const a = parse(argv);
  if (typeof a === 'string') {
    const help = a === USAGE;
    (help ? console.log : console.error)(a);
    return help ? 0 : 2;
  }
  const lines: string[] = [];
  if (a.kind === 'vocab') {
    const json = `${JSON.stringify(microworldVocabulary().toJSON(), null, 1)}\n`;
    if (a.out) writeFileSync(a.out, json);
    else process.stdout.write(json);
    if (a.out) console.log(`wrote ${a.out} (${microworldVocabulary().size} tokens)`);
    return 0;
  }
  if (a.kind === 'sentences') {
    for (let i = 0; i < a.n; i++) {
      const s = sentenceSample(a.split, a.seed, i);
      lines.push(`${s.visual ? 'visual    ' : 'non-visual'} ${s.category.padEnd(9)} ${s.text}`);
    }
  }
  const tiles = a.kind === 'scenes' ? scenes(a, lines) : a.kind === 'meshes' ? meshes(a, lines) : a.kind === 'clips' ? clips(a, lines) : [];
  for (const l of lines) console.log(l);
  if (tiles.length > 0) {
    const tile = tiles[0].width;
    const sheet = contactSheet(tiles, {
      columns: a.kind === 'clips' ? a.frames : undefined,
      scale: Math.max(1, Math.round(128 / tile)),
      labels: a.kind === 'clips' ? tiles.map((_t, k) => Math.floor(k / a.frames)) : true,
    });
    const out = a.out ?? `microworld-${a.kind}.png`;
    const recipe = JSON.stringify({ tool: 'atelier microworld', kind: a.kind, n: a.n, seed: a.seed, split: a.split, size: a.size || tile, frames: a.frames });
    writeFileSync(out, encodePng({ width: sheet.width, height: sheet.height, channels: 3, data: sheet.data }, { recipe }));
    writeFileSync(`${out}.txt`, `${lines.join('\n')}\n`);
    console.log(`wrote ${out} (${sheet.width}x${sheet.height}) and ${out}.txt`);
  }
  return 0;
}

// Runnable on its own (`npx tsx app/cli/commands/microworld.ts ...`) until the dispatcher calls it.
if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  process.exitCode = await run(process.argv.slice(2));
}
