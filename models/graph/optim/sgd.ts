/**
 * SGD with momentum as graph ops (PyTorch semantics, dampening 0):
 *   g ← g + wd·p;  b ← μ·b + g;  d = nesterov ? g + μ·b : b;  p ← p − lr·d
 */
import type { Editor } from '../surgery/graphTools.ts';
import { nextName } from './names.ts';

export interface UpdateArgs {
  param: string;
  grad: string;
  lr: string;
  /** Whether weight decay applies to this parameter (biases and norms often excluded). */
  decay: boolean;
}

export function emitSgd(ed: Editor, a: UpdateArgs, o: { momentum?: number; nesterov?: boolean; weightDecay?: number }): void {
  const mu = o.momentum ?? 0;
  let g = a.grad;
  if (a.decay && (o.weightDecay ?? 0) > 0) g = ed.op1('Add', [g, ed.op1('Mul', [a.param, ed.f32(o.weightDecay!)])]);
  let d = g;
  if (mu > 0) {
    const buf = `${a.param}.momentum`;
    const b = ed.op1('Add', [ed.op1('Mul', [buf, ed.f32(mu)]), g], {}, nextName(buf));
    d = o.nesterov ? ed.op1('Add', [g, ed.op1('Mul', [b, ed.f32(mu)])]) : b;
  }
  ed.op1('Sub', [a.param, ed.op1('Mul', [d, a.lr])], {}, nextName(a.param));
}
