/**
 * Items with their scenes and visual tokens, ready for evaluation or label generation:
 * `n` items from consecutive scenes of one split (4 items per scene: caption + 3 questions).
 */
import type { Runtime } from '../../runtime/Runtime.ts';
import type { Scene, Split } from '../../data/microworld/index.ts';
import { type VlmItem, sceneItems } from './items.ts';
import { type VisionTower, encodeImages } from './visionTower.ts';

export interface ItemSet {
  items: VlmItem[];
  /** Scene of item.scene − sceneOffset. */
  scenes: Scene[];
  /** [scenes, Nv, W]. */
  visual: Float32Array;
  sceneOffset: number;
}

export async function buildItemSet(rt: Runtime, tower: VisionTower, o: { split: Split; seed: number | string; items: number; firstScene?: number; questionsPerScene?: number }): Promise<ItemSet> {
  const first = o.firstScene ?? 0, q = o.questionsPerScene ?? 3;
  const items: VlmItem[] = [], scenes: Scene[] = [], images: { width: number; height: number; data: Uint8Array }[] = [];
  for (let i = first; items.length < o.items; i++) {
    const s = sceneItems(o.split, o.seed, i, q);
    scenes.push(s.scene);
    images.push(s.image);
    items.push(...s.items.slice(0, o.items - items.length));
  }
  return { items, scenes, visual: await encodeImages(rt, tower, images), sceneOffset: first };
}

/** Visual tokens of one item's scene. */
export function itemVisual(set: ItemSet, item: VlmItem, per: number): Float32Array {
  const k = item.scene - set.sceneOffset;
  return set.visual.subarray(k * per, (k + 1) * per);
}
