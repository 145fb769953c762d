/**
 * Global-norm gradient clipping (PyTorch `clip_grad_norm_` semantics):
 *   n = sqrt(Σ_p Σ g_p²),  c = min(1, maxNorm / (n + 1e-6)),  g_p ← c · g_p
 */
import type { Editor } from '../surgery/graphTools.ts';

export const CLIP_EPS = 1e-6;

/**
 * Emits the global norm of `grads` (scalar tensor name). The squares are summed by a balanced
 * tree of Adds, not one n-ary Sum: onnxruntime's WebGPU EP has no Sum kernel, so a Sum would run
 * on the CPU EP and pull every parameter's squared norm off the GPU each step (the X-Mesh field
 * trainer keeps its whole step on the GPU; pipelines/xmesh/webgpuProbe.ts shows the placement).
 */
export function emitGlobalNorm(ed: Editor, grads: string[], out?: string): string {
  let level = grads.map((g) => ed.op1('ReduceSumSquare', [g], { keepdims: { kind: 'int', value: 0 } }));
  while (level.length > 1) {
    const next: string[] = [];
    for (let i = 0; i + 1 < level.length; i += 2) next.push(ed.op1('Add', [level[i], level[i + 1]]));
    if (level.length % 2) next.push(level[level.length - 1]);
    level = next;
  }
  return ed.op1('Sqrt', [level[0]], {}, out);
}

/** Returns the clipped gradient names. */
export function emitClip(ed: Editor, grads: string[], norm: string, maxNorm: number): string[] {
  const ratio = ed.op1('Div', [ed.f32(maxNorm), ed.op1('Add', [norm, ed.f32(CLIP_EPS)])]);
  const coef = ed.op1('Min', [ratio, ed.f32(1)]);
  return grads.map((g) => ed.op1('Mul', [g, coef]));
}
