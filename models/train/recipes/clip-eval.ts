/** `npm run train -- clip-eval [options]`: the independently seeded evaluator micro-CLIP. */
import { VARIANTS, runClipRecipe } from '../clip/recipe.ts';

export async function run(args: string[]): Promise<number> {
  return runClipRecipe(args, VARIANTS['clip-eval']);
}
