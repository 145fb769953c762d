/** `npm run train -- dyvte-gates [options]`: DyVTE exit gates for the trained micro-VLM (see models/train/vlm/gatesRecipe.ts). */
import { runGatesRecipe } from '../vlm/gatesRecipe.ts';

export async function run(args: string[]): Promise<number> {
  return runGatesRecipe(args);
}
