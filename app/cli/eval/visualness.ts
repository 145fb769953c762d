/**
 * `npm run eval -- visualness [--json] [--model dir] [--clip dir] [--val N] [--test N]`:
 * TIP-style vs zero-shot vs word-list heuristic on the Microworld test split (unseen templates)
 * and the hand-written set, thresholds tuned on validation (pipelines/visualness/evaluate.ts);
 * plus the attribution check on scene-grammar captions.
 */
import { flag, has } from '../io.ts';
import { createNodeRuntime } from '../../../models/runtime/backends/nodeCpu.ts';
import { handwrittenSet, visualnessExamples } from '../../../models/data/visualness/dataset.ts';
import { sceneSample } from '../../../models/data/microworld/dataset.ts';
import { attributionCheck, evaluateVisualness, heuristicScores, modelScores } from '../../../pipelines/visualness/evaluate.ts';
import { DEFAULT_CLIP_DIR, DEFAULT_TIP_DIR, loadTipScorer, loadZeroShotScorer } from '../commands/visualnessNode.ts';

const round = (o: unknown): unknown => JSON.parse(JSON.stringify(o, (_k, v) => (typeof v === 'number' && !Number.isInteger(v) ? +v.toFixed(4) : v)));

export async function run(args: string[]): Promise<number> {
  const nVal = Number(flag(args, 'val') ?? 400), nTest = Number(flag(args, 'test') ?? 400), nAttr = Number(flag(args, 'attr') ?? 200);
  const t0 = Date.now();
  const rt = await createNodeRuntime();
  const tip = await loadTipScorer(rt, flag(args, 'model') ?? DEFAULT_TIP_DIR);
  // The zero-shot baseline is TIP's own starting point: the micro-CLIP directory model.json records
  // (its sha256 is checked below), unless --clip names another one.
  const base = (tip.json.training.baseClip ?? {}) as { dir?: string; textSha256?: string; visionSha256?: string; note?: string };
  const clipDir = flag(args, 'clip') ?? base.dir ?? DEFAULT_CLIP_DIR;
  const zs = await loadZeroShotScorer(rt, clipDir);
  try {
    const sets = { val: visualnessExamples('val', nVal), test: visualnessExamples('test', nTest), handwritten: handwrittenSet() };
    const res = await evaluateVisualness({ tip: modelScores(tip.scorer), zero_shot: modelScores(zs.scorer), heuristic: heuristicScores }, sets);
    const captions = Array.from({ length: nAttr }, (_, i) => {
      const s = sceneSample('test', 'visualness-attr', i);
      return s.captions[i % s.captions.length].text;
    });
    const attribution = { tip: await attributionCheck(tip.scorer, captions), zero_shot: await attributionCheck(zs.scorer, captions) };
    // Say so when the micro-CLIP here is not the one TIP was fine-tuned from.
    const sameBase = base.textSha256 === zs.textSha256 && (!base.visionSha256 || base.visionSha256 === zs.visionSha256);
    const notes = sameBase ? [] : [`zero-shot uses the micro-CLIP in ${clipDir} (text sha256 ${zs.textSha256?.slice(0, 12)}), not the one TIP was fine-tuned from (${base.textSha256?.slice(0, 12) ?? base.note ?? 'unrecorded'})`];
    const out = { ...res, attribution, zeroShotBase: { dir: clipDir, textSha256: zs.textSha256, visionSha256: zs.visionSha256, sameAsTip: sameBase }, notes, sizes: { val: nVal, test: nTest, handwritten: sets.handwritten.length, attribution: nAttr }, seconds: (Date.now() - t0) / 1000 };
    if (has(args, 'json')) {
      console.log(JSON.stringify(round(out)));
    } else {
      for (const set of ['test', 'handwritten'] as const) {
        console.log(`${set}:`);
        for (const [k, m] of Object.entries(res[set])) console.log(`  ${k.padEnd(10)} F1 ${m.f1.toFixed(3)}  P ${m.precision.toFixed(3)}  R ${m.recall.toFixed(3)}  acc ${m.accuracy.toFixed(3)}  (threshold ${res.thresholds[k as keyof typeof res.thresholds].toFixed(3)})`);
      }
      for (const n of notes) console.log(`note: ${n}`);
      console.log(`attribution: top word is a color/shape/pattern/material in ${(attribution.tip.rate * 100).toFixed(1)}% (TIP), ${(attribution.zero_shot.rate * 100).toFixed(1)}% (zero-shot) of ${nAttr} scene captions`);
    }
    return 0;
  } finally {
    await tip.session.dispose();
    await zs.session.dispose();
    await rt.dispose();
  }
}
