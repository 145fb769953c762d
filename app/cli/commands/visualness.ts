/**
 * `atelier visualness "text…" [--json] [--threshold T] [--model dir]`: per-sentence visualness
 * scores, labels, word attribution and the document score (pipelines/visualness/analyze.ts on
 * onnxruntime-node). Text may also come on stdin (`-`).
 * `atelier visualness --make-null --vision vision_model.onnx --out null_embedding.f32`: the NULL
 * embedding file of the real path (models/manifests/visualnessReal.ts) from a CLIP vision export.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { flag, has, type CliIo } from '../io.ts';
import { createNodeRuntime } from '../../../models/runtime/backends/nodeCpu.ts';
import { nullImage } from '../../../models/data/visualness/dataset.ts';
import { normalizeBatch } from '../../../models/vision/normalize.ts';
import { normalizeRows } from '../../../models/zoo/clip/ClipModel.ts';
import { analyzeText } from '../../../pipelines/visualness/analyze.ts';
import { DEFAULT_TIP_DIR, loadTipScorer } from './visualnessNode.ts';

const USAGE = 'usage: atelier visualness "text…" [--json] [--threshold T] [--model dir]   (text "-" reads stdin)\n       atelier visualness --make-null --vision vision_model.onnx --out null_embedding.f32';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function run(args: string[], io: CliIo): Promise<number> {
  if (has(args, 'help') || args[0] === 'help') { io.out(USAGE); return 0; }
  if (has(args, 'make-null')) return makeNull(args, io);
  const valued = new Set(['--threshold', '--model']);
  const positional = args.filter((a, i) => !a.startsWith('--') && !valued.has(args[i - 1] ?? ''));
  if (!positional.length) { io.err(`atelier visualness: no text given\n${USAGE}`); return 2; }
  const text = positional[0] === '-' ? await readStdin() : positional.join(' ');
  const thr = flag(args, 'threshold');
  if (thr !== undefined && !Number.isFinite(Number(thr))) { io.err(`atelier visualness: --threshold needs a number, got '${thr}'`); return 2; }
  const rt = await createNodeRuntime();
  const tip = await loadTipScorer(rt, flag(args, 'model') ?? DEFAULT_TIP_DIR);
  try {
    const r = await analyzeText(tip.scorer, text, { threshold: thr !== undefined ? Number(thr) : tip.threshold ?? 0.5 });
    if (has(args, 'json')) {
      io.out(JSON.stringify({ ...r, model: tip.json.id, sentences: r.sentences.map((s) => ({ ...s, words: s.words.map((w) => ({ text: w.text, start: w.start, end: w.end, relevance: +w.relevance.toFixed(4), unknown: w.unknown })) })) }));
      return 0;
    }
    if (r.message) io.out(r.message);
    for (const s of r.sentences) {
      const words = s.words.map((w) => (w.relevance >= 0.5 ? `[${w.text}]` : w.text)).join(' ');
      io.out(`${s.score.toFixed(3)} ${s.visual ? 'visual    ' : 'non-visual'}  ${words}`);
    }
    if (r.document) io.out(`document ${r.document.score.toFixed(3)} (${r.document.visual ? 'visual' : 'non-visual'}, threshold ${r.threshold.toFixed(3)}); least visual words: ${r.leastVisualWords.join(', ') || '—'}`);
    return 0;
  } finally {
    await tip.session.dispose();
    await rt.dispose();
  }
}

async function makeNull(args: string[], io: CliIo): Promise<number> {
  const vision = flag(args, 'vision'), out = flag(args, 'out');
  if (!vision || !out) { io.err(USAGE); return 2; }
  const rt = await createNodeRuntime();
  try {
    const s = await rt.createSession(new Uint8Array(await readFile(vision)));
    const shape = s.inputs.find((i) => i.name === 'pixel_values')?.shape;
    const size = typeof shape?.[3] === 'number' ? shape[3] : 224;
    const { data, dims } = normalizeBatch([nullImage(size)]);
    const r = await s.run({ pixel_values: rt.tensor('float32', data, dims) }, ['image_embeds']);
    const e = (await rt.read(r.image_embeds)) as Float32Array;
    const unit = normalizeRows(e, e.length);
    await writeFile(out, new Uint8Array(unit.buffer));
    io.err(`wrote ${out}: ${unit.length} float32 (NULL image ${size}×${size})`);
    await s.dispose();
    return 0;
  } finally {
    await rt.dispose();
  }
}
