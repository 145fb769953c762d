/**
 * Microworld: the seeded procedural world the micro models are trained and evaluated on
 * (design notes: MICROWORLD.md). Everything here is pure TypeScript, deterministic for a seed,
 * and runs in Node and in workers.
 */
export * from './attributes.ts';
export * from './prng.ts';
export * from './image.ts';
export * from './scene.ts';
export * from './renderScene.ts';
export * from './backgrounds.ts';
export * from './captions.ts';
export * from './questions.ts';
export * from './splits.ts';
export * from './meshes.ts';
export * from './materials.ts';
export * from './meshScene.ts';
export * from './clips.ts';
export * from './sentences.ts';
export * from './contactSheet.ts';
export * from './dataset.ts';
export * from './version.ts';
export { article, withArticle, plural, numberWord } from './phrases.ts';
