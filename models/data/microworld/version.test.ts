import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { falseCaptions } from './captions.ts';
import { clipSample, meshSample, sceneSample, sentenceSample } from './dataset.ts';
import { Prng } from './prng.ts';
import { MICROWORLD_VERSION } from './version.ts';

/** Digest of a fixed set of outputs from every generator. */
function digest(): string {
  const h = createHash('sha256');
  for (let i = 0; i < 4; i++) {
    const s = sceneSample('train', 1, i, { width: 32 });
    h.update(s.image.data);
    h.update(JSON.stringify([s.captions, s.questions, s.boxes, falseCaptions(s.scene, new Prng(i))]));
    const t = sceneSample('test', 1, i, { width: 32 });
    h.update(t.image.data);
    const m = meshSample('train', 1, i, 24);
    h.update(m.image.data);
    h.update(JSON.stringify([m.spec, m.captions]));
    h.update(JSON.stringify([sentenceSample('train', 1, i), sentenceSample('test', 1, i)]));
  }
  const c = clipSample('train', 1, 0, { frames: 2, size: 16 });
  for (const f of c.frames) h.update(f.data);
  h.update(JSON.stringify([c.motion, c.strength, c.cameras]));
  return h.digest('hex');
}

describe('Microworld version', () => {
  it('generation is unchanged for this MICROWORLD_VERSION (if you changed a generator on purpose: bump the version and update the digest)', () => {
    const pinned: Record<number, string> = {
      1: '3417ac5b2d4fb703c3f14c6a4e407931c72615361e32ee2dbbf9f369d9eff4ff',
    };
    expect({ version: MICROWORLD_VERSION, digest: digest() }).toEqual({ version: MICROWORLD_VERSION, digest: pinned[MICROWORLD_VERSION] });
  });
});
