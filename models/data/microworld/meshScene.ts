/**
 * 3D samples: a procedural mesh painted with a procedural material, rendered from a random view
 * by the mesh stylizer's renderer (shaders/raster, xmesh.md §3) on a white background, with
 * captions such as "a vase made of red brick".
 *
 *   const s = sampleMeshScene(new Prng('train:1:0'), { split: 'train', size: 64 });
 *   s.image; s.captions; s.spec
 */
import { orbitCamera } from '../../../shaders/raster/camera.ts';
import { renderMesh } from '../../../shaders/raster/renderMesh.ts';
import { COLOR_NAMES, MATERIALS, MESHES, type ColorName, type MaterialName, type MeshName } from './attributes.ts';
import { quantize, type RgbImage } from './image.ts';
import { materialUsesColor, paintMaterial } from './materials.ts';
import { makeMesh } from './meshes.ts';
import { article, withArticle } from './phrases.ts';
import type { Prng } from './prng.ts';
import { HELD_OUT_MATERIAL_MESH, isHeldOut, type Split } from './splits.ts';

export interface MeshSceneSpec {
  mesh: MeshName;
  material: MaterialName;
  /** Set for colored materials only. */
  color?: ColorName;
  materialSeed: number;
  elevation: number;
  azimuth: number;
  /**
   * Blend the painted colors this far toward uniform gray 0.5 (0 = the material as painted). A
   * stylization starts from a gray mesh and passes through faded versions of its target, so the
   * guide CLIP is trained on some of them (models/train/clip/samples.ts `fadedMeshes`).
   */
  fade?: number;
}

export interface MeshScene {
  spec: MeshSceneSpec;
  image: RgbImage;
  /** 1 where the mesh covers the pixel. */
  mask: Float32Array;
  captions: string[];
}

export interface MeshSceneOptions {
  split?: Split;
  size?: number;
}

export function sampleMeshSpec(rng: Prng, split: Split = 'train'): MeshSceneSpec {
  let mesh: MeshName;
  let material: MaterialName;
  if (split === 'test') {
    [material, mesh] = rng.pick(HELD_OUT_MATERIAL_MESH);
  } else {
    do {
      mesh = rng.pick(MESHES);
      material = rng.pick(MATERIALS);
    } while (isHeldOut({ mesh, material }));
  }
  // White stripes/dots/checker on a white background would vanish: skip white for those.
  const color = materialUsesColor(material) ? rng.pick(COLOR_NAMES.filter((c) => c !== 'white' || material === 'marble')) : undefined;
  return {
    mesh,
    material,
    ...(color ? { color } : {}),
    materialSeed: rng.nextU32() & 0x7fffffff,
    // Views around the object, mostly from slightly above, as people photograph things.
    elevation: rng.range(-0.25, 0.8),
    azimuth: rng.range(0, 2 * Math.PI),
  };
}

/** How a material reads in words: [made-of phrase, adjective phrase]. */
export function materialPhrases(material: MaterialName, color?: ColorName): { madeOf: string; adjective: string } {
  const c = color ?? '';
  switch (material) {
    case 'color':
      return { madeOf: `painted ${c}`, adjective: c };
    case 'stripes':
      return { madeOf: `with ${c} stripes`, adjective: `${c} striped` };
    case 'dots':
      return { madeOf: `with ${c} dots`, adjective: `${c} dotted` };
    case 'checker':
      return { madeOf: `with a ${c} checker pattern`, adjective: `${c} checkered` };
    case 'brick':
      return { madeOf: `made of ${c} brick`, adjective: `${c} brick` };
    case 'marble':
      return { madeOf: `made of ${c} marble`, adjective: `${c} marble` };
    case 'wood':
      return { madeOf: 'made of wood', adjective: 'wooden' };
    case 'gold':
      return { madeOf: 'made of gold', adjective: 'golden' };
    case 'zebra':
      return { madeOf: 'with zebra stripes', adjective: 'zebra striped' };
    case 'lava':
      return { madeOf: 'made of lava', adjective: 'lava' };
    case 'grass':
      return { madeOf: 'covered in grass', adjective: 'grassy' };
    case 'metal':
      return { madeOf: 'made of metal', adjective: 'metal' };
    case 'stone':
      return { madeOf: 'made of stone', adjective: 'stone' };
  }
}

export function captionMesh(spec: MeshSceneSpec): string[] {
  const { madeOf, adjective } = materialPhrases(spec.material, spec.color);
  const noun = spec.mesh;
  return [
    `${withArticle(noun)} ${madeOf}`,
    `${article(adjective)} ${adjective} ${noun}`,
    `a 3d rendering of ${withArticle(noun)} ${madeOf}`,
    `a photo of ${article(adjective)} ${adjective} ${noun}`,
  ];
}

export function renderMeshScene(spec: MeshSceneSpec, size = 64): MeshScene {
  const mesh = makeMesh(spec.mesh);
  const colors = paintMaterial(mesh, { material: spec.material, color: spec.color, seed: spec.materialSeed });
  if (spec.fade) for (let i = 0; i < colors.length; i++) colors[i] += spec.fade * (0.5 - colors[i]);
  const cam = orbitCamera({ elevation: spec.elevation, azimuth: spec.azimuth, radius: 2, fov: Math.PI / 3 });
  const out = renderMesh({ ...mesh, colors }, cam, size, [1, 1, 1]);
  return { spec, image: quantize({ width: size, height: size, data: out.rgb }), mask: out.mask, captions: captionMesh(spec) };
}

export function sampleMeshScene(rng: Prng, opts: MeshSceneOptions = {}): MeshScene {
  return renderMeshScene(sampleMeshSpec(rng, opts.split ?? 'train'), opts.size ?? 64);
}
