/**
 * The shared seeded PRNG. It lives in models/data/microworld/prng.ts because models/ may not
 * import pipelines/ (layer rule), and both layers need the same stream.
 */
export { Prng, hashString, splitmix32 } from '../../models/data/microworld/prng.ts';
export type { Seed } from '../../models/data/microworld/prng.ts';
