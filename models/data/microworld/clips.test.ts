import { describe, expect, it } from 'vitest';
import { MOTIONS, type MotionName } from './attributes.ts';
import { cameraPath, sampleClip } from './clips.ts';
import type { RgbImage } from './image.ts';
import { Prng } from './prng.ts';

/** Integer shift (dx, dy) that best aligns frame b to frame a (b(x) ≈ a(x + d)). */
function bestShift(a: RgbImage, b: RgbImage, r = 6): [number, number] {
  let best: [number, number] = [0, 0];
  let bestErr = Infinity;
  const W = a.width;
  for (let dy = -r; dy <= r; dy++) {
    for (let dx = -r; dx <= r; dx++) {
      let err = 0;
      for (let y = r; y < W - r; y++) {
        for (let x = r; x < W - r; x++) {
          const i = (y * W + x) * 3;
          const j = ((y + dy) * W + (x + dx)) * 3;
          for (let c = 0; c < 3; c++) err += Math.abs(b.data[i + c] - a.data[j + c]);
        }
      }
      if (err < bestErr) {
        bestErr = err;
        best = [dx, dy];
      }
    }
  }
  return best;
}

const clip = (motion: MotionName, seed = 1) => sampleClip(new Prng(`clip:${seed}:${motion}`), { motion, frames: 4, size: 32, movingObjects: 0 });

describe('camera-motion clips', () => {
  it('are deterministic and labeled', () => {
    const a = sampleClip(new Prng('clip-det'), { frames: 3, size: 24 });
    const b = sampleClip(new Prng('clip-det'), { frames: 3, size: 24 });
    expect(a.motion).toBe(b.motion);
    expect(a.frames.map((f) => Buffer.from(f.data).toString('hex'))).toEqual(b.frames.map((f) => Buffer.from(f.data).toString('hex')));
    expect(MOTIONS).toContain(a.motion);
    expect(a.frames).toHaveLength(3);
    expect(a.frames[0].width).toBe(24);
  });

  it('a static camera over a still canvas repeats the same frame', () => {
    const c = clip('static');
    expect(c.strength).toBe(0);
    for (const f of c.frames) expect(Buffer.from(f.data).equals(Buffer.from(c.frames[0].data))).toBe(true);
  });

  it('pans and tilts move the content the opposite way of the camera', () => {
    const shift = (m: MotionName): [number, number] => {
      const c = clip(m, 3);
      return bestShift(c.frames[1], c.frames[2]);
    };
    expect(shift('pan right')[0]).toBeGreaterThan(0); // content of frame 2 is found further right in frame 1
    expect(shift('pan left')[0]).toBeLessThan(0);
    expect(shift('tilt down')[1]).toBeGreaterThan(0);
    expect(shift('tilt up')[1]).toBeLessThan(0);
  });

  it('camera paths encode zoom and roll direction and strength', () => {
    const zin = cameraPath('zoom in', 1, 5, 32, 64);
    expect(zin[4].scale).toBeLessThan(zin[0].scale);
    const zout = cameraPath('zoom out', 0.5, 5, 32, 64);
    expect(zout[4].scale).toBeGreaterThan(zout[0].scale);
    const cw = cameraPath('roll clockwise', 1, 5, 32, 64);
    expect(cw[4].roll).toBeGreaterThan(cw[0].roll);
    const weak = cameraPath('pan left', 0.4, 5, 32, 64);
    const strong = cameraPath('pan left', 0.8, 5, 32, 64);
    expect(Math.abs(strong[4].cx - strong[0].cx)).toBeCloseTo(2 * Math.abs(weak[4].cx - weak[0].cx), 6);
  });
});
