/**
 * `atelier generate --prompt "…" [--negative "…"] [--seed S] [--steps N] [--guidance G] [--eta E] --out img.png [--json]
 *   [--vae DIR --unet DIR]`: the text2image task in-process on onnxruntime-node with the
 * micro stack from assets/models (or the given directories). Progress on stderr; the PNG carries
 * its recipe; --json prints {out, seconds, recipe} on stdout.
 */
import { writeFileSync } from 'node:fs';
import { createNodeRuntime } from '../../../models/runtime/backends/nodeCpu.ts';
import { DEFAULT_DIRS, loadMicroStack } from '../../../models/train/diffusion/microStack.ts';
import { executeTask } from '../../../pipelines/registry.ts';
import { bytesProvider } from '../../../pipelines/text2image/bytesProvider.ts';
import type { Text2ImageResult } from '../../../pipelines/text2image/index.ts';
import { flag, has, type CliIo } from '../io.ts';

const USAGE = 'usage: atelier generate --prompt "a red star on grass" [--negative TEXT] [--seed S] [--steps N] [--guidance G] [--eta E] --out img.png [--json] [--vae DIR --unet DIR]';

export async function run(args: string[], io: CliIo): Promise<number> {
  const prompt = flag(args, 'prompt'), out = flag(args, 'out');
  const num = (k: string, d: number) => { const v = flag(args, k); return v === undefined ? d : Number(v); };
  const seed = num('seed', 0), steps = num('steps', 25), guidance = num('guidance', 5), eta = num('eta', 0);
  if (prompt === undefined || !out || ![seed, steps, guidance, eta].every(Number.isFinite) || !Number.isInteger(steps) || steps < 1) {
    io.err(USAGE);
    return 2;
  }
  const stack = loadMicroStack({ vae: flag(args, 'vae') ?? DEFAULT_DIRS.vae, unet: flag(args, 'unet') ?? DEFAULT_DIRS.unet });
  const rt = await createNodeRuntime();
  const models = bytesProvider(rt, stack.bytes);
  try {
    const end = await executeTask({ task: 'text2image', input: { prompt, negativePrompt: flag(args, 'negative'), seed, steps, guidance, eta }, params: { bundle: stack.bundle, previewEvery: 0 } }, rt, {
      signal: new AbortController().signal, models,
      emit: (e) => {
        if (e.type === 'phase') io.err(`[${e.phase}]${e.label ? ` ${e.label}` : ''}`);
        else if (e.type === 'step' && (e.k === e.n || e.k % 5 === 0)) io.err(`step ${e.k}/${e.n}${e.etaS !== undefined ? ` eta ${e.etaS.toFixed(1)} s` : ''}`);
      },
    });
    if (end.type !== 'complete') {
      io.err(`generate: ${end.type === 'error' ? end.message : end.type}`);
      return 1;
    }
    const r = end.result as Text2ImageResult;
    writeFileSync(out, r.png);
    if (has(args, 'json')) io.out(JSON.stringify({ out, seconds: +r.seconds.toFixed(3), recipe: r.recipe }));
    else io.out(`wrote ${out} (${r.width}×${r.height}) in ${r.seconds.toFixed(2)} s`);
    return 0;
  } finally {
    await models.dispose();
    await rt.dispose();
  }
}
