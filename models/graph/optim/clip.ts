/**
 * Global-norm gradient clipping (PyTorch `clip_grad_norm_` semantics):
 *   n = sqrt(Σ_p Σ g_p²),  c = min(1, maxNorm / (n + 1e-6)),  g_p ← c · g_p
 */
import type { Editor } from '../surgery/graphTools.ts';

export const CLIP_EPS = 1e-6;

/** Emits the global norm of `grads` (scalar tensor name). */
export function emitGlobalNorm(ed: Editor, grads: string[], out?: string): string {
  const squares = grads.map((g) => ed.op1('ReduceSumSquare', [g], { keepdims: { kind: 'int', value: 0 } }));
  const total = squares.length === 1 ? squares[0] : ed.op1('Sum', squares);
  return ed.op1('Sqrt', [total], {}, out);
}

/** Returns the clipped gradient names. */
export function emitClip(ed: Editor, grads: string[], norm: string, maxNorm: number): string[] {
  const ratio = ed.op1('Div', [ed.f32(maxNorm), ed.op1('Add', [norm, ed.f32(CLIP_EPS)])]);
  const coef = ed.op1('Min', [ratio, ed.f32(1)]);
  return grads.map((g) => ed.op1('Mul', [g, coef]));
}
