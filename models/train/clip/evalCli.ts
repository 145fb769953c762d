/**
 * `npm run eval -- clip [--json] [--model micro-clip|micro-clip-eval] [--dir path]`: the full
 * held-out evaluation (300 single-object scenes, 200 mesh renders, 100 retrieval candidates) of
 * a trained micro-CLIP read from assets/models/<id>/ (files checked against model.json's sha256).
 * Exit code 0 when the targets are met, 1 when not (the numbers are printed either way).
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MicroTokenizer } from '../../text/tokenizer.ts';
import { createNodeRuntime } from '../../runtime/backends/nodeCpu.ts';
import { ClipModel } from '../../zoo/clip/ClipModel.ts';
import { FULL_EVAL, TARGETS, evaluateClip, loadEvalSets, meetsTargets } from './evaluate.ts';
import type { ClipModelJson } from './export.ts';
import { microTokenize } from './microTokenize.ts';

export async function readClipDir(dir: string): Promise<{ json: ClipModelJson; vision: Uint8Array; text: Uint8Array }> {
  const json = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8')) as ClipModelJson;
  const load = async (f: ClipModelJson['files']['vision']) => {
    const bytes = new Uint8Array(await readFile(join(dir, f.name)));
    const sha = createHash('sha256').update(bytes).digest('hex');
    if (bytes.length !== f.bytes || sha !== f.sha256) throw new Error(`${join(dir, f.name)}: bytes/sha256 differ from model.json (${bytes.length} ${sha})`);
    return bytes;
  };
  return { json, vision: await load(json.files.vision), text: await load(json.files.text) };
}

export async function runClipEval(argv: string[]): Promise<number> {
  let id = 'micro-clip', dir: string | undefined, asJson = false;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--json') asJson = true;
    else if (argv[i] === '--model') id = argv[++i];
    else if (argv[i] === '--dir') dir = argv[++i];
    else { console.error(`unknown option ${argv[i]} (options: --json --model <id> --dir <path>)`); return 2; }
  }
  if (!/^micro-clip(-eval)?$/.test(id) && !dir) { console.error(`--model must be micro-clip or micro-clip-eval (or pass --dir), got ${id}`); return 2; }
  const { json, vision, text } = await readClipDir(dir ?? join('assets', 'models', id));
  const tok = MicroTokenizer.microworld({ contextLength: json.tokenizer.contextLength });
  const sets = await loadEvalSets(json.config.vision.imageSize, FULL_EVAL, asJson ? undefined : (m) => console.error(m));
  const rt = await createNodeRuntime();
  const clip = await ClipModel.create(rt, { vision, text, tokenize: microTokenize(tok) });
  try {
    const r = await evaluateClip(clip, sets);
    const verdict = meetsTargets(r);
    const out = { model: json.id, ...r, targets: TARGETS, meetsTargets: verdict.ok, misses: verdict.misses };
    if (asJson) console.log(JSON.stringify(out, null, 1));
    else {
      for (const k of ['color', 'shape', 'pattern', 'material', 'i2t_top1', 'i2t_top5', 't2i_top1', 't2i_top5'] as const) console.log(`${k.padEnd(9)} ${r[k].toFixed(3)}`);
      console.log(verdict.ok ? 'targets met' : `targets missed: ${verdict.misses.join(', ')}`);
    }
    return verdict.ok ? 0 : 1;
  } finally {
    await clip.dispose();
    await rt.dispose();
  }
}
