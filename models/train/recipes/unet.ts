/** `npm run train -- unet [options]`: micro-UNet (see models/train/diffusion/unetRecipe.ts for options). */
import { runUnetRecipe } from '../diffusion/unetRecipe.ts';

export async function run(args: string[]): Promise<number> {
  return runUnetRecipe(args);
}
