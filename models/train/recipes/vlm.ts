/** `npm run train -- vlm [options]`: the micro-VLM for captions and questions (see models/train/vlm/recipe.ts). */
import { runVlmRecipe } from '../vlm/recipe.ts';

export async function run(args: string[]): Promise<number> {
  return runVlmRecipe(args);
}
