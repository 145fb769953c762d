/**
 * The frozen image tower the micro-VLM reads: micro-CLIP's vision graph (`last_hidden_state`,
 * [n, 65, 128] patch + class tokens). Uses the trained micro-CLIP in assets/models/micro-clip
 * when it is there; otherwise a random-init tower of the same shape, and says so (`trained`
 * false) — a VLM on random features can still learn from colors, but numbers would mean little.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { encodeModel } from '../../graph/encode.ts';
import { normalizeInto } from '../../vision/normalize.ts';
import type { Runtime, Session } from '../../runtime/Runtime.ts';
import { clipVisionGraph } from '../../zoo/clip/clipGraphs.ts';
import { microClipConfig } from '../../zoo/clip/config.ts';
import { vlmTokenizer } from '../../zoo/vlm/text.ts';
import { readClipDir } from '../clip/evalCli.ts';

export interface VisionTower {
  bytes: Uint8Array;
  trained: boolean;
  source: string;
  /** Tokens per image and their width. */
  tokens: number;
  width: number;
  imageSize: number;
}

export async function loadVisionTower(dir = join('assets', 'models', 'micro-clip')): Promise<VisionTower> {
  const cfg = microClipConfig(vlmTokenizer().vocab.tokens.length, vlmTokenizer().vocab.eotId);
  const shape = { tokens: (cfg.vision.imageSize / cfg.vision.patchSize) ** 2 + 1, width: cfg.vision.width, imageSize: cfg.vision.imageSize };
  if (existsSync(join(dir, 'model.json'))) {
    const { vision } = await readClipDir(dir);
    return { bytes: vision, trained: true, source: dir, ...shape };
  }
  return { bytes: encodeModel(clipVisionGraph(cfg, 'micro-vlm-stand-in-tower')), trained: false, source: 'random-init micro-CLIP tower (no trained micro-CLIP found)', ...shape };
}

/** Encode RGB images (64×64 Microworld renders) into visual tokens [n, T, W]. */
export async function encodeImages(rt: Runtime, tower: VisionTower, images: readonly { width: number; height: number; data: Uint8Array }[], batch = 64): Promise<Float32Array> {
  const S = tower.imageSize, per = 3 * S * S, out = new Float32Array(images.length * tower.tokens * tower.width);
  const s: Session = await rt.createSession(tower.bytes);
  try {
    for (let i = 0; i < images.length; i += batch) {
      const part = images.slice(i, i + batch);
      const px = new Float32Array(part.length * per);
      part.forEach((img, k) => {
        if (img.width !== S || img.height !== S) throw new Error(`encodeImages: image ${i + k} is ${img.width}×${img.height}, the tower takes ${S}×${S}`);
        normalizeInto(img, px, k * per);
      });
      const r = await s.run({ pixel_values: rt.tensor('float32', px, [part.length, 3, S, S]) }, ['last_hidden_state']);
      out.set((await rt.read(r.last_hidden_state)) as Float32Array, i * tower.tokens * tower.width);
    }
  } finally {
    await s.dispose();
  }
  return out;
}
