/** `npm run eval -- clip [--json] [--model micro-clip-eval]`: micro-CLIP on held-out combinations (models/train/clip/evalCli.ts). */
import { runClipEval } from '../../../models/train/clip/evalCli.ts';

export async function run(args: string[]): Promise<number> {
  return runClipEval(args);
}
