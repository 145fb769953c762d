/**
 * X-Mesh's two automated metrics (xmesh.md §7.3), with an evaluator CLIP that is NOT the one the
 * run optimized against (micro-clip-eval: same architecture, independent seeds):
 *   - score(mesh, colors) = mean over the 24 fixed views (§3.4: azimuth 0..315° × elevation
 *     −30/0/30°, r 2.5, FOV 45°, white background) of cos(image embedding, text embedding);
 *   - MES = 100 × score of the final mesh;
 *   - ITS = first checked iteration (every 10) whose score passes a threshold; `cap` when never.
 * Decisions (§10.7): renders are scored as floats (no 8-bit PNG round trip) and CLIP-normalized for
 * both metrics (the reference's ITS skipped the normalization, a script quirk we do not copy).
 *
 *   const ev = await Evaluator.create(rt, visionBytes, textEmbeds);
 *   const s = await ev.score(positions, indices, colors, promptIndex);
 */
import type { Runtime, Session } from '../../models/runtime/Runtime.ts';
import { evaluationViews, renderViews } from '../../shaders/render/renderViews.ts';
import { toPixelValues } from './clipGuidance.ts';

export class Evaluator {
  private disposed = false;

  private constructor(
    private readonly rt: Runtime,
    private readonly session: Session,
    readonly imageSize: number,
    readonly dim: number,
  ) {}

  static async create(rt: Runtime, vision: Uint8Array, imageSize: number, dim: number): Promise<Evaluator> {
    return new Evaluator(rt, await rt.createSession(vision), imageSize, dim);
  }

  /** Mean cosine over the 24 evaluation views between the rendered mesh and `text` (raw embedding). */
  async score(mesh: { positions: Float32Array; indices: Uint32Array; colors: Float32Array }, text: Float32Array): Promise<number> {
    if (this.disposed) throw new Error('Evaluator: used after dispose()');
    const views = evaluationViews();
    const S = this.imageSize, D = this.dim;
    const batch = renderViews(mesh, views, S);
    const out = await this.session.run({ pixel_values: this.rt.tensor('float32', toPixelValues(batch.images, S), [views.length, 3, S, S]) }, ['image_embeds']);
    const e = (await this.rt.read(out.image_embeds)) as Float32Array;
    for (const t of Object.values(out)) t.dispose?.();
    const tn = Math.hypot(...text);
    let sum = 0;
    for (let v = 0; v < views.length; v++) {
      let dot = 0, nn = 0;
      for (let k = 0; k < D; k++) { dot += e[v * D + k] * text[k]; nn += e[v * D + k] ** 2; }
      sum += dot / (Math.sqrt(nn) * tn);
    }
    return sum / views.length;
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await this.session.dispose();
  }
}

/** First checkpoint iteration whose score reaches `threshold`, or `cap` when none does. */
export function iterationsToScore(checkpoints: { step: number; score: number }[], threshold: number, cap: number): number {
  const hit = [...checkpoints].sort((a, b) => a.step - b.step).find((c) => c.score >= threshold);
  return hit ? hit.step : cap;
}
