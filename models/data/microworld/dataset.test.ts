import { describe, expect, it } from 'vitest';
import { meshSample, sceneSample, sentenceSample, toCHW } from './dataset.ts';
import { isHeldOut } from './splits.ts';

describe('index-addressable samples', () => {
  it('sample i does not depend on which other samples were drawn', () => {
    const direct = sceneSample('train', 1, 7, { width: 32 });
    for (let i = 0; i < 7; i++) sceneSample('train', 1, i, { width: 32 });
    const after = sceneSample('train', 1, 7, { width: 32 });
    expect(after.image.data).toEqual(direct.image.data);
    expect(after.captions).toEqual(direct.captions);
    expect(after.questions).toEqual(direct.questions);
    expect(sceneSample('val', 1, 7, { width: 32 }).image.data).not.toEqual(direct.image.data);
    expect(sentenceSample('train', 1, 3)).toEqual(sentenceSample('train', 1, 3));
  });

  it('test mesh samples are held out; toCHW lays channels out planar', () => {
    expect(isHeldOut(meshSample('test', 2, 0, 16).spec)).toBe(true);
    const img = { width: 2, height: 1, data: new Uint8Array([255, 0, 51, 0, 255, 102]) };
    expect(Array.from(toCHW(img)).map((v) => +v.toFixed(2))).toEqual([1, 0, 0, 1, 0.2, 0.4]);
    const batch = new Float32Array(12);
    toCHW(img, batch, 6);
    expect(batch[6]).toBe(1);
    expect(() => toCHW(img, new Float32Array(5))).toThrow(RangeError);
  });
});
