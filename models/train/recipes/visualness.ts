/** `npm run train -- visualness [options]`: TIP-CLIP fine-tuning of micro-CLIP's text tower (models/train/visualness/recipe.ts). */
export { run } from '../visualness/recipe.ts';
