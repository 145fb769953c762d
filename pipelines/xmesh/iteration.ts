/**
 * One X-Mesh / Text2Mesh iteration's loss and its gradient w.r.t. the style field's OUTPUTS
 * (colors, offsets), xmesh.md §5.1:
 *   displace + renormalize → render V colored views (view 0 = front, the rest random)
 *   → per color pass (global, then local crops): augment → CLIP loss and dL/dpixels → adjoint
 *   → gray geometry pass: NEW random views (+ the same front view, §10.6), crop 0.1, gradient
 *     reaches positions only through shading
 *   → renderer adjoints → renormalization adjoint → dL/dcolors, dL/doffsets.
 * All randomness (views, augmentation draws) comes from `seed`, so the same call is a
 * deterministic function of (colors, offsets) — what the finite-difference test relies on.
 * Gradient conventions (the renderer's, shaders/render/renderViews.ts): visibility is piecewise
 * constant — no silhouette gradients and no barycentric-motion term (kaolin's optional screen-space
 * term), so positions learn through the flat-shading normals only, exactly as the geometry pass
 * of the reference does. With `freezeVisibility` the forward is the function this gradient is exact for.
 * The style field's train step then turns these into parameter gradients and an Adam update.
 */
import { Prng } from '../../models/data/microworld/prng.ts';
import {
  augment, augmentBackward, grayColors, renderViews, renderViewsBackward, sampleAugment, sampleViews, type ViewSpec,
} from '../../shaders/render/renderViews.ts';
import type { VisibilityBuffer } from '../../shaders/raster/rasterize.ts';
import { displaceAndNormalize, displaceAndNormalizeBackward } from './geometry.ts';

type AugmentKind = 'global' | 'local' | 'geometry';

export interface PassPlan {
  /** Global (full-frame) color passes (reference 1). */
  global: number;
  /** Local crop color passes (reference 4; interactive 1). */
  local: number;
  /** Crop area of the local passes (X-Mesh MIT-30 0.4; Text2Mesh demos 0.1). */
  localScale: number;
  /** Gray geometry passes with crop 0.1 (reference 4; interactive 1). */
  geometry: number;
}

/** §5.3 X-Mesh MIT-30 script: 1 global + 4 local (0.4) + 4 geometry. */
export const PAPER_PASSES: PassPlan = { global: 1, local: 4, localScale: 0.4, geometry: 4 };
/** §9.5 studio default: 1 + 1 + 1, three CLIP batches per iteration instead of nine. */
export const INTERACTIVE_PASSES: PassPlan = { global: 1, local: 1, localScale: 0.4, geometry: 1 };

/** The CLIP side: loss and dL/dimages for one augmented batch of V images. */
export interface Guidance {
  readonly views: number;
  readonly imageSize: number;
  lossAndGrad(images: Float32Array): Promise<{ loss: number; dImages: Float32Array }>;
}

export interface IterationInput {
  /** Normalized original positions [N,3] and triangles. */
  positions: Float32Array;
  indices: Uint32Array;
  colors: Float32Array;
  offsets: Float32Array;
  passes: PassPlan;
  center?: { azimuth: number; elevation: number };
  seed: number | string;
  /**
   * Reuse these visibility buffers (triangle ids + barycentrics per pixel) instead of rasterizing:
   * the piecewise-constant visibility the adjoint assumes. For finite-difference checks only.
   */
  freezeVisibility?: FrozenVisibility;
}

export interface FrozenVisibility { color: VisibilityBuffer[]; geometry: VisibilityBuffer[] }

export interface IterationResult {
  /** Sum of all pass losses (what the gradient is of). */
  loss: number;
  /** The global pass's loss (−cos), the reference's logged loss. */
  lossGlobal: number;
  dColors: Float32Array;
  dOffsets: Float32Array;
  /** Displaced, renormalized positions rendered this iteration. */
  positions: Float32Array;
  /** The colored render of this iteration (for the live views panel). */
  images: Float32Array;
  views: ViewSpec[];
  /** This iteration's visibility (see IterationInput.freezeVisibility). */
  visibility: FrozenVisibility;
}

export async function iterationGradients(g: Guidance, it: IterationInput): Promise<IterationResult> {
  const rng = new Prng(`xmesh-iter:${it.seed}`);
  const uniform = () => rng.float();
  const V = g.views, S = g.imageSize;
  const r = displaceAndNormalize(it.positions, it.offsets);
  const mesh = { positions: r.positions, indices: it.indices, colors: it.colors };
  const views = sampleViews(rng, V, it.center);
  const col = renderViews(mesh, views, S, { visibility: it.freezeVisibility?.color });

  let loss = 0, lossGlobal = NaN;
  const runPasses = async (images: Float32Array, kind: AugmentKind, count: number, scale: number, into: Float32Array) => {
    for (let k = 0; k < count; k++) {
      const spec = sampleAugment(uniform, S, kind, scale);
      const res = await g.lossAndGrad(augment(images, V, S, S, spec));
      if (kind === 'global' && Number.isNaN(lossGlobal)) lossGlobal = res.loss;
      loss += res.loss;
      const d = augmentBackward(res.dImages, V, S, S, spec);
      for (let i = 0; i < d.length; i++) into[i] += d[i];
    }
  };
  const dCol = new Float32Array(col.images.length);
  await runPasses(col.images, 'global', it.passes.global, 1, dCol);
  await runPasses(col.images, 'local', it.passes.local, it.passes.localScale, dCol);
  const colorGrads = renderViewsBackward(mesh, col, dCol);
  const dPositions = colorGrads.dPositions;

  let geometryVis: VisibilityBuffer[] = [];
  if (it.passes.geometry > 0) {
    const gray = { ...mesh, colors: grayColors(mesh.colors.length / 3) };
    const geoViews = [views[0], ...sampleViews(rng, V, it.center).slice(1)];
    const geo = renderViews(gray, geoViews, S, { visibility: it.freezeVisibility?.geometry });
    geometryVis = geo.passes.map((p) => p.vis);
    const dGeo = new Float32Array(geo.images.length);
    await runPasses(geo.images, 'geometry', it.passes.geometry, 0.1, dGeo);
    // Colors are the constant 0.5 here: only positions receive this pass's gradient.
    const gg = renderViewsBackward(gray, geo, dGeo);
    for (let i = 0; i < dPositions.length; i++) dPositions[i] += gg.dPositions[i];
  }
  const dOffsets = displaceAndNormalizeBackward(r, dPositions);
  return {
    loss, lossGlobal, dColors: colorGrads.dColors, dOffsets, positions: r.positions, images: col.images, views,
    visibility: { color: col.passes.map((p) => p.vis), geometry: geometryVis },
  };
}
