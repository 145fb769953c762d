/**
 * Minimal pairs for micro-CLIP: a single-object scene and copies of it that differ in exactly one
 * attribute (the shape, or the pattern), and a mesh render with copies that differ only in material.
 *
 * Why: in a random batch almost every caption can be matched by color, background, position or
 * object count, so the contrastive loss never needs shape, pattern or material and the image tower
 * does not learn them (the first runs: zero-shot shape at chance after 700 steps). When a batch holds
 * "a small yellow circle on the left" and the same picture with a diamond, only the shape separates
 * them. The dataset uses a group's members as each other's hard negatives (dataset.ts).
 *
 * Variants never produce a held-out combination (splits.ts), so the test split stays unseen.
 */
import { COLOR_NAMES, MATERIALS, PATTERNS, SHAPES, type MaterialName } from '../../data/microworld/attributes.ts';
import { captionScene } from '../../data/microworld/captions.ts';
import { materialUsesColor } from '../../data/microworld/materials.ts';
import { type MeshSceneSpec, renderMeshScene, sampleMeshSpec } from '../../data/microworld/meshScene.ts';
import type { Prng } from '../../data/microworld/prng.ts';
import { renderScene } from '../../data/microworld/renderScene.ts';
import { type Scene, sampleScene } from '../../data/microworld/scene.ts';
import { isHeldOut } from '../../data/microworld/splits.ts';
import { colorPrompt, materialPrompt, patternPrompt, shapePrompt } from './prompts.ts';
import type { ClipSample, SampleSetSpec } from './samples.ts';
import { backgroundName } from '../../data/microworld/backgrounds.ts';

/** One single-object scene and two variants: another shape, another pattern (same everything else). */
export function sceneGroup(rng: Prng, s: SampleSetSpec, group: number): ClipSample[] {
  const base = sampleScene(rng, { split: s.split, width: s.size, minObjects: 1, maxObjects: 1 });
  const o = base.objects[0];
  const shape = rng.pick(SHAPES.filter((x) => x !== o.shape && !isHeldOut({ color: o.color, shape: x, pattern: o.pattern })));
  const pattern = rng.pick(PATTERNS.filter((x) => x !== o.pattern && !isHeldOut({ color: o.color, shape: o.shape, pattern: x })));
  const variants: Scene[] = [base, withObject(base, { shape }), withObject(base, { pattern })];
  return variants.map((scene) => {
    const v = scene.objects[0];
    const captions = captionScene(scene).map((c) => c.text);
    if (s.templates) captions.push(colorPrompt(v.color), shapePrompt(v.shape), patternPrompt(v.pattern));
    return {
      image: renderScene(scene).image, captions,
      attrs: { kind: 'scene', objects: 1, color: v.color, shape: v.shape, pattern: v.pattern, background: backgroundName(scene.background), group },
    };
  });
}

/** One mesh render and two copies with other materials (same mesh, view and material seed). */
export function meshGroup(rng: Prng, s: SampleSetSpec, group: number): ClipSample[] {
  const base = sampleMeshSpec(rng, s.split);
  const others = rng.shuffle(MATERIALS.filter((m) => m !== base.material && !isHeldOut({ mesh: base.mesh, material: m }))).slice(0, 2);
  const specs: MeshSceneSpec[] = [base, ...others.map((m) => withMaterial(rng, base, m))];
  return specs.map((spec) => {
    const r = renderMeshScene(spec, s.size);
    const captions = [...r.captions];
    if (s.templates) captions.push(materialPrompt(spec.material, spec.color));
    return { image: r.image, captions, attrs: { kind: 'mesh', material: spec.material, mesh: spec.mesh, color: spec.color, objects: 1, group } };
  });
}

function withObject(scene: Scene, change: Partial<Scene['objects'][number]>): Scene {
  return { ...scene, objects: [{ ...scene.objects[0], ...change }] };
}

function withMaterial(rng: Prng, base: MeshSceneSpec, material: MaterialName): MeshSceneSpec {
  const { color: _c, ...rest } = base;
  if (!materialUsesColor(material)) return { ...rest, material };
  // Keep the base's color where the material takes one (white only for marble, as sampleMeshSpec does).
  const ok = (c: string) => c !== 'white' || material === 'marble';
  const color = base.color && ok(base.color) ? base.color : rng.pick(COLOR_NAMES.filter(ok));
  return { ...rest, material, color };
}
