/** `npm run train -- clip [options]`: micro-CLIP (see models/train/clip/recipe.ts for options). */
import { VARIANTS, runClipRecipe } from '../clip/recipe.ts';

export async function run(args: string[]): Promise<number> {
  return runClipRecipe(args, VARIANTS.clip);
}
