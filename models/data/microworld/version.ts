/**
 * Version of Microworld's generated content. Bump it whenever any generator's output for a given
 * seed changes (pixels, captions, questions, sentences, vocabulary), so datasets cached on disk
 * can include it in their cache key; version.test.ts pins a digest of sample outputs and fails
 * until the bump is made.
 */
export const MICROWORLD_VERSION = 1;
