/** `npm run train -- vae [options]`: micro-VAE (see models/train/diffusion/vaeRecipe.ts for options). */
import { runVaeRecipe } from '../diffusion/vaeRecipe.ts';

export async function run(args: string[]): Promise<number> {
  return runVaeRecipe(args);
}
